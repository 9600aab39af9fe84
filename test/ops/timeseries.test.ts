import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetaStore } from '../../src/store/stores.js';
import {
  HOUR_MS,
  RESERVOIR_SIZE,
  TimeSeriesFlushError,
  createTimeSeries,
  hourKey,
  lastHours,
  mergeReservoir,
  percentile,
} from '../../src/ops/timeseries.js';

/** An in-memory MetaStore that counts writes and can be made to fail. */
function memoryMeta() {
  const data = new Map<string, unknown>();
  const ttls = new Map<string, number | undefined>();
  let failing = false;
  const meta: MetaStore & { writes: number; data: typeof data; ttls: typeof ttls; fail(on: boolean): void } = {
    writes: 0,
    data,
    ttls,
    fail(on) {
      failing = on;
    },
    async get<T>(key: string) {
      if (failing) throw new Error('store down');
      return structuredClone(data.get(key)) as T | undefined;
    },
    async set(key, value, ttlMs) {
      if (failing) throw new Error('store down');
      meta.writes++;
      data.set(key, structuredClone(value));
      ttls.set(key, ttlMs);
    },
    async incr(key, by = 1) {
      const n = ((data.get(key) as number | undefined) ?? 0) + by;
      data.set(key, n);
      return n;
    },
  };
  return meta;
}

const T0 = Date.UTC(2026, 10, 29, 8, 15);

describe('hour bucket math', () => {
  it('names UTC hours and lists the last n oldest first', () => {
    expect(hourKey(T0)).toBe('2026-11-29T08');
    expect(lastHours(T0, 3)).toEqual(['2026-11-29T06', '2026-11-29T07', '2026-11-29T08']);
    expect(lastHours(Date.UTC(2026, 10, 29, 0, 5), 2)).toEqual(['2026-11-28T23', '2026-11-29T00']);
    expect(lastHours(T0, 48)).toHaveLength(48);
  });

  it('computes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('merges reservoirs within the size bound, keeping the seen count', () => {
    const a = { n: 1000, s: Array.from({ length: RESERVOIR_SIZE }, () => 1) };
    const b = { n: 10, s: Array.from({ length: 10 }, () => 2) };
    const m = mergeReservoir(a, b);
    expect(m.n).toBe(1010);
    expect(m.s).toHaveLength(RESERVOIR_SIZE);
    // b's samples stand for 1% of the events; they may not crowd out a's.
    expect(m.s.filter((v) => v === 2).length).toBeLessThan(RESERVOIR_SIZE / 4);
    expect(mergeReservoir({ n: 2, s: [1, 2] }, { n: 1, s: [3] })).toEqual({ n: 3, s: [1, 2, 3] });
  });
});

describe('createTimeSeries', () => {
  afterEach(() => void vi.useRealTimers());

  it('counts in memory and writes one record per hour on flush, not one per event', async () => {
    let clock = T0;
    const meta = memoryMeta();
    const ts = createTimeSeries({ meta, now: () => clock });
    for (let i = 0; i < 500; i++) ts.count('sent:alert');
    ts.count('fresh:bbc', 7);
    expect(meta.writes).toBe(0);
    // Unflushed counts are visible to readers.
    expect((await ts.buckets(['2026-11-29T08']))[0]!.counts).toEqual({ 'sent:alert': 500, 'fresh:bbc': 7 });
    await ts.flush();
    expect(meta.writes).toBe(1);
    expect(meta.data.get('stats:h:2026-11-29T08')).toEqual({ counts: { 'sent:alert': 500, 'fresh:bbc': 7 } });
    expect(meta.ttls.get('stats:h:2026-11-29T08')).toBeGreaterThan(48 * HOUR_MS);

    // Next flush adds to what is stored; a new hour gets its own record.
    ts.count('sent:alert', 5);
    clock += HOUR_MS;
    ts.count('sent:digest', 2);
    await ts.flush();
    expect(meta.writes).toBe(3);
    const [h8, h9] = await ts.buckets(['2026-11-29T08', '2026-11-29T09']);
    expect(h8!.counts['sent:alert']).toBe(505);
    expect(h9!.counts).toEqual({ 'sent:digest': 2 });
    // A flush with nothing pending writes nothing.
    await ts.flush();
    expect(meta.writes).toBe(3);
  });

  it('keeps latency samples in a bounded reservoir per hour', async () => {
    const meta = memoryMeta();
    const ts = createTimeSeries({ meta, now: () => T0 });
    for (let i = 0; i < 2000; i++) ts.sample(1000 + (i % 100));
    ts.sample(-5); // ignored
    ts.sample(Number.NaN); // ignored
    await ts.flush();
    const [b] = await ts.buckets([hourKey(T0)]);
    expect(b!.lat!.n).toBe(2000);
    expect(b!.lat!.s).toHaveLength(RESERVOIR_SIZE);
    expect(Math.min(...b!.lat!.s)).toBeGreaterThanOrEqual(1000);
  });

  it('keeps the counts when a flush fails and writes them on the next one', async () => {
    const meta = memoryMeta();
    const ts = createTimeSeries({ meta, now: () => T0 });
    ts.count('sent:alert', 3);
    meta.fail(true);
    await expect(ts.flush()).rejects.toBeInstanceOf(TimeSeriesFlushError);
    ts.count('sent:alert', 2);
    meta.fail(false);
    await ts.flush();
    expect(meta.data.get('stats:h:2026-11-29T08')).toEqual({ counts: { 'sent:alert': 5 } });
  });

  it('flushes every flushMs once started, and once more on stop', async () => {
    vi.useFakeTimers({ now: T0 });
    const meta = memoryMeta();
    const ts = createTimeSeries({ meta, flushMs: 10_000 });
    ts.start();
    ts.count('sent:alert');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(meta.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(meta.writes).toBe(1);
    ts.count('sent:alert');
    await ts.stop();
    expect(meta.writes).toBe(2);
    expect((meta.data.get('stats:h:2026-11-29T08') as any).counts['sent:alert']).toBe(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(meta.writes).toBe(2);
  });
});
