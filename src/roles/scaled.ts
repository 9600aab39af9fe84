/**
 * The scaled-out composition (ROLE=web|worker|poller, or QUEUE=bullmq): state in Redis, deliveries
 * on BullMQ, profile changes over pub/sub, one poller at a time under a Redis lock.
 *
 *   web     updates by webhook (or long polling when ROLE=all), commands, broadcasts
 *   worker  sends deliveries (any number of them)
 *   poller  polls feeds and runs digests while it holds the leader lock (run two for fail-over)
 *   all     every part in one process (QUEUE=bullmq)
 *
 * ROLE=all with QUEUE=outbox never comes here: src/app.ts runs it as before.
 */
import { Api } from 'grammy';
import type { Logger } from 'pino';
import { createBot, registerCommands } from '../bot/bot.js';
import type { BotDeps } from '../bot/deps.js';
import { createI18n, translator } from '../bot/i18n.js';
import { type Config, ConfigError } from '../config.js';
import { BullDeliveryQueue, BullDeliveryWorker } from '../delivery/bullmq-queue.js';
import type { DeliveryQueue } from '../delivery/queue.js';
import { createDigestScheduler, type DigestScheduler } from '../digest/scheduler.js';
import { createIngest } from '../ingest.js';
import { createAuditLog } from '../ops/audit.js';
import { createNotices } from '../ops/notices.js';
import { loadGazetteer } from '../pipeline/gazetteer.js';
import { createPoller } from '../poller/poller.js';
import { Profiles } from '../profiles.js';
import { LeaderLock, leaderKey } from '../scale/leader.js';
import { startProfileSync } from '../scale/pubsub.js';
import { formatScaleStatus, readScaleStatus, registerScaleStatus } from '../scale/status.js';
import { syncSources } from '../sources/registry.js';
import { createKeyvFactory } from '../store/keyv.js';
import { closeRedis, connectRedis } from '../store/redis.js';
import { createStores } from '../store/stores.js';
import { botSettings, configuredSources, createAnalyzers, createBroadcastJobs, noticeSourceDisabled } from '../wiring.js';
import { startWebhookServer, type WebhookServer } from './web.js';

export interface ScaledApp {
  role: Config['ROLE'];
  bot: ReturnType<typeof createBot>;
  poller: ReturnType<typeof createPoller>;
  /** The delivery worker (ROLE=worker|all). */
  worker?: BullDeliveryWorker;
  queue: BullDeliveryQueue;
  leader?: LeaderLock;
  webhook?: WebhookServer;
  stop(): Promise<void>;
}

/** Does this configuration need the scaled composition? */
export function isScaled(config: Pick<Config, 'ROLE' | 'QUEUE'>): boolean {
  return config.ROLE !== 'all' || config.QUEUE === 'bullmq';
}

