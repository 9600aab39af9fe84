/**
 * `npm run bench -- scale [--messages N] [--limited N] [--kill N] [--updates N]`
 *
 * Issue 7, measured on Redis (REDIS_URL, default 127.0.0.1:6379; db 8 is flushed before and after)
 * with real worker processes (`ROLE=worker QUEUE=bullmq node --import tsx src/main.ts`):
 * - aggregate send rate of 1, 2 and 4 workers against a no-limit emulator, and against one
 *   enforcing 30/s (rate as a fraction of the limit, 429s);
 * - a killed-worker run: two workers, one SIGKILLed halfway; lost and duplicates;
 * - matcher index update delay across processes: profile updates in this process, applied by a
 *   subscriber in a child process (pub/sub), delay per update.
 */
import { spawn } from 'node:child_process';
import pino from 'pino';
import { BullDeliveryQueue } from '../src/delivery/bullmq-queue.js';
import { Profiles } from '../src/profiles.js';
import { startProfileSync } from '../src/scale/pubsub.js';
import { createKeyvFactory } from '../src/store/keyv.js';
import { createStores } from '../src/store/stores.js';
import type { Delivery } from '../src/types.js';
import { BotApiEmulator } from '../test/helpers/bot-api-emulator.js';
import { probeRedis, REDIS_URL } from '../test/helpers/redis.js';
import { flushDb, type Proc, spawnNabaa, stopAll, waitFor, withDb } from '../test/scale/procs.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const logger = pino({ level: 'silent' });
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : dflt;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

let seq = 0;
function deliveries(n: number, tag: string, paid = false): Delivery[] {
  const t = Date.now();
  seq++;
  return Array.from({ length: n }, (_, i) => ({
    id: `bench:${tag}${seq}:${i}`,
    chatId: 1_000_000 + i,
    lane: 'broadcast' as const,
    text: `bench ${tag} ${i}`,
    createdAt: t,
    notBefore: 0,
    attempts: 0,
    ...(paid ? { paid: true } : {}),
  }));
}

interface RunResult {
  workers: number;
  messages: number;
  accepted: number;
  seconds: number;
  perSecond: number;
  rejected429: number;
  lost?: number;
  duplicates?: number;
}

async function run(o: { url: string; workers: number; messages: number; emuRate: number; globalRate: number; killHalfway?: boolean }): Promise<RunResult> {
  await flushDb(o.url);
  const emu = await BotApiEmulator.start({ token: TOKEN, globalRate: o.emuRate, keepMessages: false, validate: false });
  const env = {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emu.apiRoot,
    STORE_URL: o.url,
    QUEUE: 'bullmq',
    ROLE: 'worker',
    GLOBAL_RATE: String(o.globalRate),
    LOG_LEVEL: 'error',
  };
  const procs: Proc[] = Array.from({ length: o.workers }, (_, i) => spawnNabaa(`worker-${i + 1}`, env));
  const queue = await new BullDeliveryQueue({ redisUrl: o.url, logger }).ready();
  const { createClient } = await import('@keyv/redis');
  const kv = createClient({ url: o.url });
  kv.on('error', () => undefined);
  await kv.connect();
  try {
    await waitFor(async () => (await kv.zCard('nabaa:workers')) === o.workers, 60_000, `${o.workers} workers`, procs);
    const list = deliveries(o.messages, `w${o.workers}r${o.emuRate}`);
    await queue.enqueue(list);
    const accepted = () => emu.stats().accepted;
    await waitFor(() => accepted() > 0, 30_000, 'the first send', procs);
    const t0 = Date.now();
    if (o.killHalfway) {
      await waitFor(() => accepted() >= o.messages / 2, 600_000, 'half the messages', procs);
      procs[0]!.child.kill('SIGKILL');
      await procs[0]!.exited;
    }
    const counts = () => emu.countByChat();
    const distinct = () => counts().size;
    await waitFor(() => distinct() >= o.messages, 900_000, 'every message', procs);
    const seconds = (Date.now() - t0) / 1000;
    // Against a limit of R/s the first R go at once (a full window) and each later window adds R:
    // the sustained rate is (sent − R) over the time from the first to the last send.
    const burst = o.emuRate > 0 ? Math.min(o.emuRate, accepted()) : 0;
    const sustained = (accepted() - burst) / seconds;
    await new Promise((r) => setTimeout(r, 1000));
    const total = [...counts().values()].reduce((a, b) => a + b, 0);
    const r: RunResult = {
      workers: o.workers,
      messages: o.messages,
      accepted: accepted(),
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round(sustained * 10) / 10,
      rejected429: emu.stats().rejected429,
    };
    if (o.killHalfway) Object.assign(r, { lost: o.messages - distinct(), duplicates: total - distinct() });
    log(`  ${JSON.stringify(r)}`);
    return r;
  } finally {
    await stopAll(procs);
    await queue.close();
    kv.destroy();
    await emu.close();
    await flushDb(o.url);
  }
}

