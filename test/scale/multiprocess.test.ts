/**
 * Issue 7, end to end: a web process (webhook), two workers and a poller — real child processes of
 * `src/main.ts` — on Redis (store, BullMQ, pub/sub, leader lock) against a local Bot API emulator
 * enforcing 30 messages/s. A /subscribe made through the web process reaches the poller's matcher
 * (an alert arrives), then a 20,000-chat broadcast runs while one worker is killed with SIGKILL
 * halfway: nothing is lost, duplicates are counted and printed.
 *
 * The broadcast is a paid one (`/broadcast !paid`, allow_paid_broadcast, Telegram's 1000/s budget):
 * at the free 30/s, 20,000 messages take 11 minutes. The free 30/s limit is still enforced by the
 * emulator for everything else (replies, the alert), and must never be exceeded (zero 429s).
 * Uses Redis db 7 (flushed before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@keyv/redis';
import { HASAKAH_ITEM, rss } from '../fixtures/articles.js';
import { BotApiEmulator, type SentMessage } from '../helpers/bot-api-emulator.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { redisForSuite } from '../helpers/redis.js';
import { flushDb, freePort, postUpdate, type Proc, seedChats, spawnNabaa, stopAll, waitFor, withDb } from './procs.js';

const redis = await redisForSuite('multi-process deployment (web, 2 workers, poller)');
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const ALICE = 5001;
const ADMIN = 5003;
const N = 20_000;
const FIRST = 300_000;
const SECRET = 'multi-process-secret_1';
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');

describe.skipIf(!redis)('scaled out: web + 2 workers + poller as child processes', () => {
  const url = redis ? withDb(redis.url, 7) : '';
  let emu: BotApiEmulator;
  let feeds: FeedServer;
  let feedBody = rss([]);
  let etag = '"v0"';
  const procs: Proc[] = [];
  let hook = '';
  let kv: ReturnType<typeof createClient>;

  beforeAll(async () => {
    await flushDb(url);
    await seedChats(url, Array.from({ length: N }, (_, i) => FIRST + i));
    emu = await BotApiEmulator.start({ token: TOKEN, globalRate: 30 });
    feeds = await startFeedServer({
      '/feed.xml': (req, res) => {
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(feedBody);
      },
    });
    kv = createClient({ url });
    kv.on('error', () => undefined);
    await kv.connect();
    const port = await freePort();
    hook = `http://127.0.0.1:${port}/tg`;
    const env = {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      STORE_URL: url,
      QUEUE: 'bullmq',
      ADMIN_IDS: String(ADMIN),
      PAID_BROADCAST: 'true',
      FEEDS: `${feeds.url}/feed.xml`,
      POLL_CRON: '*/1 * * * * *',
      ALLOW_PRIVATE_FEEDS: 'true',
      LOG_LEVEL: 'warn',
    };
    procs.push(spawnNabaa('web', { ...env, ROLE: 'web', PORT: String(port), WEBHOOK_URL: hook, WEBHOOK_SECRET: SECRET }));
    procs.push(spawnNabaa('worker-1', { ...env, ROLE: 'worker' }));
    procs.push(spawnNabaa('worker-2', { ...env, ROLE: 'worker' }));
    procs.push(spawnNabaa('poller', { ...env, ROLE: 'poller' }));
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)), 40_000, 'the web process', procs);
    await waitFor(async () => (await kv.zCard('nabaa:workers')) === 2, 40_000, 'two workers', procs);
    await waitFor(async () => (await kv.get('nabaa:poller:leader')) !== null, 40_000, 'a poller leader', procs);
  }, 120_000);

  afterAll(async () => {
    await stopAll(procs);
    await emu?.close();
    await feeds?.close();
    if (kv) kv.destroy();
    if (redis) await flushDb(url);
  }, 60_000);

  const reply = (chat: number, pred: (t: string) => boolean, timeoutMs = 15_000) =>
    emu.waitForMessage((m) => m.chat_id === chat && pred(plain(m.text)), { timeoutMs });

  it('the webhook refuses updates without the secret token and took setWebhook with it', async () => {
    const set = emu.calls('setWebhook');
    expect(set.at(-1)?.payload.url).toBe(hook);
    expect(set.at(-1)?.payload.secret_token).toBe(SECRET);
    expect(await postUpdate(hook, undefined, emu.sendUserMessage('/start', { chatId: 42 }))).toBe(401);
    expect(await postUpdate(hook, 'wrong', emu.sendUserMessage('/start', { chatId: 42 }))).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.messages(42)).toHaveLength(0);
  });

  it('a /subscribe through the web process reaches the poller’s matcher: the alert is sent by a worker', async () => {
    expect(await postUpdate(hook, SECRET, emu.sendUserMessage('/start', { chatId: ALICE }))).toBe(200);
    await reply(ALICE, (t) => t.includes('نبأ'));
    expect(await postUpdate(hook, SECRET, emu.sendUserMessage('/subscribe الحسكة', { chatId: ALICE }))).toBe(200);
    await reply(ALICE, (t) => t.includes('الحسكة'));
    feedBody = rss([{ ...HASAKAH_ITEM, date: new Date() }]);
    etag = '"v1"';
    const alert = await reply(ALICE, (t) => t.includes(HASAKAH_ITEM.title), 30_000);
    expect(alert.text).toContain(HASAKAH_ITEM.link);
  }, 60_000);

  it('broadcast to 20,000 chats, one worker SIGKILLed halfway: lost = 0, duplicates counted, zero 429s', async () => {
    const text = 'تنبيه للجميع من عدة عمليات';
    expect(await postUpdate(hook, SECRET, emu.sendUserMessage(`/broadcast !paid ${text}`, { chatId: ADMIN }))).toBe(200);
    const preview = await reply(ADMIN, (t) => t.includes(text));
    const data = (preview.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0]![0]!.callback_data;
    expect(data).toMatch(/^bc:send:/);
    const t0 = Date.now();
    expect(await postUpdate(hook, SECRET, emu.clickButton(preview as SentMessage, data))).toBe(200);

    // Counted incrementally (the test process shares the CPU with the four it watches).
    const perChat = new Map<number, number>();
    let seen = 0;
    let total = 0;
    const scan = () => {
      const all = emu.messages();
      for (; seen < all.length; seen++) {
        const m = all[seen]!;
        if (m.chat_id < FIRST || m.chat_id >= FIRST + N || !(m.text ?? '').includes(text)) continue;
        perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
        total++;
      }
      return perChat.size;
    };
    await waitFor(() => scan() >= N / 2, 120_000, 'half of the broadcast', procs, 100);
    const killedAt = total;
    procs[1]!.child.kill('SIGKILL');
    expect(await procs[1]!.exited).toBe(-1);

    await waitFor(() => scan() >= N, 150_000, 'every chat to receive the broadcast', procs, 250);
    const elapsed = Date.now() - t0;
    // A moment for any late repeat to show up before counting.
    await new Promise((r) => setTimeout(r, 1000));
    scan();
    const report = { chats: N, received: perChat.size, lost: N - perChat.size, duplicates: total - perChat.size, killedAfter: killedAt, seconds: elapsed / 1000, rejected429: emu.stats().rejected429 };
    console.log(`multi-process broadcast: ${JSON.stringify(report)}`);
    expect(report.lost).toBe(0);
    // Only jobs in flight at the kill can repeat (at most the worker's concurrency).
    expect(report.duplicates).toBeLessThanOrEqual(64);
    expect(emu.stats().rejected429).toBe(0);
    // The survivors are still up.
    for (const p of [procs[0]!, procs[2]!, procs[3]!]) expect(p.child.exitCode).toBeNull();
  }, 300_000);
});
