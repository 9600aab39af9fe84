/** ROLE=all with QUEUE=bullmq: every part in one process (long polling), deliveries through BullMQ. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../src/config.js';
import { type ScaledApp, startScaledApp } from '../../src/roles/scaled.js';
import { HASAKAH_ITEM, rss } from '../fixtures/articles.js';
import { BotApiEmulator } from '../helpers/bot-api-emulator.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { deletePrefix, redisForSuite } from '../helpers/redis.js';

const redis = await redisForSuite('ROLE=all with QUEUE=bullmq');
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const ALICE = 6001;
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');

describe.skipIf(!redis)('one process, QUEUE=bullmq', () => {
  let emu: BotApiEmulator;
  let feeds: FeedServer;
  let app: ScaledApp;
  let feedBody = rss([]);
  let etag = '"a0"';

  beforeAll(async () => {
    emu = await BotApiEmulator.start({ token: TOKEN, globalRate: 30 });
    feeds = await startFeedServer({
      '/feed.xml': (req, res) => {
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(feedBody);
      },
    });
    const config = createConfig({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      STORE_URL: redis!.url,
      QUEUE: 'bullmq',
      FEEDS: `${feeds.url}/feed.xml`,
      POLL_CRON: '*/1 * * * * *',
      ALLOW_PRIVATE_FEEDS: 'true',
    });
    app = await startScaledApp(config, pino({ level: 'silent' }), { prefix: redis!.prefix, leaderTtlMs: 3000 });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
    await feeds?.close();
    if (redis) await deletePrefix(redis.url, redis.prefix);
  });

  it('answers by long polling, leads the polling, and sends the alert through its own worker', async () => {
    expect(app.role).toBe('all');
    expect(app.webhook).toBeUndefined();
    await emu.waitForCall('deleteWebhook', () => true, 10_000);
    emu.sendUserMessage('/subscribe الحسكة', { chatId: ALICE });
    await emu.waitForMessage((m) => m.chat_id === ALICE && plain(m.text).includes('الحسكة'), { timeoutMs: 10_000 });
    await expect.poll(() => app.leader?.isLeader, { timeout: 5000 }).toBe(true);
    feedBody = rss([{ ...HASAKAH_ITEM, date: new Date() }]);
    etag = '"a1"';
    const alert = await emu.waitForMessage((m) => m.chat_id === ALICE && plain(m.text).includes(HASAKAH_ITEM.title), { timeoutMs: 20_000 });
    expect(alert.text).toContain(HASAKAH_ITEM.link);
    await expect.poll(() => app.worker!.counts.sent, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
