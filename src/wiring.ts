import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { Broadcasts, renderBroadcast, segmentAudience } from './delivery/broadcast.js';
import type { DeliveryQueue } from './delivery/queue.js';
import type { Translate } from './delivery/render.js';
import type { Notices } from './ops/notices.js';
import type { Gazetteer } from './pipeline/gazetteer.js';
import { type AnalyzerPool, createAnalyzerPool } from './pipeline/pool.js';
import type { SourceRecord } from './store/stores.js';
import type { Profiles } from './profiles.js';
import { BUILTIN_SOURCES } from './sources/builtin.js';
import { sourceFromUrl } from './sources/registry.js';
import type { Stores } from './store/stores.js';
import type { Source } from './types.js';

/** Pieces both compositions (one process in app.ts, the scaled roles in roles/scaled.ts) build alike. */

/** The sources to poll: FEEDS when set, else the built-in list. */
export function configuredSources(config: Pick<Config, 'FEEDS'>): Source[] {
  return config.FEEDS.length ? config.FEEDS.map((u) => sourceFromUrl(u, 'env')) : BUILTIN_SOURCES;
}

/** The bot's settings from the configuration: the same in every process that runs the bot. */
export function botSettings(config: Pick<Config, 'ADMIN_IDS' | 'DEFAULT_LOCALE' | 'ALLOW_PRIVATE_FEEDS' | 'PAID_BROADCAST'>) {
  return {
    adminIds: config.ADMIN_IDS,
    defaultLocale: config.DEFAULT_LOCALE,
    allowPrivateFeeds: config.ALLOW_PRIVATE_FEEDS,
    paidBroadcast: config.PAID_BROADCAST,
  };
}

/**
 * The threads that parse feeds and run the pipeline (pure and CPU-bound): ANALYZER_THREADS, by default
 * one per core but one; none on one core. `ingest` and `poller` are the options to give createIngest
 * and createPoller.
 */
export function createAnalyzers(config: Pick<Config, 'ANALYZER_THREADS'>): {
  pool?: AnalyzerPool;
  ingest: { analyzer?: AnalyzerPool['analyze'] };
  poller: { parse?: AnalyzerPool['parseFeed'] };
} {
  const threads = config.ANALYZER_THREADS ?? Math.max(0, availableParallelism() - 1);
  if (threads <= 0) return { ingest: {}, poller: {} };
  const pool = createAnalyzerPool({ size: threads });
  return { pool, ingest: { analyzer: pool.analyze }, poller: { parse: pool.parseFeed } };
}

/** The poller's onDisabled: tell the admins (at most once an hour per source). */
export function noticeSourceDisabled(notices: Notices) {
  return async ({ source, state }: SourceRecord): Promise<void> => {
    await notices.notify(`source-disabled:${source.id}`, 'source-disabled', {
      id: source.id,
      name: source.name,
      count: state.errorCount,
      error: state.lastError?.name ?? '?',
    });
  };
}

/** Broadcast jobs over a delivery queue, with audiences from the match index. */
export function createBroadcastJobs(o: {
  stores: Stores;
  outbox: DeliveryQueue;
  profiles: Profiles;
  gazetteer: Gazetteer;
  t: Translate;
  defaultLocale: Config['DEFAULT_LOCALE'];
  logger: Logger;
  now: () => number;
}): Broadcasts {
  return new Broadcasts({
    meta: o.stores.meta,
    outbox: o.outbox,
    audience: (segment) => segmentAudience(o.profiles.index, o.gazetteer, segment),
    localeOf: (id) => o.profiles.get(id)?.locale ?? o.defaultLocale,
    render: (rec, locale) => renderBroadcast(o.t, rec, locale),
    t: o.t,
    logger: o.logger,
    now: o.now,
  });
}
