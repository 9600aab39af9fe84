/**
 * `npm run bench -- delivery [overhead|precision|scale|fault ...]` (default: all four).
 *
 * - overhead: durable sends/s (SQLite outbox + sender → no-limit emulator) ÷ raw concurrent HTTP
 *   requests/s to the same emulator from a plain loop (same concurrency, best of node:http and
 *   fetch), in the same run. Target ≥ 0.5.
 * - precision: achieved steady rate ÷ limit against an emulator enforcing 30/s (and 1000/s for paid
 *   broadcasts), with the count of 429s. Target ≥ 0.95 with zero 429s.
 * - scale: a broadcast job to 100,000 chats: time to expand it into the outbox, time to send it to
 *   a no-limit emulator, peak RSS, and whether every chat got exactly one message.
 * - fault: 10% 429s, 5% 5xx, 2% dropped connections: delivered, missing, duplicates.
 *
 * Machines are shared and noisy: compare ratios, not absolute numbers.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { request as undiciRequest, Agent as UndiciAgent } from 'undici';
import pino from 'pino';
import { Broadcasts } from '../src/delivery/broadcast.js';
import { Outbox } from '../src/delivery/outbox.js';
import { type ChatEvents, Sender } from '../src/delivery/sender.js';
import { createFastFetch } from '../src/delivery/transport.js';
import { createKeyvFactory } from '../src/store/keyv.js';
import { createStores } from '../src/store/stores.js';
import type { Delivery, Lane } from '../src/types.js';
import { BotApiEmulator, type EmulatorOptions } from '../test/helpers/bot-api-emulator.js';

const TOKEN = '5555:BENCH-token';
const CONCURRENCY = 64;
const ADMIN = 999_999_999;
const logger = pino({ level: 'silent' });
const log = (s: string) => process.stderr.write(`${s}\n`);
const chatEvents: ChatEvents = { delivered: () => undefined, strike: async () => 1, deactivate: async () => undefined, migrate: async () => undefined };

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An Outbox + Sender on a fresh SQLite file, like src/app.ts wires them. */
async function system(dir: string, emu: BotApiEmulator, opts: { globalRate: number; paidRate?: number }) {
  const factory = await createKeyvFactory(`sqlite://${join(dir, `bench-${Math.random().toString(36).slice(2)}.sqlite`)}`);
  const stores = createStores(factory);
  const outbox = new Outbox(stores.outbox);
  // As src/app.ts wires it: the sender's own Api on the undici transport.
  const api = new Api(TOKEN, { apiRoot: emu.apiRoot, fetch: createFastFetch() });
  const sender = new Sender({
    api,
    outbox,
    chats: chatEvents,
    logger,
    globalRate: opts.globalRate,
    ...(opts.paidRate ? { paidRate: opts.paidRate } : {}),
    concurrency: CONCURRENCY,
  });
  return {
    stores,
    outbox,
    sender,
    api,
    async close() {
      await sender.stop();
      await outbox.close();
      await factory.close();
    },
  };
}

function deliveries(n: number, opts: { lane?: Lane; paid?: boolean; firstChat?: number } = {}): Delivery[] {
  const t = Date.now();
  const first = opts.firstChat ?? 1;
  return Array.from({ length: n }, (_, i) => ({
    id: `b:${first + i}`,
    chatId: first + i,
    lane: opts.lane ?? 'broadcast',
    text: '📢 <b>نبأ</b>\n\nخبر عاجل للاختبار',
    createdAt: t,
    notBefore: t,
    attempts: 0,
    ...(opts.paid ? { paid: true } : {}),
  }));
}

/** Raw concurrent sendMessage requests: `concurrency` loops, each awaiting its previous answer. */
async function rawRate(emu: BotApiEmulator, n: number, client: 'http' | 'fetch' | 'undici'): Promise<number> {
  const url = new URL(`${emu.apiRoot}/bot${TOKEN}/sendMessage`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const dispatcher = new UndiciAgent({ connections: CONCURRENCY });
  let next = 0;
  const one = (i: number): Promise<void> => {
    const body = JSON.stringify({ chat_id: 1_000_000 + i, text: '📢 <b>نبأ</b>\n\nخبر عاجل للاختبار', parse_mode: 'HTML' });
    if (client === 'undici') {
      return undiciRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher }).then((r) => r.body.text().then(() => undefined));
    }
    if (client === 'fetch') {
      return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.arrayBuffer().then(() => undefined));
    }
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await one(next++);
    }),
  );
  const rate = n / ((performance.now() - t0) / 1000);
  agent.destroy();
  await dispatcher.close();
  return rate;
}

