import { Api } from 'grammy';
import type { Logger } from 'pino';
import { createBot, registerCommands } from './bot/bot.js';
import type { BotDeps } from './bot/deps.js';
import { createI18n, translator } from './bot/i18n.js';
import type { Config } from './config.js';
import { Outbox } from './delivery/outbox.js';
import { createFastFetch } from './delivery/transport.js';
import { Sender } from './delivery/sender.js';
import { createIngest } from './ingest.js';
import { createDigestScheduler } from './digest/scheduler.js';
import { createAuditLog } from './ops/audit.js';
import { createDeliveryLog } from './ops/delivery-log.js';
import { createHealth, cronTickMs, storePinger } from './ops/health.js';
import { type OpsServer, startOpsServer } from './ops/http.js';
import { createMetrics } from './ops/metrics.js';
import { createNotices } from './ops/notices.js';
import { freshKey, sentKey } from './ops/stats-data.js';
import { createTimeSeries } from './ops/timeseries.js';
import { startWatchers } from './ops/watch.js';
import { loadGazetteer } from './pipeline/gazetteer.js';
import { createPoller } from './poller/poller.js';
import { Profiles } from './profiles.js';
import { syncSources } from './sources/registry.js';
import { createKeyvFactory } from './store/keyv.js';
import { createStores } from './store/stores.js';
import { isScaled, startScaledApp } from './roles/scaled.js';
import { botSettings, configuredSources, createAnalyzers, createBroadcastJobs, noticeSourceDisabled } from './wiring.js';

/** A running Nabaa: one process with every part, or one role of a scaled-out deployment. */
export interface App {
  stop(): Promise<void>;
}

/**
 * The composition root: config → store → pipeline data → profiles, outbox → bot, sender, poller.
 * `start` begins long polling, the sender loop and the cron tick; `stop` ends them in reverse.
 */
