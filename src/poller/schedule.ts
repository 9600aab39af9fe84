/**
 * Pure next-check rules for feed polling (no clock: `now` is passed in).
 *
 * After a success the interval follows, in order:
 *  1. the feed's observed publishing rate: half the mean gap between its recent items, so a feed that
 *     publishes every 10 min is checked every 5 min; a feed that has gone quiet (no item for much longer
 *     than its usual gap) is checked at half the silence; with fewer than two known items, the default;
 *  2. the server's freshness (Cache-Control max-age / Expires): never sooner than that;
 *  3. clamped to [minIntervalMs, maxIntervalMs].
 * After a failure: exponential backoff from the default interval (default·2^(n−1)), at least
 * Retry-After, at most maxBackoffMs. A source is disabled after `disableAfterErrors` consecutive failures.
 */

export interface ScheduleBounds {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Used when nothing better is known (typically the poll tick). */
  defaultIntervalMs: number;
  maxBackoffMs: number;
  disableAfterErrors: number;
}

export const DEFAULT_SCHEDULE_BOUNDS: ScheduleBounds = {
  minIntervalMs: 60_000,
  maxIntervalMs: 60 * 60_000,
  defaultIntervalMs: 5 * 60_000,
  maxBackoffMs: 6 * 60 * 60_000,
  disableAfterErrors: 30,
};

/** How many of the most recent item times the rate estimate looks at. */
const RATE_WINDOW = 20;

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), Math.max(lo, hi));
}

/** Interval suggested by the publishing rate, or undefined when there is too little to go on. */
export function rateInterval(now: number, recentItemTimes: number[]): number | undefined {
  const times = recentItemTimes
    .filter((t) => Number.isFinite(t))
    .map((t) => Math.min(t, now)) // future-dated items count as "now"
    .sort((a, b) => b - a)
    .slice(0, RATE_WINDOW);
  if (times.length < 2) return undefined;
  const newest = times[0]!;
  const oldest = times[times.length - 1]!;
  const meanGap = (newest - oldest) / (times.length - 1);
  let interval = meanGap / 2;
  const silence = now - newest;
  if (silence > meanGap * 2) interval = Math.max(interval, silence / 2);
  return interval;
}

export function nextCheckAfterSuccess(p: {
  now: number;
  maxAgeMs?: number;
  recentItemTimes: number[];
  bounds: ScheduleBounds;
}): number {
  const { now, bounds } = p;
  let interval = rateInterval(now, p.recentItemTimes) ?? bounds.defaultIntervalMs;
  if (p.maxAgeMs !== undefined && Number.isFinite(p.maxAgeMs) && p.maxAgeMs > interval) interval = p.maxAgeMs;
  return now + Math.round(clamp(interval, bounds.minIntervalMs, bounds.maxIntervalMs));
}

/** `errorCount` counts consecutive failures including this one (1 for the first). */
export function nextCheckAfterFailure(p: {
  now: number;
  errorCount: number;
  retryAfterMs?: number;
  bounds: ScheduleBounds;
}): number {
  const { now, bounds } = p;
  const n = Math.max(1, Math.floor(p.errorCount));
  const exp = Math.min(n - 1, 30); // 2^30 × anything is past any cap
  let wait = bounds.defaultIntervalMs * 2 ** exp;
  if (p.retryAfterMs !== undefined && Number.isFinite(p.retryAfterMs)) wait = Math.max(wait, p.retryAfterMs);
  return now + Math.round(clamp(wait, bounds.minIntervalMs, bounds.maxBackoffMs));
}

export function shouldDisable(errorCount: number, bounds: ScheduleBounds): boolean {
  return errorCount >= bounds.disableAfterErrors;
}

export function isDue(state: { nextCheckAt: number }, now: number): boolean {
  return !(state.nextCheckAt > now);
}