/** Profile updates here, applied by a subscriber in a child process; delays reported by the child. */
async function indexDelay(url: string, updates: number) {
  await flushDb(url);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/_index-subscriber.ts', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const delays: number[] = [];
  const total: number[] = [];
  const started = new Map<number, number>();
  let buf = '';
  let ready = false;
  child.stdout!.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line === 'ready') ready = true;
      else if (line) {
        const m = JSON.parse(line) as { id: number; delayMs: number; at: number };
        delays.push(m.delayMs);
        total.push(m.at - (started.get(m.id) ?? m.at));
      }
    }
  });
  await waitFor(() => ready, 30_000, 'the subscriber process');
  const f = await createKeyvFactory(url);
  const stores = createStores(f);
  const profiles = new Profiles(stores.chats, { locale: 'ar', now: Date.now });
  const sync = await startProfileSync({ redis: f.redis!, profiles, chats: stores.chats, logger });
  for (let i = 0; i < updates; i++) {
    const id = 7_000_000 + i;
    started.set(id, Date.now());
    // What /subscribe does: update (save, index, publish).
    await profiles.update(id, 'private', (p) => void (p.places = ['sy-hasakah']));
    await new Promise((r) => setTimeout(r, 5));
  }
  await waitFor(() => delays.length >= updates, 30_000, 'every update applied');
  await sync.close();
  await f.close();
  child.kill('SIGTERM');
  await flushDb(url);
  return {
    updates,
    publishToIndexMs: { p50: percentile(delays, 50), p95: percentile(delays, 95), max: Math.max(...delays) },
    subscribeToIndexMs: { p50: percentile(total, 50), p95: percentile(total, 95), max: Math.max(...total) },
  };
}

export default async function scale(args: string[]) {
  const why = await probeRedis();
  if (why) throw new Error(`scale bench needs Redis at ${REDIS_URL} (${why})`);
  const url = withDb(REDIS_URL, 8);
  const messages = arg(args, 'messages', 20_000);
  const limited = arg(args, 'limited', 450);
  const kill = arg(args, 'kill', 20_000);
  const updates = arg(args, 'updates', 200);

  log(`no-limit emulator, ${messages} messages:`);
  const unlimited: RunResult[] = [];
  for (const workers of [1, 2, 4]) unlimited.push(await run({ url, workers, messages, emuRate: 0, globalRate: 1_000_000 }));

  log(`emulator enforcing 30/s, ${limited} messages:`);
  const at30: Array<RunResult & { ofLimit: number }> = [];
  for (const workers of [1, 2, 4]) {
    const r = await run({ url, workers, messages: limited, emuRate: 30, globalRate: 30 });
    at30.push({ ...r, ofLimit: Math.round((r.perSecond / 30) * 1000) / 1000 });
  }

  log(`killed worker: 2 workers, ${kill} messages, one SIGKILLed halfway:`);
  const killed = await run({ url, workers: 2, messages: kill, emuRate: 0, globalRate: 1_000_000, killHalfway: true });

  log(`matcher index delay across processes, ${updates} updates:`);
  const index = await indexDelay(url, updates);
  log(`  ${JSON.stringify(index)}`);

  return { redis: REDIS_URL.replace(/\/\/[^@]*@/, '//'), unlimited, at30, killed, index };
}