async function overhead(dir: string) {
  const n = 20_000;
  const emu = await BotApiEmulator.start({ token: TOKEN, keepMessages: false, validate: false });
  try {
    await rawRate(emu, 2000, 'http'); // warm-up (JIT, sockets)
    const rawHttp = await rawRate(emu, n, 'http');
    const rawUndici = await rawRate(emu, n, 'undici');
    const rawFetch = await rawRate(emu, n, 'fetch');
    const raw = Math.max(rawHttp, rawUndici, rawFetch);
    log(`overhead: raw http ${Math.round(rawHttp)}/s, undici ${Math.round(rawUndici)}/s, fetch ${Math.round(rawFetch)}/s`);

    const sys = await system(dir, emu, { globalRate: 0 });
    const t0 = performance.now();
    await sys.outbox.enqueue(deliveries(n));
    const enqueueMs = performance.now() - t0;
    const before = emu.stats().accepted;
    const t1 = performance.now();
    sys.sender.start();
    await until(() => sys.sender.counts.sent >= n, 120_000, 'durable sends');
    await sys.outbox.flush(); // the deletes are part of a durable send
    const durable = n / ((performance.now() - t1) / 1000);
    const accepted = emu.stats().accepted - before;
    await sys.close();
    log(`overhead: durable ${Math.round(durable)}/s`);
    return {
      messages: n,
      concurrency: CONCURRENCY,
      rawHttpPerSec: Math.round(rawHttp),
      rawUndiciPerSec: Math.round(rawUndici),
      rawFetchPerSec: Math.round(rawFetch),
      rawBestPerSec: Math.round(raw),
      durableSendsPerSec: Math.round(durable),
      ratio: round(durable / raw),
      target: 0.5,
      enqueuePerSec: Math.round(n / (enqueueMs / 1000)),
      accepted,
    };
  } finally {
    await emu.close();
  }
}

/** Steady rate: what came after the first window's burst, over the time it took. */
function steadyRate(times: number[], limit: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  const span = sorted[sorted.length - 1]! - sorted[0]!;
  return ((sorted.length - limit) * 1000) / span;
}

async function precisionAt(dir: string, limit: number, paid: boolean, seconds: number) {
  const emuOpts: EmulatorOptions = paid ? { globalRate: 30, paidRate: limit } : { globalRate: limit };
  const emu = await BotApiEmulator.start({ token: TOKEN, keepMessages: true, keepCalls: false, validate: false, ...emuOpts });
  try {
    const sys = await system(dir, emu, paid ? { globalRate: 30, paidRate: limit } : { globalRate: limit });
    const n = limit * (seconds + 1);
    await sys.outbox.enqueue(deliveries(n, { paid }));
    sys.sender.start();
    await until(() => emu.stats().accepted >= n, (seconds + 30) * 1000, `${n} messages`);
    await sys.close();
    const achieved = steadyRate(
      emu.messages().map((m) => m.at),
      limit,
    );
    const res = { limit, paid, messages: n, achievedPerSec: round(achieved, 2), ratio: round(achieved / limit), rejected429: emu.stats().rejected429 };
    log(`precision: ${JSON.stringify(res)}`);
    return res;
  } finally {
    await emu.close();
  }
}

async function precision(dir: string) {
  return { free: await precisionAt(dir, 30, false, 10), paid: await precisionAt(dir, 1000, true, 10), target: 0.95 };
}

