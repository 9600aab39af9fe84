import { Bot } from 'grammy';
import Keyv from 'keyv';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../src/delivery/outbox.js';
import { htmlToPlain, Sender } from '../../src/delivery/sender.js';
import { Profiles } from '../../src/profiles.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import type { Delivery, Lane } from '../../src/types.js';
import { recordApi, TEST_BOT_INFO } from '../helpers/recorded-api.js';

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

async function setup(opts: { globalRate?: number; chats?: number[] } = {}) {
  const stores = createStores(await createKeyvFactory('memory://'));
  const profiles = new Profiles(stores.chats, { locale: 'ar', now: Date.now });
  for (const id of opts.chats ?? [1, 2, 3]) await profiles.update(id, id > 0 ? 'private' : 'group', (p) => void p.topics.push('politics'));
  const outbox = new Outbox(stores.outbox);
  const bot = new Bot('123:abc', { botInfo: TEST_BOT_INFO });
  const api = recordApi(bot);
  const sender = new Sender({ api: bot.api, outbox, chats: profiles, logger, globalRate: opts.globalRate ?? 30, random: () => 0.5 });
  const sentAt: Array<{ chat: number; text: string; at: number; parse?: string }> = [];
  api.answer('sendMessage', (p) => {
    sentAt.push({ chat: Number(p.chat_id), text: p.text, at: Date.now(), parse: p.parse_mode });
    return { message_id: sentAt.length, date: 0, chat: { id: p.chat_id, type: 'private', first_name: 'x' }, text: p.text };
  });
  return { stores, profiles, outbox, api, sender, sentAt };
}

