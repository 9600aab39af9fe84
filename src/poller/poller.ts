import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { Ingest } from '../ingest.js';
import { FeedError } from '../sources/errors.js';
import { decodeRaw, fetchFeedRaw, type RawBody } from '../sources/fetch-feed.js';
import { fetchFullText } from '../sources/full-text.js';
import { ConcurrencyLimiter, createFetchPool, type FetchOptions } from '../sources/http.js';
import { type ParseContext, type ParsedFeed, parseFeed } from '../sources/parse-feed.js';
import { defaultSourceName } from '../sources/registry.js';
import type { SourceRecord, SourceStore } from '../store/stores.js';
import type { FeedItem, Source, SourceState } from '../types.js';
import type { PolledState } from './health.js';
import {
  isDue,
  nextCheckAfterFailure,
  nextCheckAfterSuccess,
  type ScheduleBounds,
  shouldDisable,
} from './schedule.js';

export interface PollerDeps {
  sources: SourceStore;
  ingest: Ingest;
  logger: Logger;
  allowPrivate: boolean;
  bounds?: Partial<ScheduleBounds>;
  now?: () => number;
  /** Told after every poll of a source (metrics). */
  onPolled?: (outcome: SourceOutcome & { ms: number }) => void;
  /** Told when a source is disabled after repeated failures. */
  onDisabled?: (rec: SourceRecord) => void | Promise<void>;
  fetchOptions?: Partial<FetchOptions>;
  limits?: { overall: number; perHost: number };
  /**
   * Decodes (decompress, charset) and parses a fetched body elsewhere (the analyzer pool's threads): the
   * same feed or FeedError as `parseFeed(decodeRaw(raw))`. A failure that is not the feed's own (a worker
   * that died) falls back to doing it here.
   */
  parse?: (raw: RawBody, ctx: ParseContext) => Promise<ParsedFeed>;
}

export interface SourceOutcome {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'error' | 'skipped';
  fresh?: number;
  alerts?: number;
  error?: string;
}

/** Items shorter than this are treated as teasers worth a page fetch (when the source allows it). */
const TEASER_CHARS = 400;
const FULL_TEXT_PER_POLL = 10;

export const DEFAULT_BOUNDS: ScheduleBounds = {
  minIntervalMs: 60_000,
  maxIntervalMs: 30 * 60_000,
  defaultIntervalMs: 2 * 60_000,
  maxBackoffMs: 6 * 3600_000,
  disableAfterErrors: 30,
};

export function emptyState(now: number): SourceState {
  return { nextCheckAt: now, errorCount: 0, itemsToday: 0 };
}

/**
 * Picks the sources that are due, fetches them with bounded concurrency (overall and per host),
 * parses, hands items to ingest, and stores each source's new state. One source's failure never
 * affects another's; every failure is stored on the source by name.
 */