async function scale(dir: string) {
  const n = 100_000;
  const emu = await BotApiEmulator.start({ token: TOKEN, keepMessages: false, keepCalls: false, validate: false });
  let peak = process.memoryUsage().rss;
  const rssBefore = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const sys = await system(dir, emu, { globalRate: 0 });
    const audience = Array.from({ length: n }, (_, i) => i + 1);
    const jobs = new Broadcasts({
      meta: sys.stores.meta,
      outbox: sys.outbox,
      audience: () => audience,
      localeOf: (id) => (id % 2 ? 'ar' : 'en'),
      render: (rec, locale) => `📢 <b>${locale === 'ar' ? 'نبأ' : 'Nabaa'}</b>\n\n${rec.text}`,
      t: (_l, key, vars) => `${key} ${JSON.stringify(vars ?? {})}`,
      logger,
    });
    await jobs.attach(sys.api, sys.sender);
    const rec = await jobs.create({ id: 'scale', text: 'خبر عاجل', by: 1, adminChat: ADMIN, adminLocale: 'ar', paid: false });
    const t0 = performance.now();
    await jobs.confirm(rec.id, undefined);
    await jobs.expanded(rec.id);
    const enqueueMs = performance.now() - t0;
    log(`scale: ${n} enqueued in ${Math.round(enqueueMs)} ms`);
    sys.sender.start();
    await until(() => emu.stats().accepted >= n + 1, 600_000, 'all messages and the report');
    const totalMs = performance.now() - t0;
    const counts = emu.countByChat();
    let exactlyOnce = 0;
    let duplicates = 0;
    for (let c = 1; c <= n; c++) {
      const k = counts.get(c) ?? 0;
      if (k === 1) exactlyOnce++;
      if (k > 1) duplicates += k - 1;
    }
    await jobs.stop();
    await sys.close();
    const res = {
      chats: n,
      enqueueMs: Math.round(enqueueMs),
      enqueuePerSec: Math.round(n / (enqueueMs / 1000)),
      sendAllMs: Math.round(totalMs),
      sendPerSec: Math.round(n / (totalMs / 1000)),
      rssBeforeMB: Math.round(rssBefore / 1e6),
      peakRssMB: Math.round(peak / 1e6),
      peakTargetMB: 300,
      everyChatExactlyOnce: exactlyOnce === n,
      exactlyOnce,
      duplicates,
      reportSentToAdmin: (counts.get(ADMIN) ?? 0) === 1,
    };
    log(`scale: ${JSON.stringify(res)}`);
    return res;
  } finally {
    clearInterval(sampler);
    await emu.close();
  }
}

async function fault(dir: string) {
  const n = 1500;
  const emu = await BotApiEmulator.start({
    token: TOKEN,
    keepMessages: false,
    validate: false,
    rate429: 0.1,
    errorRate: 0.05,
    dropRate: 0.02,
    seed: 42,
  });
  try {
    const sys = await system(dir, emu, { globalRate: 0 });
    // Spread over the three lanes: a 429 holds its whole lane for retry_after.
    const third = n / 3;
    await sys.outbox.enqueue([
      ...deliveries(third, { lane: 'broadcast', firstChat: 1 }),
      ...deliveries(third, { lane: 'alert', firstChat: third + 1 }),
      ...deliveries(third, { lane: 'digest', firstChat: 2 * third + 1 }),
    ]);
    const t0 = performance.now();
    sys.sender.start();
    await until(() => sys.outbox.size === 0 && sys.sender.inFlight === 0, 600_000, 'the outbox to drain');
    const ms = performance.now() - t0;
    await sys.close();
    const counts = emu.countByChat();
    let missing = 0;
    let duplicates = 0;
    for (let c = 1; c <= n; c++) {
      const k = counts.get(c) ?? 0;
      if (k === 0) missing++;
      if (k > 1) duplicates += k - 1;
    }
    const st = emu.stats();
    const res = {
      messages: n,
      delivered: n - missing,
      missing,
      duplicates,
      dropped: sys.sender.counts.dropped,
      senderCounts: sys.sender.counts,
      emulator: { accepted: st.accepted, rejected429: st.rejected429, rejected5xx: st.rejected5xx, droppedConnections: st.dropped },
      seconds: round(ms / 1000, 1),
    };
    log(`fault: ${JSON.stringify(res)}`);
    return res;
  } finally {
    await emu.close();
  }
}

export default async function run(args: string[]) {
  const which = args.length ? args : ['overhead', 'precision', 'scale', 'fault'];
  const dir = mkdtempSync(join(tmpdir(), 'nabaa-bench-'));
  const out: Record<string, unknown> = { cpus: (await import('node:os')).cpus().length };
  try {
    if (which.includes('overhead')) out.overhead = await overhead(dir);
    if (which.includes('precision')) out.precision = await precision(dir);
    if (which.includes('scale')) out.scale = await scale(dir);
    if (which.includes('fault')) out.fault = await fault(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
