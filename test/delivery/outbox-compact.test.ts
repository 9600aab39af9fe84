/**
 * The outbox's compact form (issue 4, memory): a broadcast's deliveries, and an article's alerts with
 * the same text, share one template (text and options), in memory and in the store; other alerts stay
 * whole. And the sender's rate window and
 * paid in-flight budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import Keyv from 'keyv';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../src/delivery/outbox.js';
import type { Api } from 'grammy';
import pino from 'pino';
import { RateWindow, Sender } from '../../src/delivery/sender.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import type { Delivery } from '../../src/types.js';
import { BotApiEmulator } from '../helpers/bot-api-emulator.js';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'nabaa-compact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bc(chatId: number, text = 'B: breaking', extra: Partial<Delivery> = {}): Delivery {
  return { id: `bc:b1:${chatId}`, chatId, lane: 'broadcast', text, createdAt: T0, notBefore: T0, attempts: 0, broadcastId: 'b1', ...extra };
}

/** Every raw record of the store, by key. */
async function records(kv: Keyv): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for await (const [k, v] of kv.iterator!(undefined)) out.set(String(k), v as Record<string, unknown>);
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('outbox: a broadcast stores its text once', () => {
  it('writes one template per text and small references, deletes the template after the last delivery, and keeps alerts whole', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const outbox = new Outbox(kv, { flushMs: 10 });
    const alert: Delivery = { id: 'a1:5', chatId: 5, lane: 'alert', text: 'alert text', createdAt: T0, notBefore: T0, attempts: 0 };
    await outbox.enqueue([bc(1), bc(2), bc(3, 'B: خبر'), bc(4, 'B: خبر'), bc(6, 'B: once'), alert]);
    const recs = await records(kv);
    const templates = [...recs.values()].filter((v) => typeof v.tpl === 'string');
    expect(templates.map((v) => (v.shared as Delivery).text).sort()).toEqual(['B: breaking', 'B: خبر']);
    // A text only one delivery has is stored with it, whole: a template would be a second record.
    expect(recs.get('bc:b1:6')).toEqual(bc(6, 'B: once'));
    // The deliveries hold a reference, not the text.
    expect(recs.get('bc:b1:1')).toEqual({ ref: expect.any(String), id: 'bc:b1:1', chatId: 1, createdAt: T0, notBefore: T0, attempts: 0 });
    expect(recs.get('bc:b1:1')!.text).toBeUndefined();
    expect(recs.get('a1:5')).toEqual(alert);

    // take() hands out whole deliveries.
    const taken: Delivery[] = [];
    for (let d = outbox.take(Date.now()); d; d = outbox.take(Date.now())) taken.push(d);
    taken.sort((a, b) => a.chatId - b.chatId);
    expect(taken.map((d) => [d.id, d.chatId, d.text, d.broadcastId])).toEqual([
      ['bc:b1:1', 1, 'B: breaking', 'b1'],
      ['bc:b1:2', 2, 'B: breaking', 'b1'],
      ['bc:b1:3', 3, 'B: خبر', 'b1'],
      ['bc:b1:4', 4, 'B: خبر', 'b1'],
      ['a1:5', 5, 'alert text', undefined],
      ['bc:b1:6', 6, 'B: once', 'b1'],
    ]);
    expect(outbox.broadcastPending('b1')).toBe(5);

    // The shared template outlives its first delivery, and goes with the last one.
    await outbox.done(taken[0]!, 0);
    await vi.advanceTimersByTimeAsync(20);
    expect([...(await records(kv)).values()].filter((v) => typeof v.tpl === 'string')).toHaveLength(2);
    for (const d of taken.slice(1)) await outbox.done(d, 0);
    await vi.advanceTimersByTimeAsync(20);
    expect((await records(kv)).size).toBe(0);
    expect(outbox.size).toBe(0);
    expect(outbox.broadcastPending('b1')).toBe(0);
  });

  it("an article's alerts with the same text and buttons share a template too; a restart gives them back whole", async () => {
    const url = `sqlite://${join(dir, 'alerts.sqlite')}`;
    let factory = await createKeyvFactory(url);
    let stores = createStores(factory);
    const markup = { inline_keyboard: [[{ text: 'كتم', callback_data: 'mute:art1' }]] };
    const alert = (chatId: number, why: string): Delivery => ({
      id: `art1:${chatId}`, chatId, lane: 'alert', text: `خبر\n${why}`, createdAt: T0, notBefore: T0, attempts: 0, articleId: 'art1', replyMarkup: markup,
    });
    const sent = [alert(1, 'سوريا'), alert(2, 'سوريا'), alert(3, 'أمن'), { ...alert(4, 'سوريا'), replyMarkup: undefined }];
    const a = new Outbox(stores.outbox);
    await a.enqueue(sent);
    const recs = await records(stores.outbox);
    // One template per text and buttons that several alerts share, each of those a small reference; an
    // alert with its own text or buttons is stored whole.
    expect([...recs.values()].filter((v) => typeof v.tpl === 'string')).toHaveLength(1);
    expect(recs.get('art1:2')).toEqual({ ref: expect.any(String), id: 'art1:2', chatId: 2, createdAt: T0, notBefore: T0, attempts: 0 });
    expect(recs.get('art1:3')).toEqual(sent[2]);
    expect(recs.get('art1:4')).toEqual(JSON.parse(JSON.stringify(sent[3])));
    await a.close();
    await factory.close();

    factory = await createKeyvFactory(url);
    stores = createStores(factory);
    const b = new Outbox(stores.outbox);
    expect(await b.load()).toBe(4);
    const taken: Delivery[] = [];
    for (let d = b.take(Date.now()); d; d = b.take(Date.now())) taken.push(d);
    expect(taken.sort((x, y) => x.chatId - y.chatId)).toEqual(sent.map((d) => JSON.parse(JSON.stringify(d))));
    for (const d of taken) await b.done(d, 0);
    await b.close();
    expect((await records(stores.outbox)).size).toBe(0);
    await factory.close();
  });

  it('resumes compact records after a restart (SQLite), and forgets an orphaned template', async () => {
    const url = `sqlite://${join(dir, 'resume.sqlite')}`;
    let factory = await createKeyvFactory(url);
    let stores = createStores(factory);
    const a = new Outbox(stores.outbox);
    await a.enqueue(Array.from({ length: 50 }, (_, i) => bc(i + 1)));
    const first = a.take(Date.now())!;
    await a.done(first, 0);
    await a.close();
    // An orphan: a template whose deliveries are all gone (a crash between the two deletes).
    await stores.outbox.set('tpl~orphan', { tpl: 'tpl~orphan', prefix: 'bc:x:', shared: { lane: 'broadcast', text: 'x', broadcastId: 'x' } });
    await factory.close();

    factory = await createKeyvFactory(url);
    stores = createStores(factory);
    const b = new Outbox(stores.outbox);
    expect(await b.load()).toBe(49);
    expect(b.broadcastPending('b1')).toBe(49);
    const d = b.take(Date.now())!;
    expect(d).toMatchObject({ id: 'bc:b1:2', chatId: 2, text: 'B: breaking', broadcastId: 'b1', lane: 'broadcast' });
    await b.close();
    expect(await stores.outbox.get('tpl~orphan')).toBeUndefined();
    await factory.close();
  });

  it('a retry that changes the options (plain text) takes the delivery out of its template, stored whole', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const outbox = new Outbox(kv);
    await outbox.enqueue([bc(1, '<b>x'), bc(2, '<b>x')]);
    const d = outbox.take(Date.now())!;
    await outbox.retry(d, Date.now(), { plain: true, text: 'x' });
    expect(await kv.get(d.id)).toMatchObject({ id: 'bc:b1:1', text: 'x', plain: true, attempts: 1 });
    const next = [outbox.take(Date.now() + 1)!, outbox.take(Date.now() + 1)!].sort((a, b) => a.chatId - b.chatId);
    expect(next[0]).toMatchObject({ id: 'bc:b1:1', text: 'x', plain: true, attempts: 1 });
    // The other delivery still shares the template, unchanged.
    expect(next[1]).toMatchObject({ id: 'bc:b1:2', text: '<b>x', attempts: 0 });
    expect(next[1]!.plain).toBeUndefined();
    expect(outbox.broadcastPending('b1')).toBe(2);
  });

  it('cancels a broadcast (its queued jobs and their template go), keeping the one in flight and other jobs of the chats', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const outbox = new Outbox(kv, { flushMs: 10 });
    const alert: Delivery = { id: 'a1:2', chatId: 2, lane: 'alert', text: 'alert', createdAt: T0 + 1, notBefore: T0, attempts: 0 };
    await outbox.enqueue([bc(1), bc(2), bc(3), alert]);
    const inFlight = outbox.take(Date.now())!;
    expect(inFlight.id).toBe('bc:b1:1');
    const dropped = await outbox.dropBroadcast('b1');
    expect(dropped.map((d) => d.id).sort()).toEqual(['bc:b1:2', 'bc:b1:3']);
    expect(outbox.broadcastPending('b1')).toBe(1);
    expect(outbox.size).toBe(2);
    expect(outbox.take(Date.now())?.id).toBe('a1:2');
    await outbox.done(inFlight, 0);
    await vi.advanceTimersByTimeAsync(20);
    const left = await records(kv);
    expect([...left.keys()]).toEqual(['a1:2']);
  });

  it('moves a chat that became a supergroup: its jobs are stored whole under the new chat, their templates go', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const outbox = new Outbox(kv, { flushMs: 10 });
    await outbox.enqueue([bc(-5), { ...bc(-5), id: 'bc:b2:-5', broadcastId: 'b2', text: 'second' }]);
    await outbox.moveChat(-5, -1005);
    const d = outbox.take(Date.now())!;
    expect(d).toMatchObject({ id: 'bc:b1:-5', chatId: -1005, text: 'B: breaking' });
    expect(await kv.get('bc:b1:-5')).toMatchObject({ chatId: -1005, text: 'B: breaking' });
    await outbox.done(d, 0);
    await vi.advanceTimersByTimeAsync(20);
    // No template is left: the moved jobs no longer use them.
    const left = await records(kv);
    expect([...left.values()].filter((v) => typeof v.tpl === 'string')).toEqual([]);
    expect(left.get('bc:b2:-5')).toMatchObject({ chatId: -1005, text: 'second', broadcastId: 'b2' });
    expect(outbox.take(Date.now() + 3000)).toMatchObject({ id: 'bc:b2:-5', chatId: -1005, text: 'second' });
  });

  it('keeps a 100,000-chat broadcast small: under 250 bytes per queued delivery', async () => {
    vi.useRealTimers();
    const kv = new Keyv({ namespace: 'outbox' });
    // No store cost in the measure: the writes go nowhere.
    kv.setMany = (async () => []) as never;
    const outbox = new Outbox(kv);
    const text = 'B: '.padEnd(600, 'x');
    const n = 100_000;
    await outbox.enqueue([bc(0, text)]); // warm up
    // A real collection before each reading, so garbage does not blur the figure.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    // Heap plus array buffers: the typed columns live outside the JS heap.
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    for (let i = 1; i <= n; i += 2000) await outbox.enqueue(Array.from({ length: 2000 }, (_, j) => bc(i + j, text)));
    gc();
    const perJob = (used() - before) / n;
    console.info(`outbox: ${Math.round(perJob)} B of heap and array buffers per queued broadcast delivery`);
    expect(outbox.size).toBe(n + 1);
    // The typed columns (job, chat slot, heap entry) and the chat's Map entry; the earlier form,
    // an object per delivery and per chat with four arrays, measured ~670 B here.
    expect(perJob).toBeLessThan(250);
  });
});

