import type { Logger } from 'pino';
import type { MetaStore } from '../store/stores.js';

/**
 * Hourly buckets for the /stats charts, kept in the meta store.
 *
 * One record per UTC hour, `stats:h:<yyyy-mm-ddThh>`, holds named counters (`sent:<lane>`,
 * `fresh:<sourceId>`, …) and a bounded reservoir of latency samples. Events are counted in memory
 * and written by `flush()` (every ~10 s from `start()`), so a busy hour costs a handful of store
 * writes, not one per message. Reads merge what is stored with what is still pending.
 */

export const HOUR_MS = 3600_000;
/** Samples kept per hour for p50/p95 (reservoir sampling keeps them uniform over the hour). */
export const RESERVOIR_SIZE = 256;
/** How long hourly records live in the store. */
export const RETAIN_MS = 8 * 24 * HOUR_MS;

export interface HourBucket {
  counts: Record<string, number>;
  /** Latency reservoir: `n` samples seen this hour, `s` at most RESERVOIR_SIZE of them. */
  lat?: { n: number; s: number[] };
}

/** `2026-11-29T08` for any time in that UTC hour. */
export function hourKey(ts: number): string {
  return new Date(ts).toISOString().slice(0, 13);
}

/** Start (ms) of the UTC hour containing `ts`. */
export function hourStart(ts: number): number {
  return Math.floor(ts / HOUR_MS) * HOUR_MS;
}

/** The keys of the `hours` hours ending with the one containing `now`, oldest first. */
export function lastHours(now: number, hours: number): string[] {
  const end = hourStart(now);
  return Array.from({ length: hours }, (_, i) => hourKey(end - (hours - 1 - i) * HOUR_MS));
}

/** The p-th percentile (0..1) by nearest rank; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank];
}

/**
 * Add `incoming` (a reservoir of `m` seen samples) into `into` (a reservoir of `into.n` seen),
 * keeping at most `size` samples, each old and new sample with a chance proportional to its weight.
 */
export function mergeReservoir(
  into: { n: number; s: number[] },
  incoming: { n: number; s: number[] },
  random: () => number = Math.random,
  size = RESERVOIR_SIZE,
): { n: number; s: number[] } {
  const n = into.n + incoming.n;
  if (into.s.length + incoming.s.length <= size) return { n, s: [...into.s, ...incoming.s] };
  // Weighted pick: each sample stands for (seen / kept) events of its side.
  const wA = into.s.length ? into.n / into.s.length : 0;
  const wB = incoming.s.length ? incoming.n / incoming.s.length : 0;
  const pool = [...into.s.map((v) => ({ v, w: wA })), ...incoming.s.map((v) => ({ v, w: wB }))];
  // Efraimidis–Spirakis: key = u^(1/w), keep the largest keys.
  const keyed = pool.map((p) => ({ v: p.v, k: p.w > 0 ? random() ** (1 / p.w) : 0 }));
  keyed.sort((a, b) => b.k - a.k);
  return { n, s: keyed.slice(0, size).map((p) => p.v) };
}

export interface TimeSeriesOptions {
  meta: MetaStore;
  now?: () => number;
  logger?: Logger;
  flushMs?: number;
  random?: () => number;
}

export interface TimeSeries {
  /** Count `by` events of `name` in the current hour (in memory until the next flush). */
  count(name: string, by?: number): void;
  /** Add one latency sample (ms) to the current hour's reservoir. */
  sample(ms: number): void;
  /** Write pending counts to the store. Safe to call concurrently (calls are serialized). */
  flush(): Promise<void>;
  /** The buckets of the given hour keys (stored merged with pending), in the same order. */
  buckets(hours: string[]): Promise<HourBucket[]>;
  /** Flush every `flushMs` (the timer does not keep the process alive). */
  start(): void;
  /** Stop the timer and flush what is left. */
  stop(): Promise<void>;
}

/** Named error for a failed flush (the pending counts are kept and retried on the next flush). */
export class TimeSeriesFlushError extends Error {
  override name = 'TimeSeriesFlushError';
}

const bucketKey = (hour: string) => `stats:h:${hour}`;

export function createTimeSeries(opts: TimeSeriesOptions): TimeSeries {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const flushMs = opts.flushMs ?? 10_000;
  let pending = new Map<string, HourBucket>();
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;

  const current = (): HourBucket => {
    const h = hourKey(now());
    let b = pending.get(h);
    if (!b) pending.set(h, (b = { counts: {} }));
    return b;
  };

  const merge = (a: HourBucket | undefined, b: HourBucket | undefined): HourBucket => {
    const counts = { ...a?.counts };
    for (const [k, v] of Object.entries(b?.counts ?? {})) counts[k] = (counts[k] ?? 0) + v;
    const lat = a?.lat && b?.lat ? mergeReservoir(a.lat, b.lat, random) : (a?.lat ?? b?.lat);
    return { counts, ...(lat ? { lat } : {}) };
  };

  async function writeOut(): Promise<void> {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    try {
      for (const [hour, b] of batch) {
        const stored = await opts.meta.get<HourBucket>(bucketKey(hour));
        await opts.meta.set(bucketKey(hour), merge(stored, b), RETAIN_MS);
        batch.delete(hour);
      }
    } catch (err) {
      // Keep what was not written; merge it back in front of anything counted meanwhile.
      for (const [hour, b] of batch) pending.set(hour, merge(b, pending.get(hour)));
      throw new TimeSeriesFlushError(`could not write hourly stats: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }

  const ts: TimeSeries = {
    count(name, by = 1) {
      if (!by) return;
      const b = current();
      b.counts[name] = (b.counts[name] ?? 0) + by;
    },
    sample(ms) {
      if (!Number.isFinite(ms) || ms < 0) return;
      const b = current();
      const lat = (b.lat ??= { n: 0, s: [] });
      lat.n++;
      if (lat.s.length < RESERVOIR_SIZE) lat.s.push(ms);
      else {
        const j = Math.floor(random() * lat.n);
        if (j < RESERVOIR_SIZE) lat.s[j] = ms;
      }
    },
    flush() {
      const next = chain.then(writeOut);
      chain = next.catch(() => undefined);
      return next;
    },
    async buckets(hours) {
      await chain;
      const stored = await Promise.all(hours.map((h) => opts.meta.get<HourBucket>(bucketKey(h))));
      return hours.map((h, i) => merge(stored[i], pending.get(h)));
    },
    start() {
      if (timer) return;
      timer = setInterval(() => {
        ts.flush().catch((err) => opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'stats flush failed'));
      }, flushMs);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await ts.flush().catch((err) => opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'stats flush failed'));
    },
  };
  return ts;
}