/** The Redis of locks, pub/sub and BullMQ: REDIS_URL, else STORE_URL when it is redis://. */
export function redisUrlOf(config: Pick<Config, 'REDIS_URL' | 'STORE_URL'>): string | undefined {
  return config.REDIS_URL ?? (/^rediss?:\/\//.test(config.STORE_URL) ? config.STORE_URL : undefined);
}

function check(config: Config): string {
  const redisUrl = redisUrlOf(config);
  const problems: string[] = [];
  if (config.QUEUE !== 'bullmq') problems.push(`ROLE=${config.ROLE} needs QUEUE=bullmq (the embedded outbox lives in one process)`);
  if (!redisUrl) problems.push('QUEUE=bullmq needs Redis: set REDIS_URL (or STORE_URL=redis://…)');
  if (config.ROLE !== 'all' && !/^rediss?:\/\//.test(config.STORE_URL)) {
    problems.push(`ROLE=${config.ROLE} needs STORE_URL=redis://… so that every process shares chats, sources and articles`);
  }
  if (config.ROLE === 'web' && !config.WEBHOOK_SECRET) problems.push('ROLE=web needs WEBHOOK_SECRET (Telegram sends it with every update)');
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}. See .env.example.`);
  return redisUrl!;
}

/** Tunables for tests and benchmarks (code-level; a deployment uses the defaults). */
export interface ScaledOptions {
  prefix?: string;
  leaderTtlMs?: number;
  workerConcurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export async function startScaledApp(config: Config, logger: Logger, opts: ScaledOptions = {}): Promise<ScaledApp> {
  const redisUrl = check(config);
  const role = config.ROLE;
  const has = (r: 'web' | 'worker' | 'poller') => role === 'all' || role === r;
  const now = Date.now;
  const prefix = opts.prefix ?? '';
  const log = logger.child({ role });

  const factory = await createKeyvFactory(config.STORE_URL, { prefix, onError: (err) => log.warn({ err: err.message }, 'store: redis connection problem (retrying)') });
  const redis =
    factory.redis ?? (await connectRedis(redisUrl, { name: `nabaa-${role}`, onError: (err) => log.warn({ err: err.message }, 'redis connection problem (retrying)') }));
  const stores = createStores(factory);
  const gazetteer = loadGazetteer();
  const profiles = new Profiles(stores.chats, { locale: config.DEFAULT_LOCALE, now });
  const [chats] = await Promise.all([profiles.load(), has('web') || has('poller') ? stores.articles.load() : Promise.resolve()]);
  const sync = await startProfileSync({ redis, prefix, profiles, chats: stores.chats, logger: log });
  const queue = await new BullDeliveryQueue({ redisUrl, prefix, logger: log }).ready();
  // Broadcasts, notices, ingest and digests only enqueue (and read sizes): the BullMQ queue has
  // the same enqueue/size/depth/broadcastPending/dropBroadcast surface as the embedded outbox.
  const outbox: DeliveryQueue = queue;
  if (has('poller')) {
    await syncSources(stores.sources, configuredSources(config), now());
  }
  log.info({ store: factory.description, chats, queue: 'bullmq' }, 'state loaded');

  const i18n = createI18n(profiles, config.DEFAULT_LOCALE);
  const t = translator(config.DEFAULT_LOCALE);
  const notices = createNotices({
    adminIds: config.ADMIN_IDS,
    outbox,
    t,
    localeOf: (chatId) => profiles.get(chatId)?.locale ?? config.DEFAULT_LOCALE,
    now,
    logger: log,
  });
  // Only a poller parses feeds and analyzes articles.
  const analyzers = has('poller') ? createAnalyzers(config) : { ingest: {}, poller: {} };
  const ingest = createIngest({ stores, profiles, outbox, gazetteer, t, logger: log, now, ...analyzers.ingest });
  const poller = createPoller({
    ...analyzers.poller,
    sources: stores.sources,
    ingest,
    logger: log,
    allowPrivate: config.ALLOW_PRIVATE_FEEDS,
    now,
    onDisabled: noticeSourceDisabled(notices),
  });
  const broadcasts = has('web')
    ? createBroadcastJobs({ stores, outbox, profiles, gazetteer, t, defaultLocale: config.DEFAULT_LOCALE, logger: log, now })
    : undefined;
  const deps: BotDeps = {
    ...botSettings(config),
    profiles,
    stores,
    outbox,
    gazetteer,
    logger: log,
    audit: createAuditLog(stores.meta, now, log),
    notices,
    poller,
    now,
    ...(broadcasts ? { broadcasts } : {}),
  };
  const bot = createBot(deps, { token: config.BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, i18n });
  const lKey = leaderKey(prefix);
  registerScaleStatus(deps, async (locale) => formatScaleStatus(await readScaleStatus({ redis, queue, leaderKey: lKey, role }), locale));

  await bot.init(); // getMe: a wrong token stops here with a clear error
  log.info({ username: bot.botInfo.username }, 'connected to Telegram');

  let worker: BullDeliveryWorker | undefined;
  if (has('worker')) {
    // Its own Api without auto-retry: 429s and 5xx go to the shared error policy (policy.ts).
    const api = new Api(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
    worker = new BullDeliveryWorker({
      redisUrl,
      prefix,
      logger: log,
      api,
      chats: profiles,
      globalRate: config.GLOBAL_RATE,
      ...(opts.workerConcurrency ? { concurrency: opts.workerConcurrency } : {}),
      ...(opts.lockDurationMs ? { lockDurationMs: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledIntervalMs: opts.stalledIntervalMs } : {}),
    });
    deps.sender = worker;
    await worker.start();
    log.info({ worker: worker.id }, 'delivery worker started');
  }

  let digests: DigestScheduler | undefined;
  let leader: LeaderLock | undefined;
  if (has('poller')) {
    digests = createDigestScheduler({ meta: stores.meta, profiles, outbox, t, logger: log, now });
    const d = digests;
    leader = new LeaderLock({
      redis,
      key: lKey,
      logger: log,
      ...(opts.leaderTtlMs ? { ttlMs: opts.leaderTtlMs } : {}),
      onAcquire: () => {
        poller.start(config.POLL_CRON);
        d.start();
        void poller.pollDue().catch((err) => log.error({ err }, 'first poll failed'));
      },
      onLose: async () => {
        await poller.stop();
        await d.stop();
      },
    });
    leader.start();
  }

  let webhook: WebhookServer | undefined;
  if (has('web')) {
    await registerCommands(bot, i18n, deps);
    const resumed = await broadcasts!.attach(bot.api, queue);
    if (resumed) log.info({ broadcasts: resumed }, 'broadcasts resumed');
    if (role === 'web') {
      const path = config.WEBHOOK_URL ? new URL(config.WEBHOOK_URL).pathname || '/' : '/';
      webhook = await startWebhookServer(bot, { port: config.PORT, secret: config.WEBHOOK_SECRET!, path, logger: log });
      if (config.WEBHOOK_URL) {
        try {
          await bot.api.setWebhook(config.WEBHOOK_URL, {
            secret_token: config.WEBHOOK_SECRET!,
            allowed_updates: ['message', 'callback_query', 'inline_query', 'my_chat_member'],
            drop_pending_updates: false,
          });
          log.info({ url: config.WEBHOOK_URL }, 'webhook set');
        } catch (err) {
          // Not fatal: the webhook may already be set, or Telegram may be briefly unreachable.
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not set the webhook; going on');
        }
      } else {
        log.warn('WEBHOOK_URL is not set: the webhook must be set elsewhere (setWebhook with the same secret)');
      }
    } else {
      const polling = bot.start({
        drop_pending_updates: false,
        allowed_updates: ['message', 'callback_query', 'inline_query', 'my_chat_member'],
        onStart: () => log.info('taking updates by long polling'),
      });
      polling.catch((err) => log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'long polling stopped'));
    }
  }
  log.info({ role }, 'started');

  return {
    role,
    bot,
    poller,
    ...(worker ? { worker } : {}),
    queue,
    ...(leader ? { leader } : {}),
    ...(webhook ? { webhook } : {}),
    async stop() {
      log.info('stopping');
      if (role === 'all' && has('web')) await bot.stop();
      await webhook?.close();
      await leader?.stop(); // stops the poller and digests, releases the lock
      await poller.stop();
      await analyzers.pool?.close();
      await digests?.stop();
      await worker?.stop();
      await broadcasts?.stop();
      await sync.close();
      await queue.close();
      if (redis !== factory.redis) await closeRedis(redis);
      await factory.close();
    },
  };
}
