import { Bot } from 'grammy';
import Keyv from 'keyv';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseBroadcastArgs } from '../../src/bot/features/broadcast.js';
import { type BroadcastRecord, Broadcasts, estimateLeft, formatDuration, segmentAudience } from '../../src/delivery/broadcast.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { type ChatEvents, Sender } from '../../src/delivery/sender.js';
import type { MetaStore } from '../../src/store/stores.js';
import { recordApi, TEST_BOT_INFO } from '../helpers/recorded-api.js';

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const ADMIN = 900;

function metaOn(kv: Keyv): MetaStore {
  return {
    get: async (k) => kv.get(k),
    set: async (k, v, ttl) => void (await kv.set(k, v, ttl)),
    incr: async (k, by = 1) => {
      const n = ((await kv.get<number>(k)) ?? 0) + by;
      await kv.set(k, n);
      return n;
    },
  };
}

const events: ChatEvents = { delivered: () => undefined, strike: async () => 99, deactivate: async () => undefined, migrate: async () => undefined };
const t = (_l: string, key: string, vars?: Record<string, string | number>) => `${key} ${JSON.stringify(vars ?? {})}`;

/** A world on given stores (pass the same ones again to model a restart). */
function world(opts: { outboxKv: Keyv; metaKv: Keyv; chats: number; globalRate?: number; chunk?: number }) {
  const outbox = new Outbox(opts.outboxKv);
  const bot = new Bot('123:abc', { botInfo: TEST_BOT_INFO });
  const api = recordApi(bot);
  const sender = new Sender({ api: bot.api, outbox, chats: events, logger, globalRate: opts.globalRate ?? 30, random: () => 0.5 });
  const audience = Array.from({ length: opts.chats }, (_, i) => i + 1);
  const jobs = new Broadcasts({
    meta: metaOn(opts.metaKv),
    outbox,
    audience: () => audience,
    localeOf: () => 'en',
    render: (rec) => `B: ${rec.text}`,
    t,
    logger,
    chunk: opts.chunk ?? 4,
  });
  const sentTo = () => api.sent().filter((m) => m.method === 'sendMessage' && String(m.text).startsWith('B: ')).map((m) => Number(m.chat_id));
  const reports = () => api.sent().filter((m) => m.method === 'sendMessage' && m.chat_id === ADMIN).map((m) => String(m.text));
  return { outbox, bot, api, sender, jobs, sentTo, reports };
}

