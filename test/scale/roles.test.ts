/** Role start-up checks, the webhook server, the BullMQ job ids and dedupe, and the /stats status. */
import { Bot } from 'grammy';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, createConfig } from '../../src/config.js';
import { BullDeliveryQueue, BullDeliveryWorker, jobIdOf, QueueUnavailableError } from '../../src/delivery/bullmq-queue.js';
import { startScaledApp } from '../../src/roles/scaled.js';
import { startWebhookServer } from '../../src/roles/web.js';
import { LeaderLock, leaderKey } from '../../src/scale/leader.js';
import { formatScaleStatus, readScaleStatus, registerScaleStatus, scaleStatusLines } from '../../src/scale/status.js';
import { closeRedis, connectRedis } from '../../src/store/redis.js';
import type { Delivery } from '../../src/types.js';
import { BotApiEmulator } from '../helpers/bot-api-emulator.js';
import { TEST_BOT_INFO } from '../helpers/recorded-api.js';
import { deletePrefix, FlakyProxy, redisForSuite } from '../helpers/redis.js';

const logger = pino({ level: 'silent' });
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const config = (env: Record<string, string>) => createConfig({ BOT_TOKEN: TOKEN, ...env });

describe('process roles: configuration checked at start-up', () => {
  it.each([
    [{ ROLE: 'worker' }, /ROLE=worker needs QUEUE=bullmq/],
    [{ ROLE: 'worker', QUEUE: 'bullmq' }, /needs Redis: set REDIS_URL/],
    [{ ROLE: 'poller', QUEUE: 'bullmq', REDIS_URL: 'redis://127.0.0.1:1' }, /ROLE=poller needs STORE_URL=redis/],
    [{ ROLE: 'web', QUEUE: 'bullmq', STORE_URL: 'redis://127.0.0.1:1' }, /ROLE=web needs WEBHOOK_SECRET/],
  ])('%o is refused with a clear ConfigError', async (env, message) => {
    const err = await startScaledApp(config(env), logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('webhook server (ROLE=web)', () => {
  it('checks the secret-token header, the path, and hands good updates to the bot', async () => {
    const bot = new Bot(TOKEN, { botInfo: TEST_BOT_INFO });
    const seen: string[] = [];
    bot.on('message:text', (ctx) => void seen.push(ctx.msg.text));
    const server = await startWebhookServer(bot, { port: 0, host: '127.0.0.1', secret: 's3cret', path: '/tg', logger });
    const base = `http://127.0.0.1:${server.port}`;
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private', first_name: 'a' }, from: { id: 5, is_bot: false, first_name: 'a' }, text: 'hello' } };
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) }).then((r) => r.status);
    try {
      expect(await post('/tg', {})).toBe(401);
      expect(await post('/tg', { 'x-telegram-bot-api-secret-token': 'nope' })).toBe(401);
      expect(await post('/other', { 'x-telegram-bot-api-secret-token': 's3cret' })).toBe(404);
      expect(seen).toEqual([]);
      expect(await post('/tg', { 'x-telegram-bot-api-secret-token': 's3cret' })).toBe(200);
      expect(seen).toEqual(['hello']);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/tg`)).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});

describe('BullMQ job ids', () => {
  it('are valid for BullMQ (no ":", never an integer) and one per delivery id', () => {
    expect(jobIdOf({ id: '0b9c-uuid:12345' })).not.toContain(':');
    expect(jobIdOf({ id: '12345' })).toBe('d~12345');
    expect(jobIdOf({ id: 'a:b' })).not.toBe(jobIdOf({ id: 'a~cb' }));
  });
});

const redis = await redisForSuite('BullMQ queue: ids, dedupe and /stats status');

describe.skipIf(!redis)('BullMQ queue on Redis', () => {
  const prefix = redis?.prefix ?? '';
  afterAll(async () => void (redis && (await deletePrefix(redis.url, prefix))));

  it('takes ids of any shape, enqueues a delivery once however often it is enqueued, and /stats shows workers, depths and the leader', async () => {
    const emu = await BotApiEmulator.start({ token: TOKEN, validate: false });
    const queue = await new BullDeliveryQueue({ redisUrl: redis!.url, prefix, logger }).ready();
    const client = await connectRedis(redis!.url);
    const bot = new Bot(TOKEN, { botInfo: TEST_BOT_INFO, client: { apiRoot: emu.apiRoot } });
    const chats = { delivered: () => undefined, strike: async () => 9, deactivate: async () => undefined, migrate: async () => undefined };
    const worker = new BullDeliveryWorker({ redisUrl: redis!.url, prefix, logger, api: bot.api, chats, id: 'worker-a' });
    const lock = new LeaderLock({ redis: client, prefix, id: 'poller-a', ttlMs: 5000 });
    try {
      const d = (id: string, chatId: number): Delivery => ({ id, chatId, lane: 'alert', text: `t ${id}`, createdAt: Date.now(), notBefore: 0, attempts: 0 });
      const list = [d('3f2a-uuid:101', 101), d('777', 102), d('bc:x1:103', 103)];
      await queue.enqueue(list);
      await queue.enqueue(list); // again: ignored by id
      const counts = await queue.counts();
      expect((counts.deliveries.wait ?? 0) + (counts.deliveries.prioritized ?? 0)).toBe(3);

      lock.start();
      await worker.start();
      const deps = {};
      registerScaleStatus(deps, async (locale) =>
        formatScaleStatus(await readScaleStatus({ redis: client, queue, leaderKey: leaderKey(prefix), role: 'web' }), locale),
      );
      await emu.waitForCount(3, 10_000);
      const status = await readScaleStatus({ redis: client, queue, leaderKey: leaderKey(prefix), role: 'web' });
      expect(status.workers.map((w) => w.id)).toEqual(['worker-a']);
      expect(status.leader?.id).toBe('poller-a');
      const lines = await scaleStatusLines(deps, 'en');
      expect(lines[0]).toMatch(/^Workers alive: 1 — worker-a/);
      expect(lines[2]).toBe('Poller leader: poller-a');
      expect((await scaleStatusLines({}, 'ar')).length).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(emu.stats().accepted).toBe(3);
    } finally {
      await worker.stop();
      await lock.stop();
      await queue.close();
      await closeRedis(client);
      await emu.close();
    }
  });
});

describe('BullMQ queue: Redis down', () => {
  it('start-up fails with QueueUnavailableError within the timeout when nobody answers', async () => {
    const q = new BullDeliveryQueue({ redisUrl: 'redis://127.0.0.1:1', logger });
    const t0 = Date.now();
    const err = await q.ready(1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - t0).toBeLessThan(3000);
    await q.close();
  });

  it.skipIf(!redis)('enqueue fails fast with QueueUnavailableError while Redis is away, and works again after', async () => {
    const proxy = await FlakyProxy.start(redis!.url);
    const q = await new BullDeliveryQueue({ redisUrl: proxy.url(redis!.url), prefix: redis!.prefix, logger }).ready();
    const d = (id: string): Delivery => ({ id, chatId: 9, lane: 'alert', text: 'x', createdAt: Date.now(), notBefore: 0, attempts: 0 });
    try {
      await proxy.down();
      const t0 = Date.now();
      const err = await q.enqueue([d('down:1')]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueueUnavailableError);
      expect(Date.now() - t0).toBeLessThan(6000); // not a hung call
      await proxy.up();
      await expect.poll(() => q.enqueue([d('up:1')]).then(() => 'ok', () => 'down'), { timeout: 8000, interval: 300 }).toBe('ok');
    } finally {
      await q.close();
      await proxy.down();
    }
  }, 20_000);
});
