import type { Logger } from 'pino';
import { createBot, registerCommands } from './bot/bot.js';
import type { BotDeps } from './bot/deps.js';
import { createI18n, translator } from './bot/i18n.js';
import type { Config } from './config.js';
import { escapeHtml } from './delivery/render.js';
import { Outbox } from './delivery/outbox.js';
import { Sender } from './delivery/sender.js';
import { createIngest } from './ingest.js';
import { createAuditLog } from './ops/audit.js';
import { loadGazetteer } from './pipeline/gazetteer.js';
import { createPoller } from './poller/poller.js';
import { Profiles } from './profiles.js';
import { BUILTIN_SOURCES } from './sources/builtin.js';
import { sourceFromUrl, syncSources } from './sources/registry.js';
import { createKeyvFactory } from './store/keyv.js';
import { createStores } from './store/stores.js';

export interface App {
  bot: ReturnType<typeof createBot>;
  poller: ReturnType<typeof createPoller>;
  sender: Sender;
  stop(): Promise<void>;
}

/**
 * The composition root: config → store → pipeline data → profiles, outbox → bot, sender, poller.
 * `start` begins long polling, the sender loop and the cron tick; `stop` ends them in reverse.
 */
export async function startApp(config: Config, logger: Logger): Promise<App> {
  const now = Date.now;
  const factory = await createKeyvFactory(config.STORE_URL);
  const stores = createStores(factory);
  const gazetteer = loadGazetteer();
  const profiles = new Profiles(stores.chats, { locale: config.DEFAULT_LOCALE, now });
  const outbox = new Outbox(stores.outbox);
  const [chats, , pending] = await Promise.all([profiles.load(), stores.articles.load(), outbox.load()]);
  const desired = config.FEEDS.length ? config.FEEDS.map((u) => sourceFromUrl(u, 'env')) : BUILTIN_SOURCES;
  const sources = await syncSources(stores.sources, desired, now());
  logger.info({ store: factory.description, chats, pendingDeliveries: pending, sources: sources.length, places: gazetteer.size }, 'state loaded');

  const i18n = createI18n(profiles, config.DEFAULT_LOCALE);
  const t = translator(i18n);
  const ingest = createIngest({ stores, profiles, outbox, gazetteer, t, logger, now });
  const poller = createPoller({
    sources: stores.sources,
    ingest,
    logger,
    allowPrivate: config.ALLOW_PRIVATE_FEEDS,
    now,
    onDisabled: async ({ source, state }) => {
      const text = (locale: 'ar' | 'en') =>
        t(locale, 'source-disabled', {
          id: escapeHtml(source.id),
          name: escapeHtml(source.name),
          count: state.errorCount,
          error: escapeHtml(state.lastError?.name ?? '?'),
        });
      await outbox.enqueue(
        config.ADMIN_IDS.map((chatId) => ({
          id: `notice:${source.id}:${now()}:${chatId}`,
          chatId,
          lane: 'broadcast' as const,
          text: text(profiles.get(chatId)?.locale ?? config.DEFAULT_LOCALE),
          createdAt: now(),
          notBefore: now(),
          attempts: 0,
        })),
      );
    },
  });
  const deps: BotDeps = {
    adminIds: config.ADMIN_IDS,
    defaultLocale: config.DEFAULT_LOCALE,
    allowPrivateFeeds: config.ALLOW_PRIVATE_FEEDS,
    profiles,
    stores,
    outbox,
    gazetteer,
    logger,
    audit: createAuditLog(stores.meta, now),
    poller,
    now,
  };
  const bot = createBot(deps, { token: config.BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, i18n });
  const sender = new Sender({ api: bot.api, outbox, chats: profiles, logger, globalRate: config.GLOBAL_RATE, now });
  deps.sender = sender;

  await bot.init(); // getMe: a wrong token stops here with a clear error
  logger.info({ username: bot.botInfo.username }, 'connected to Telegram');
  await registerCommands(bot, i18n, deps);
  sender.start();
  poller.start(config.POLL_CRON);
  void poller.pollDue().catch((err) => logger.error({ err }, 'first poll failed'));
  const polling = bot.start({
    drop_pending_updates: false,
    allowed_updates: ['message', 'callback_query', 'inline_query', 'my_chat_member'],
    onStart: () => logger.info('taking updates by long polling'),
  });
  polling.catch((err) => logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'long polling stopped'));

  return {
    bot,
    poller,
    sender,
    async stop() {
      logger.info('stopping');
      await bot.stop();
      await poller.stop();
      await sender.stop();
      await factory.close();
    },
  };
}