async function newBroadcast(jobs: Broadcasts, extra: Partial<BroadcastRecord> = {}) {
  return jobs.create({ id: 'b1', text: 'breaking', by: ADMIN, adminChat: ADMIN, adminLocale: 'en', paid: false, ...extra });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('broadcast job', () => {
  it('expands in chunks, sends one message per chat, edits progress at most every 3 s, and reports', async () => {
    const w = world({ outboxKv: new Keyv(), metaKv: new Keyv(), chats: 20, globalRate: 2 });
    w.sender.start();
    await w.jobs.attach(w.bot.api, w.sender);
    const rec = await newBroadcast(w.jobs);
    expect(rec.total).toBe(20);
    await w.jobs.confirm(rec.id, 55);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(w.sentTo().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Progress edits: never closer than 3 s, and they show the counters.
    const edits = w.api.calls.filter((c) => c.method === 'editMessageText');
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(edits.every((e) => e.payload.message_id === 55 && e.payload.chat_id === ADMIN)).toBe(true);
    expect(String(edits[0]!.payload.text)).toMatch(/^broadcast-progress .*"total":20/);
    expect(edits[0]!.payload.reply_markup.inline_keyboard[0][0].callback_data).toBe('bc:stop:b1');
    // The last edit is the final state, without the stop button.
    expect(String(edits.at(-1)!.payload.text)).toMatch(/^broadcast-done .*"sent":20,"failed":0/);
    expect(edits.at(-1)!.payload.reply_markup).toBeUndefined();
    expect(w.reports()).toEqual([expect.stringMatching(/^broadcast-done .*"sent":20,"failed":0,"total":20/)]);
    expect((await w.jobs.get('b1'))?.status).toBe('done');
    await w.jobs.stop();
    await w.sender.stop();
  });

  it('never edits the progress message more often than every 3 s, and a failed edit does not stop the job', async () => {
    const w = world({ outboxKv: new Keyv(), metaKv: new Keyv(), chats: 30, globalRate: 2 });
    const editTimes: number[] = [];
    w.api.answer('editMessageText', () => {
      editTimes.push(Date.now());
      if (editTimes.length === 1) throw new Error('fetch failed'); // the first edit fails
      return true;
    });
    w.sender.start();
    await w.jobs.attach(w.bot.api, w.sender);
    await w.jobs.confirm((await newBroadcast(w.jobs)).id, 7);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(w.sentTo()).toHaveLength(30);
    const progress = editTimes.slice(0, -1); // the last one is the final edit, right at the end
    for (let i = 1; i < progress.length; i++) expect(progress[i]! - progress[i - 1]!).toBeGreaterThanOrEqual(3000);
    expect(w.reports()).toHaveLength(1);
    await w.jobs.stop();
    await w.sender.stop();
  });

  it('counts a chat that cannot be reached as failed', async () => {
    const w = world({ outboxKv: new Keyv(), metaKv: new Keyv(), chats: 5 });
    w.api.answer('sendMessage', (p) => {
      if (p.chat_id === 3) throw Object.assign(new Error('x'), {});
      return { message_id: 1, date: 0, chat: { id: p.chat_id, type: 'private', first_name: 'x' }, text: p.text };
    });
    w.api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    w.sender.start();
    await w.jobs.attach(w.bot.api, w.sender);
    await w.jobs.confirm((await newBroadcast(w.jobs)).id, undefined);
    await vi.advanceTimersByTimeAsync(2000);
    const rec = await w.jobs.get('b1');
    // One failNext (the first send, to chat 1) plus chat 3 throwing a non-Telegram error: both dropped.
    expect(rec).toMatchObject({ status: 'done', failed: 2, sent: 3, total: 5 });
    expect(w.reports()[0]).toMatch(/"sent":3,"failed":2/);
    await w.jobs.stop();
    await w.sender.stop();
  });

  it('cancel stops further sends of that broadcast and reports what was cancelled', async () => {
    const w = world({ outboxKv: new Keyv(), metaKv: new Keyv(), chats: 20, globalRate: 2 });
    w.sender.start();
    await w.jobs.attach(w.bot.api, w.sender);
    await w.jobs.confirm((await newBroadcast(w.jobs)).id, 9);
    await vi.advanceTimersByTimeAsync(1500);
    const before = w.sentTo().length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(20);
    const rec = await w.jobs.cancel('b1');
    expect(rec.status).toBe('cancelled');
    expect(w.outbox.broadcastPending('b1')).toBeLessThanOrEqual(1); // at most one still in flight
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.sentTo().length).toBeLessThanOrEqual(before + 1);
    expect(rec.cancelled).toBeGreaterThanOrEqual(20 - before - 1);
    expect(w.reports()).toEqual([expect.stringMatching(/^broadcast-stopped /)]);
    await w.jobs.stop();
    await w.sender.stop();
  });

  it('resumes after a restart: the expansion from its cursor, the deliveries from the outbox', async () => {
    const outboxKv = new Keyv();
    const metaKv = new Keyv();
    const a = world({ outboxKv, metaKv, chats: 25, chunk: 4 });
    // Process A confirms and is stopped after the first chunk, before sending anything.
    const rec = await newBroadcast(a.jobs);
    await a.jobs.confirm(rec.id, undefined);
    // (the expansion yields between chunks with setImmediate, which the fake clock drives)
    const stopping = a.jobs.stop();
    await vi.advanceTimersByTimeAsync(10);
    await stopping;
    await a.outbox.close();
    const saved = await metaKv.get<BroadcastRecord>('broadcast:b1');
    expect(saved).toMatchObject({ status: 'sending', expandDone: false });
    expect(saved!.expanded).toBeGreaterThan(0);
    expect(saved!.expanded).toBeLessThan(25);

    // Process B: same stores.
    const b = world({ outboxKv, metaKv, chats: 25, chunk: 4 });
    expect(await b.outbox.load()).toBe(saved!.expanded);
    b.sender.start();
    expect(await b.jobs.attach(b.bot.api, b.sender)).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(b.sentTo().sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(b.reports()).toEqual([expect.stringMatching(/"sent":25,"failed":0,"total":25/)]);
    await b.jobs.stop();
    await b.sender.stop();
  });

  it('a double confirmation cannot send twice', async () => {
    const w = world({ outboxKv: new Keyv(), metaKv: new Keyv(), chats: 3 });
    const rec = await newBroadcast(w.jobs);
    await w.jobs.confirm(rec.id, undefined);
    await expect(w.jobs.confirm(rec.id, undefined)).rejects.toThrow(/sending/);
    await vi.advanceTimersByTimeAsync(10);
    await w.jobs.stop();
    expect(w.outbox.size).toBe(3);
  });
});

describe('broadcast helpers', () => {
  it('parses paid and segment options before the text', () => {
    expect(parseBroadcastArgs('hello world')).toEqual({ text: 'hello world', paid: false });
    expect(parseBroadcastArgs('!paid #رياضة هدف!')).toEqual({ text: 'هدف!', paid: true, segment: { sigil: '#', name: 'رياضة' } });
    expect(parseBroadcastArgs('@دير_الزور  خبر  عاجل')).toEqual({ text: 'خبر  عاجل', paid: false, segment: { sigil: '@', name: 'دير الزور' } });
    // Only the first segment is an option; a second one is text.
    expect(parseBroadcastArgs('#a #b c')).toEqual({ text: '#b c', paid: false, segment: { sigil: '#', name: 'a' } });
    expect(parseBroadcastArgs('!paid')).toEqual({ text: '', paid: true });
  });

  it('a place segment reaches followers of places inside it', () => {
    const index = {
      audience: (s?: { topic?: string; place?: string; placeWithin?: (id: string) => boolean }) => {
        const byPlace: Record<string, number[]> = { sy: [1], hasakah: [2], eg: [3] };
        if (!s) return [1, 2, 3, 4];
        if (s.topic) return s.topic === 'sports' ? [4] : [];
        return Object.entries(byPlace)
          .filter(([p]) => p === s.place || s.placeWithin?.(p))
          .flatMap(([, ids]) => ids);
      },
    };
    const gaz = { ancestors: (id: string) => (id === 'hasakah' ? ['sy'] : []) };
    expect(segmentAudience(index, gaz, { kind: 'place', id: 'sy' }).sort()).toEqual([1, 2]);
    expect(segmentAudience(index, gaz, { kind: 'topic', id: 'sports' })).toEqual([4]);
    expect(segmentAudience(index, gaz, undefined)).toEqual([1, 2, 3, 4]);
  });

  it('estimates the time left from the rate so far', () => {
    const rec = { total: 100, sent: 20, failed: 5, cancelled: 0, startedAt: 1000 } as BroadcastRecord;
    expect(estimateLeft(rec, 11_000)).toBe(30_000); // 25 in 10 s → 75 more in 30 s
    expect(estimateLeft({ ...rec, sent: 0, failed: 0 }, 11_000)).toBeUndefined();
    expect(formatDuration(30_000)).toBe('0:30');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