export async function startApp(config: Config, logger: Logger): Promise<App> {
  // Issue 7: ROLE=web|worker|poller or QUEUE=bullmq run the scaled-out composition (Redis, BullMQ);
  // ROLE=all with the embedded outbox continues below unchanged. Callers only use `stop` then.
  if (isScaled(config)) return startScaledApp(config, logger);
  const now = Date.now;
  const factory = await createKeyvFactory(config.STORE_URL);
  const stores = createStores(factory);
  const gazetteer = loadGazetteer();
  const profiles = new Profiles(stores.chats, { locale: config.DEFAULT_LOCALE, now });
  const outbox = new Outbox(stores.outbox, { onFlushError: (err) => logger.error({ err }, 'outbox: could not delete sent deliveries (retrying)') });
  const [chats, , pending] = await Promise.all([profiles.load(), stores.articles.load(), outbox.load()]);
  const sources = await syncSources(stores.sources, configuredSources(config), now());
  logger.info({ store: factory.description, chats, pendingDeliveries: pending, sources: sources.length, places: gazetteer.size }, 'state loaded');

  const i18n = createI18n(profiles, config.DEFAULT_LOCALE);
  const t = translator(config.DEFAULT_LOCALE);
  // Operations (issue 8): hourly stats for /stats, Prometheus metrics, admin notices.
  const metrics = config.METRICS_PORT !== undefined ? createMetrics() : undefined;
  const timeseries = createTimeSeries({ meta: stores.meta, now, logger });
  const deliveryLog = createDeliveryLog(logger);
  const notices = createNotices({
    adminIds: config.ADMIN_IDS,
    outbox,
    t,
    localeOf: (chatId) => profiles.get(chatId)?.locale ?? config.DEFAULT_LOCALE,
    now,
    logger,
    onResult: (r) => metrics?.notice(r),
  });
  const analyzers = createAnalyzers(config);
  const ingest = createIngest({ stores, profiles, outbox, gazetteer, t, logger, now, ...analyzers.ingest });
  const poller = createPoller({
    ...analyzers.poller,
    sources: stores.sources,
    ingest,
    logger,
    allowPrivate: config.ALLOW_PRIVATE_FEEDS,
    now,
    onPolled: (o) => {
      metrics?.onPolled(o);
      if (o.fresh) timeseries.count(freshKey(o.sourceId), o.fresh);
    },
    onDisabled: noticeSourceDisabled(notices),
  });
  const deps: BotDeps = {
    ...botSettings(config),
    profiles,
    stores,
    outbox,
    gazetteer,
    logger,
    audit: createAuditLog(stores.meta, now, logger),
    notices,
    timeseries,
    poller,
    now,
    // Broadcast jobs (issue 4): resumed below once the sender runs.
    broadcasts: createBroadcastJobs({ stores, outbox, profiles, gazetteer, t, defaultLocale: config.DEFAULT_LOCALE, logger, now }),
  };
  const bot = createBot(deps, { token: config.BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, i18n });
  // The sender gets its own Api: no auto-retry (its error policy must be the only one to see a 429
  // or 5xx) and a faster HTTP client for its hot path (src/delivery/transport.ts).
  const senderApi = new Api(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, fetch: createFastFetch() });
  const sender = new Sender({
    api: senderApi,
    outbox,
    chats: profiles,
    logger,
    globalRate: config.GLOBAL_RATE,
    now,
    onOutcome: (e) => {
      metrics?.onOutcome(e);
      deliveryLog.onOutcome(e);
      if (e.outcome !== 'sent') return;
      timeseries.count(sentKey(e.lane));
      // "Article seen → accepted": alert jobs are created when the article is seen.
      if (e.lane === 'alert' && e.latencyMs !== undefined) timeseries.sample(e.latencyMs);
    },
  });
  deps.sender = sender;

  await bot.init(); // getMe: a wrong token stops here with a clear error
  logger.info({ username: bot.botInfo.username }, 'connected to Telegram');
  await registerCommands(bot, i18n, deps);
  sender.start();
  // Issue 6: digests (hourly / daily, quiet hours, hourly cap) go out from here.
  const digests = createDigestScheduler({ meta: stores.meta, profiles, outbox, t, logger, now });
  digests.start();
  timeseries.start();
  deliveryLog.start();
  const pingStore = storePinger(stores.meta);
  const watchers = startWatchers({ notices, pingStore, backlog: () => outbox.size, logger, now });
  let opsServer: OpsServer | undefined;
  if (metrics && config.METRICS_PORT !== undefined) {
    metrics.observe({ outboxDepth: () => outbox.depth(), inFlight: () => sender.inFlight });
    const tick = cronTickMs(config.POLL_CRON) ?? 120_000;
    const health = createHealth({
      pingStore,
      sender,
      outboxNextAt: () => outbox.nextAt(),
      poller,
      now,
      pollerStaleMs: Math.max(3 * tick + 60_000, 5 * 60_000),
    });
    opsServer = await startOpsServer({ port: config.METRICS_PORT, metrics, health, logger });
  }
  const resumed = await deps.broadcasts!.attach(bot.api, sender);
  if (resumed) logger.info({ broadcasts: resumed }, 'broadcasts resumed');
  poller.start(config.POLL_CRON);
  void poller.pollDue().catch((err) => logger.error({ err }, 'first poll failed'));
  const polling = bot.start({
    drop_pending_updates: false,
    allowed_updates: ['message', 'callback_query', 'inline_query', 'my_chat_member'],
    onStart: () => logger.info('taking updates by long polling'),
  });
  polling.catch((err) => logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'long polling stopped'));

  return {
    async stop() {
      logger.info('stopping');
      await bot.stop();
      watchers.stop();
      await opsServer?.close();
      await poller.stop();
      await analyzers.pool?.close();
      await digests.stop();
      await sender.stop();
      await timeseries.stop();
      deliveryLog.stop();
      await deps.broadcasts?.stop();
      await outbox.close(); // flush write-behind deletes before the store closes
      await factory.close();
    },
  };
}