export function createPoller(deps: PollerDeps) {
  const now = deps.now ?? Date.now;
  let bounds = { ...DEFAULT_BOUNDS, ...deps.bounds };
  const limiter = new ConcurrencyLimiter(deps.limits ?? { overall: 8, perHost: 2 });
  const inFlight = new Map<string, Promise<SourceOutcome>>();
  // Connections kept between fetches (trusted sources; see createFetchPool), closed by stop().
  let pool: Agent | undefined;
  let task: ScheduledTask | undefined;
  let lastRunAt = 0;

  async function parse(raw: RawBody, ctx: ParseContext): Promise<ParsedFeed> {
    if (deps.parse) {
      try {
        return await deps.parse(raw, ctx);
      } catch (err) {
        if (err instanceof FeedError) throw err;
        deps.logger.warn({ err, sourceId: ctx.sourceId }, 'feed parser thread failed; parsing in process');
      }
    }
    return parseFeed(decodeRaw(raw), ctx);
  }

  async function pollOne(rec: SourceRecord): Promise<SourceOutcome> {
    let { source } = rec;
    const state: PolledState = { ...rec.state };
    const started = now();
    const opts: FetchOptions = {
      trusted: source.trusted,
      allowPrivate: deps.allowPrivate,
      ...(state.etag ? { etag: state.etag } : {}),
      ...(state.lastModified ? { lastModified: state.lastModified } : {}),
      ...deps.fetchOptions,
    };
    opts.pool ??= pool ??= createFetchPool(opts);
    let outcome: SourceOutcome;
    try {
      const res = await fetchFeedRaw(source.url, opts);
      state.lastCheckAt = started;
      state.lastSuccessAt = started;
      state.errorCount = 0;
      delete state.lastError;
      state.etag = res.etag;
      state.lastModified = res.lastModified;
      let recent: number[] = [];
      if (res.status === 'ok') {
        const feed = await parse(res.raw, { sourceId: source.id, baseUrl: res.url });
        // A source known only by its URL (FEEDS) takes the feed's own title as its name.
        const title = feed.title?.trim().slice(0, 80);
        if (title && source.name === defaultSourceName(source.url)) source = { ...source, name: title };
        if (!source.fullText) await addFullText(feed.items, opts);
        const firstPoll = rec.state.lastSuccessAt === undefined;
        const r = await deps.ingest(source, feed.items, { firstPoll });
        const day = new Date(started).toISOString().slice(0, 10);
        state.itemsToday = (state.itemsDay === day ? state.itemsToday : 0) + r.fresh;
        state.itemsDay = day;
        recent = feed.items.map((i) => i.publishedAt).filter((t): t is number => t !== undefined);
        outcome = { sourceId: source.id, status: 'ok', fresh: r.fresh, alerts: r.alerts };
      } else {
        outcome = { sourceId: source.id, status: 'not-modified' };
      }
      state.nextCheckAt = nextCheckAfterSuccess({ now: started, maxAgeMs: res.maxAgeMs, recentItemTimes: recent, bounds });
    } catch (err) {
      const fe = err instanceof FeedError ? err : undefined;
      state.lastCheckAt = started;
      state.errorCount += 1;
      state.lastError = { name: fe?.code ?? 'internal', message: String((err as Error)?.message ?? err), at: started };
      state.nextCheckAt = nextCheckAfterFailure({ now: started, errorCount: state.errorCount, retryAfterMs: fe?.retryAfterMs, bounds });
      outcome = { sourceId: source.id, status: 'error', error: state.lastError.name };
      if (!fe) deps.logger.error({ err, sourceId: source.id }, 'poll failed unexpectedly');
    }
    state.lastDurationMs = now() - started;
    // The admin may have edited, disabled or removed the source while it was being polled: keep that.
    const current = await deps.sources.get(source.id);
    if (!current) return outcome;
    const next: SourceRecord = { source: { ...current.source }, state };
    if (current.source.name === defaultSourceName(current.source.url)) next.source.name = source.name;
    if (outcome.status === 'error' && next.source.enabled && shouldDisable(state.errorCount, bounds)) {
      next.source.enabled = false;
      await deps.sources.save(next);
      await deps.onDisabled?.(next);
    } else {
      await deps.sources.save(next);
    }
    deps.onPolled?.({ ...outcome, ms: state.lastDurationMs });
    deps.logger.info(
      { ...outcome, url: source.url, ms: now() - started, nextCheckAt: new Date(state.nextCheckAt).toISOString() },
      'polled source',
    );
    return outcome;
  }

  async function addFullText(items: FeedItem[], opts: FetchOptions): Promise<void> {
    const teasers = items.filter((i) => i.text.length < TEASER_CHARS).slice(0, FULL_TEXT_PER_POLL);
    await Promise.all(
      teasers.map(async (item) => {
        try {
          const text = await fetchFullText(item.url, { ...opts, etag: undefined, lastModified: undefined });
          if (text && text.length > item.text.length) item.text = text;
        } catch {
          // The teaser stays; a page we cannot read is not the feed's failure.
        }
      }),
    );
  }

  /**
   * Poll the stored sources that pass `filter`. Every source runs on its own (bounded by the
   * limiter): a source still in flight from an earlier call is not started twice, its pending
   * outcome is shared instead, and a slow or hanging source never holds back the others, in this
   * call or in the next tick's.
   */
  async function run(filter: (rec: SourceRecord) => boolean): Promise<SourceOutcome[]> {
    lastRunAt = now();
    const recs = (await deps.sources.all()).filter((r) => r.source.enabled && filter(r));
    return Promise.all(recs.map((rec) => inFlight.get(rec.source.id) ?? start(rec.source, filter)));
  }

  function start(source: Source, filter: (rec: SourceRecord) => boolean): Promise<SourceOutcome> {
    const { id } = source;
    const p = limiter
      .run(hostOf(source.url), async () => {
        // Read the record again once a slot is granted: it may have been polled, disabled or removed meanwhile.
        const rec = await deps.sources.get(id);
        if (!rec || !rec.source.enabled || !filter(rec)) return { sourceId: id, status: 'skipped' } satisfies SourceOutcome;
        return pollOne(rec);
      })
      .catch((err): SourceOutcome => {
        deps.logger.error({ err, sourceId: id }, 'could not save source state');
        return { sourceId: id, status: 'error', error: 'store' };
      })
      .finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  }

  return {
    /** Poll the sources whose next check has come. */
    pollDue: () => run((r) => isDue(r.state, now())),
    /** Poll every enabled source now (admin /pollnow). */
    pollAll: () => run(() => true),
    /** Poll one enabled source now regardless of schedule ('skipped' when it is unknown or disabled). */
    async pollSource(id: string): Promise<SourceOutcome> {
      const pending = inFlight.get(id);
      if (pending) return pending;
      const rec = await deps.sources.get(id);
      if (!rec?.source.enabled) return { sourceId: id, status: 'skipped' };
      return inFlight.get(id) ?? start(rec.source, () => true);
    },
    /** Sources being polled right now. */
    get inFlight(): string[] {
      return [...inFlight.keys()];
    },
    /** Start the cron tick. A source is checked every tick unless its schedule says later. */
    start(expression: string) {
      task = cron.schedule(expression, () => void this.pollDue(), { noOverlap: true, name: 'poll' });
      const [a, b] = task.getNextRuns(2);
      if (a && b) {
        const tick = b.getTime() - a.getTime();
        // A quiet feed or a long max-age may stretch a source's interval to at most five ticks.
        bounds = {
          ...bounds,
          defaultIntervalMs: tick,
          minIntervalMs: Math.min(tick, bounds.minIntervalMs),
          maxIntervalMs: Math.max(tick, Math.min(5 * tick, bounds.maxIntervalMs)),
          ...deps.bounds,
        };
      }
    },
    async stop() {
      await task?.stop();
      task = undefined;
      await Promise.all(inFlight.values());
      await pool?.close();
      pool = undefined;
    },
    get lastRunAt() {
      return lastRunAt;
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