describe('sender: rate window and in-flight budget', () => {
  it('the window counts a request from dispatch to one second after its answer; a slow answer holds back only itself', () => {
    const w = new RateWindow(3);
    const a = w.acquire();
    const b = w.acquire();
    const c = w.acquire();
    expect(w.nextFree()).toBe(Infinity); // all three in flight
    w.release(b, 100);
    w.release(c, 120);
    // Still one in flight (a, slow): the next request may go when b's second is over.
    expect(w.nextFree()).toBe(1100);
    w.acquire(); // at 1100: b's stamp is forgotten
    // a and the new one in flight, c answered less than a second ago: 3 count; c's second ends first.
    expect(w.nextFree()).toBe(1120);
    const d = w.acquire(); // at 1120
    expect(w.nextFree()).toBe(Infinity); // three in flight
    w.release(d, 1130);
    w.release(a, 1125); // answers arrive out of order: kept sorted (as 1130)
    expect(w.nextFree()).toBe(2130);
    expect(new RateWindow(0).nextFree()).toBe(-Infinity);
  });

  it('never lets more than `rate` requests count in any second, whatever the order answers come in', () => {
    const w = new RateWindow(10);
    let now = 0;
    const inflight: Array<{ slot: number; due: number }> = [];
    const starts: number[] = [];
    const answers: Array<{ start: number; end: number }> = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 300;
    while (now < 20_000) {
      for (const r of inflight.filter((x) => x.due <= now)) {
        w.release(r.slot, now);
        inflight.splice(inflight.indexOf(r), 1);
      }
      while (w.nextFree() <= now) {
        const rtt = rand();
        inflight.push({ slot: w.acquire(), due: now + rtt });
        starts.push(now);
        answers.push({ start: now, end: now + rtt });
      }
      now += 1;
    }
    // Telegram may count each message anywhere between dispatch and answer: take the worst
    // case for a window, all of them counted at once. Any second [t, t + 1000) overlaps at most 10.
    for (let t = 0; t < 20_000; t += 50) {
      const overlapping = answers.filter((a) => a.start < t + 1000 && a.end >= t).length;
      expect(overlapping).toBeLessThanOrEqual(10);
    }
    expect(starts.length).toBeGreaterThan(150); // and it kept sending (≈ 10/s less the round trips)
  });

  it('paid sends have their own in-flight budget beside the free lanes', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const outbox = new Outbox(kv);
    const pending: Array<{ chat: number; paid: boolean; answer: () => void }> = [];
    const api = {
      sendMessage: (chat: number, _text: string, o: { allow_paid_broadcast?: boolean }) =>
        new Promise((resolve) => pending.push({ chat, paid: o.allow_paid_broadcast === true, answer: () => resolve({ message_id: 1 }) })),
    } as unknown as Api;
    const events = { delivered: () => undefined, strike: async () => 1, deactivate: async () => undefined, migrate: async () => undefined };
    const sender = new Sender({ api, outbox, chats: events, logger: pino({ level: 'silent' }), globalRate: 0, paidRate: 1000, concurrency: 2, paidConcurrency: 5 });
    await outbox.enqueue([
      ...Array.from({ length: 10 }, (_, i) => bc(i + 1, 'paid', { paid: true })),
      ...Array.from({ length: 10 }, (_, i): Delivery => ({ id: `a:${i + 100}`, chatId: i + 100, lane: 'alert', text: 'a', createdAt: T0, notBefore: T0, attempts: 0 })),
    ]);
    sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(pending.filter((p) => p.paid)).toHaveLength(5);
    expect(pending.filter((p) => !p.paid)).toHaveLength(2);
    expect(sender.inFlight).toBe(7);
    // An answered paid send frees a paid place, not a free one.
    pending.find((p) => p.paid)!.answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(pending.filter((p) => p.paid)).toHaveLength(6);
    expect(pending.filter((p) => !p.paid)).toHaveLength(2);
    for (const p of pending) p.answer();
    const stopped = sender.stop();
    await vi.advanceTimersByTimeAsync(100);
    for (const p of pending) p.answer();
    await stopped;
  });
});

describe('emulator: per-chat summary', () => {
  it('summarizes counts over a range of chats and extra ids', async () => {
    vi.useRealTimers();
    const emu = await BotApiEmulator.start({ keepMessages: false, validate: false });
    try {
      const api = (chat_id: number) =>
        fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id, text: 'x' }) });
      for (const c of [1, 2, 2, 4, 99, 500]) await api(c);
      expect(emu.chatCountSummary(1, 4, [99])).toEqual({ chats: 4, exactlyOnce: 2, missing: 1, duplicates: 1, extra: { '99': 1 }, outside: 1 });
    } finally {
      await emu.close();
    }
  });
});
