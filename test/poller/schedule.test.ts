import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE_BOUNDS,
  isDue,
  nextCheckAfterFailure,
  nextCheckAfterSuccess,
  rateInterval,
  shouldDisable,
  type ScheduleBounds,
} from '../../src/poller/schedule.js';

const MIN = 60_000;
const bounds: ScheduleBounds = {
  minIntervalMs: 1 * MIN,
  maxIntervalMs: 60 * MIN,
  defaultIntervalMs: 5 * MIN,
  maxBackoffMs: 6 * 60 * MIN,
  disableAfterErrors: 30,
};
const now = Date.UTC(2025, 5, 2, 12, 0, 0);
const every = (gapMs: number, n: number, from = now) => Array.from({ length: n }, (_, i) => from - i * gapMs);

describe('nextCheckAfterSuccess', () => {
  it('uses the default with no history', () => {
    expect(nextCheckAfterSuccess({ now, recentItemTimes: [], bounds })).toBe(now + 5 * MIN);
    expect(nextCheckAfterSuccess({ now, recentItemTimes: [now - MIN], bounds })).toBe(now + 5 * MIN);
  });

  it('follows the publishing rate (half the mean gap)', () => {
    expect(nextCheckAfterSuccess({ now, recentItemTimes: every(10 * MIN, 10), bounds })).toBe(now + 5 * MIN);
    expect(nextCheckAfterSuccess({ now, recentItemTimes: every(40 * MIN, 10), bounds })).toBe(now + 20 * MIN);
  });

  it('is clamped to the minimum for a busy feed and the maximum for a slow one', () => {
    expect(nextCheckAfterSuccess({ now, recentItemTimes: every(20_000, 20), bounds })).toBe(now + 1 * MIN);
    expect(nextCheckAfterSuccess({ now, recentItemTimes: every(24 * 60 * MIN, 5), bounds })).toBe(now + 60 * MIN);
  });

  it('slows down for a feed that went quiet', () => {
    const quiet = every(10 * MIN, 10, now - 3 * 60 * MIN); // used to publish every 10 min, silent for 3 h
    expect(nextCheckAfterSuccess({ now, recentItemTimes: quiet, bounds })).toBe(now + 60 * MIN);
    expect(rateInterval(now, quiet)).toBe(90 * MIN);
  });

  it('never checks sooner than max-age, and max-age is capped by the maximum', () => {
    expect(nextCheckAfterSuccess({ now, maxAgeMs: 15 * MIN, recentItemTimes: every(2 * MIN, 10), bounds })).toBe(now + 15 * MIN);
    expect(nextCheckAfterSuccess({ now, maxAgeMs: 0, recentItemTimes: [], bounds })).toBe(now + 5 * MIN);
    expect(nextCheckAfterSuccess({ now, maxAgeMs: 24 * 60 * MIN, recentItemTimes: [], bounds })).toBe(now + 60 * MIN);
  });

  it('ignores order, NaN and future dates', () => {
    const times = [now - 20 * MIN, Number.NaN, now + 60 * MIN, now - 10 * MIN];
    // future → now; times: now, now-10, now-20 → mean gap 10 min → 5 min
    expect(nextCheckAfterSuccess({ now, recentItemTimes: times, bounds })).toBe(now + 5 * MIN);
  });
});

describe('nextCheckAfterFailure', () => {
  it('backs off exponentially from the default, up to the cap', () => {
    const at = (errorCount: number) => nextCheckAfterFailure({ now, errorCount, bounds }) - now;
    expect(at(1)).toBe(5 * MIN);
    expect(at(2)).toBe(10 * MIN);
    expect(at(3)).toBe(20 * MIN);
    expect(at(4)).toBe(40 * MIN);
    expect(at(7)).toBe(320 * MIN);
    expect(at(8)).toBe(360 * MIN);
    expect(at(500)).toBe(360 * MIN);
    expect(at(0)).toBe(5 * MIN);
  });

  it('honours Retry-After when it is longer, within the cap', () => {
    expect(nextCheckAfterFailure({ now, errorCount: 1, retryAfterMs: 30 * MIN, bounds })).toBe(now + 30 * MIN);
    expect(nextCheckAfterFailure({ now, errorCount: 3, retryAfterMs: 1000, bounds })).toBe(now + 20 * MIN);
    expect(nextCheckAfterFailure({ now, errorCount: 1, retryAfterMs: 48 * 60 * MIN, bounds })).toBe(now + 360 * MIN);
  });
});

describe('shouldDisable / isDue', () => {
  it('disables after a long run of failures', () => {
    expect(shouldDisable(29, bounds)).toBe(false);
    expect(shouldDisable(30, bounds)).toBe(true);
    expect(shouldDisable(31, DEFAULT_SCHEDULE_BOUNDS)).toBe(true);
  });
  it('is due at or after nextCheckAt', () => {
    expect(isDue({ nextCheckAt: now }, now)).toBe(true);
    expect(isDue({ nextCheckAt: now - 1 }, now)).toBe(true);
    expect(isDue({ nextCheckAt: now + 1 }, now)).toBe(false);
    expect(isDue({ nextCheckAt: 0 }, now)).toBe(true);
  });
});