let seq = 0;
function job(chatId: number, lane: Lane = 'alert', text = `m${++seq}`): Delivery {
  return { id: `j${seq}-${chatId}-${text}`, chatId, lane, text, createdAt: Date.now() + seq, notBefore: 0, attempts: 0 };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sender pacing', () => {
  it('sends to one chat at most once per second and in order, without starving other chats', async () => {
    const s = await setup();
    await s.outbox.enqueue([job(1, 'alert', 'a1'), job(1, 'alert', 'a2'), job(1, 'alert', 'a3'), job(2, 'alert', 'b1')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(s.sentAt.map((m) => m.text).sort()).toEqual(['a1', 'b1']);
    await vi.advanceTimersByTimeAsync(2500);
    const chat1 = s.sentAt.filter((m) => m.chat === 1);
    expect(chat1.map((m) => m.text)).toEqual(['a1', 'a2', 'a3']);
    expect(chat1[1]!.at - chat1[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(chat1[2]!.at - chat1[1]!.at).toBeGreaterThanOrEqual(1000);
    expect(s.outbox.size).toBe(0);
    await s.sender.stop();
  });

  it('keeps under the global rate in any one-second window', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const s = await setup({ globalRate: 10, chats: ids });
    await s.outbox.enqueue(ids.map((id) => job(id)));
    s.sender.start();
    await vi.advanceTimersByTimeAsync(4500);
    expect(s.sentAt).toHaveLength(40);
    for (const m of s.sentAt) {
      const inWindow = s.sentAt.filter((o) => o.at > m.at - 1000 && o.at <= m.at).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    await s.sender.stop();
  });

  it('serves the broadcast lane before alerts and digests', async () => {
    const s = await setup({ globalRate: 1, chats: [1, 2, 3] });
    await s.outbox.enqueue([job(1, 'digest', 'd'), job(2, 'alert', 'a'), job(3, 'broadcast', 'b')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(3500);
    expect(s.sentAt.map((m) => m.text)).toEqual(['b', 'a', 'd']);
    await s.sender.stop();
  });
});

describe('sender error policy', () => {
  it('429 waits retry_after, holds the lane, and then delivers once', async () => {
    const s = await setup();
    s.api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } });
    await s.outbox.enqueue([job(1, 'alert', 'x')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(10);
    await s.outbox.enqueue([job(2, 'alert', 'y')]);
    await vi.advanceTimersByTimeAsync(4000);
    // The lane is held: y (another chat) waits too.
    expect(s.sentAt.map((m) => m.text)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(s.sentAt.map((m) => m.text).sort()).toEqual(['x', 'y']);
    expect(s.sender.counts.throttled).toBe(1);
    await s.sender.stop();
  });

  it('5xx and network errors back off and retry', async () => {
    const s = await setup();
    s.api.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    await s.outbox.enqueue([job(1, 'alert', 'x')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.sentAt).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(3000);
    expect(s.sentAt.map((m) => m.text)).toEqual(['x']);
    expect(s.sender.counts.retried).toBe(1);
    await s.sender.stop();
  });

  it('one transient 403 does not deactivate; repeated 403s do, and drop the chat queue', async () => {
    const s = await setup();
    s.api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await s.outbox.enqueue([job(1, 'alert', 'x')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(s.sentAt.map((m) => m.text)).toEqual(['x']);
    expect(s.profiles.get(1)?.deactivated).toBeUndefined();
    expect(s.profiles.get(1)?.strikes).toBe(0);

    for (let i = 0; i < 3; i++) s.api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await s.outbox.enqueue([job(1, 'alert', 'y'), job(1, 'alert', 'z')]);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(s.profiles.get(1)?.deactivated).toMatch(/blocked/);
    expect(s.profiles.index.audience()).not.toContain(1);
    expect(s.outbox.size).toBe(0);
    expect(s.sentAt.map((m) => m.text)).toEqual(['x']);
    await s.sender.stop();
  });

  it('400 chat not found deactivates at once', async () => {
    const s = await setup();
    s.api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await s.outbox.enqueue([job(2, 'alert', 'x')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.profiles.get(2)?.deactivated).toMatch(/chat not found/);
    expect(s.sender.counts.deactivated).toBe(1);
    await s.sender.stop();
  });

  it('migrate_to_chat_id moves the profile and resends to the new chat', async () => {
    const s = await setup({ chats: [-42] });
    s.api.failNext('sendMessage', {
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -100123 },
    });
    await s.outbox.enqueue([job(-42, 'alert', 'x')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.sentAt.map((m) => [m.chat, m.text])).toEqual([[-100123, 'x']]);
    expect(s.profiles.get(-42)).toBeUndefined();
    expect(s.profiles.get(-100123)?.topics).toEqual(['politics']);
    expect(await s.stores.chats.get(-100123)).toBeDefined();
    await s.sender.stop();
  });

  it("can't parse entities: resends as plain text", async () => {
    const s = await setup();
    s.api.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    await s.outbox.enqueue([job(1, 'alert', '<b>عاجل</b> &amp; <a href="https://x.test/a">رابط</a>')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.sentAt).toEqual([expect.objectContaining({ text: 'عاجل & رابط (https://x.test/a)', parse: undefined })]);
    expect(s.sender.counts.plain).toBe(1);
    await s.sender.stop();
  });
});

describe('outbox durability', () => {
  it('keeps a job until Telegram accepted it; a new outbox on the same store resumes it', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const a = new Outbox(kv);
    const d = job(7, 'alert', 'survives');
    await a.enqueue([d]);
    const taken = a.take(Date.now());
    expect(taken?.id).toBe(d.id);
    // crash before done(): a new process loads the same store
    const b = new Outbox(kv);
    expect(await b.load()).toBe(1);
    expect(b.take(Date.now())?.text).toBe('survives');
    await b.done(d, Date.now() + 1000);
    // Deletes are written behind: durable once flushed (100 ms later, or at close).
    await b.close();
    expect(await new Outbox(kv).load()).toBe(0);
  });

  it('htmlToPlain keeps link targets', () => {
    expect(htmlToPlain('<b>a</b> <a href="https://e.test/?a=1&amp;b=2">x</a> &lt;3')).toBe('a x (https://e.test/?a=1&b=2) <3');
  });
});

describe('sender: more of the error policy, paid pacing, and the write-behind outbox (issue 4)', () => {
  it('a network error backs off with jitter and retries', async () => {
    const s = await setup();
    let first = true;
    s.api.answer('sendMessage', (p) => {
      if (first) {
        first = false;
        throw new Error('fetch failed: ECONNRESET');
      }
      s.sentAt.push({ chat: Number(p.chat_id), text: p.text, at: Date.now() });
      return { message_id: 1, date: 0, chat: { id: p.chat_id, type: 'private', first_name: 'x' }, text: p.text };
    });
    await s.outbox.enqueue([job(1, 'alert', 'x')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.sentAt).toHaveLength(0); // backoff(0) with rand 0.5 = 1.5 s
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.sentAt.map((m) => m.text)).toEqual(['x']);
    expect(s.sender.counts.retried).toBe(1);
    await s.sender.stop();
  });

  it('a closed forum topic falls back to the chat itself', async () => {
    const s = await setup({ chats: [-7] });
    s.api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: TOPIC_CLOSED' });
    await s.outbox.enqueue([{ ...job(-7, 'alert', 'x'), threadId: 12 }]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    const calls = s.api.callsTo('sendMessage');
    expect(calls.map((c) => c.message_thread_id)).toEqual([12, undefined]);
    expect(s.sentAt.map((m) => m.text)).toEqual(['x']);
    expect(s.sender.counts.unthreaded).toBe(1);
    await s.sender.stop();
  });

  it('paid broadcasts go past the free rate with allow_paid_broadcast; a refused one is sent within the free limit', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    const s = await setup({ globalRate: 2, chats: ids });
    await s.outbox.enqueue([...ids.slice(0, 25).map((id) => ({ ...job(id, 'broadcast'), paid: true })), ...ids.slice(25).map((id) => job(id, 'alert'))]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(50);
    const calls = s.api.callsTo('sendMessage');
    // All 25 paid at once (paid budget 1000/s), only 2 free ones in the first second.
    expect(calls.filter((c) => c.allow_paid_broadcast === true)).toHaveLength(25);
    expect(calls.filter((c) => c.allow_paid_broadcast === undefined)).toHaveLength(2);
    await s.sender.stop();

    const t = await setup({ chats: [1] });
    t.api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: not enough stars for paid broadcast' });
    await t.outbox.enqueue([{ ...job(1, 'broadcast', 'p'), paid: true }]);
    t.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(t.api.callsTo('sendMessage').map((c) => c.allow_paid_broadcast)).toEqual([true, undefined]);
    expect(t.sender.counts.unpaid).toBe(1);
    await t.sender.stop();
  });

  it('spaces messages to a group 3 s apart (20 per minute)', async () => {
    const s = await setup({ chats: [-5] });
    await s.outbox.enqueue([job(-5, 'alert', 'g1'), job(-5, 'alert', 'g2'), job(-5, 'alert', 'g3')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(7000);
    const at = s.sentAt.map((m) => m.at);
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(3000);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(3000);
    await s.sender.stop();
  });

  it('reports final outcomes, including the queued jobs of a chat that turned out to be gone', async () => {
    const s = await setup({ chats: [4] });
    const finals: string[] = [];
    s.sender.onFinal((d, result) => finals.push(`${d.text}:${result}`));
    s.api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await s.outbox.enqueue([job(4, 'alert', 'a'), job(4, 'digest', 'b'), job(5, 'alert', 'c')]);
    s.sender.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(finals.sort()).toEqual(['a:failed', 'b:failed', 'c:sent']);
    expect(s.outbox.size).toBe(0);
    expect(s.outbox.depth()).toEqual({ broadcast: 0, alert: 0, digest: 0 });
    await s.sender.stop();
  });

  it('writes deletes behind in batches, forgets an id only once its delete is durable, and retries a failed flush', async () => {
    const kv = new Keyv({ namespace: 'outbox' });
    const errors: unknown[] = [];
    const outbox = new Outbox(kv, { flushMs: 100, flushBatch: 3, onFlushError: (e) => errors.push(e) });
    const jobs = [job(1), job(2), job(3), job(4)];
    await outbox.enqueue(jobs);
    expect(outbox.depth().alert).toBe(4);
    const a = outbox.take(Date.now())!;
    await outbox.done(a, 0);
    expect(await kv.get(a.id)).toBeDefined(); // not yet: written behind
    expect(outbox.unflushed).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(await kv.get(a.id)).toBeUndefined();
    expect(outbox.unflushed).toBe(0);

    // A failing store keeps the ids queued and tries again.
    const realDeleteMany = kv.deleteMany.bind(kv);
    let fail = true;
    kv.deleteMany = (async (keys: string[]) => {
      if (fail) {
        fail = false;
        throw new Error('SQLITE_BUSY');
      }
      return realDeleteMany(keys);
    }) as typeof kv.deleteMany;
    const b = outbox.take(Date.now())!;
    await outbox.drop(b);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toHaveLength(1);
    expect(outbox.unflushed).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(outbox.unflushed).toBe(0);
    expect(await kv.get(b.id)).toBeUndefined();
    expect(outbox.depth().alert).toBe(2);
    await outbox.close();
  });

  it('the rate window stamps a slot with the response time, so a slow answer delays the next use of its slot', async () => {
    const { RateWindow } = await import('../../src/delivery/sender.js');
    const w = new RateWindow(2);
    const a = w.acquire();
    const b = w.acquire();
    expect(w.nextFree()).toBe(Infinity); // slot a is in flight
    w.release(a, 1500);
    w.release(b, 1200);
    expect(w.nextFree()).toBe(2500);
    expect(new RateWindow(0).nextFree()).toBe(-Infinity); // no limit
  });
});
