import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNotices, type NoticeResult } from '../../src/ops/notices.js';
import { startWatchers } from '../../src/ops/watch.js';
import type { Delivery, Locale } from '../../src/types.js';

const T0 = Date.UTC(2026, 10, 29, 8, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A translate function that shows the locale, key and variables it was given. */
const t = (locale: Locale, key: string, vars: Record<string, string | number> = {}) =>
  `${locale}:${key}:${Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

function harness(opts: { adminIds?: number[] } = {}) {
  const queued: Delivery[] = [];
  const results: NoticeResult[] = [];
  let failing = false;
  const outbox = {
    async enqueue(ds: Delivery[]) {
      if (failing) throw new Error('store down');
      queued.push(...ds);
    },
  };
  const notices = createNotices({
    adminIds: opts.adminIds ?? [1, 2],
    outbox,
    t,
    localeOf: (id) => (id === 1 ? 'ar' : 'en'),
    now: Date.now,
    onResult: (r) => results.push(r),
  });
  return { notices, queued, results, fail: (on: boolean) => void (failing = on) };
}

describe('admin notices', () => {
  beforeEach(() => void vi.useFakeTimers({ now: T0 }));
  afterEach(() => void vi.useRealTimers());

  it('sends each cause at most once per hour, to every admin in their language, in the broadcast lane', async () => {
    const h = harness();
    expect(await h.notices.notify('source-disabled:bbc', 'source-disabled', { id: 'bbc', count: 30 })).toBe(true);
    expect(h.queued).toHaveLength(2);
    expect(h.queued.map((d) => [d.chatId, d.lane, d.text])).toEqual([
      [1, 'broadcast', 'ar:source-disabled:id=bbc,count=30'],
      [2, 'broadcast', 'en:source-disabled:id=bbc,count=30'],
    ]);
    expect(new Set(h.queued.map((d) => d.id)).size).toBe(2);

    // Same cause within the hour: suppressed. Another cause: its own window.
    vi.advanceTimersByTime(59 * MIN);
    expect(await h.notices.notify('source-disabled:bbc', 'source-disabled', { id: 'bbc', count: 31 })).toBe(false);
    expect(await h.notices.notify('source-disabled:cnn', 'source-disabled', { id: 'cnn', count: 30 })).toBe(true);
    expect(h.queued).toHaveLength(4);

    // An hour after the first: bbc may fire again; cnn (fired at 59 min) may not.
    vi.advanceTimersByTime(MIN);
    expect(await h.notices.notify('source-disabled:bbc', 'source-disabled', { id: 'bbc', count: 32 })).toBe(true);
    expect(await h.notices.notify('source-disabled:cnn', 'source-disabled', { id: 'cnn', count: 31 })).toBe(false);
    expect(h.queued).toHaveLength(6);
    expect(h.results).toEqual(['queued', 'suppressed', 'queued', 'queued', 'suppressed']);
  });

  it('escapes string variables for Telegram HTML', async () => {
    const h = harness({ adminIds: [2] });
    await h.notices.notify('x', 'source-disabled', { name: 'A <b>&</b> "B"', count: 3 });
    expect(h.queued[0]!.text).toBe('en:source-disabled:name=A &lt;b&gt;&amp;&lt;/b&gt; &quot;B&quot;,count=3');
  });

  it('does not use up the hour when the notice could not be queued', async () => {
    const h = harness();
    h.fail(true);
    expect(await h.notices.notify('backlog', 'notice-backlog', { size: 1 })).toBe(false);
    h.fail(false);
    expect(await h.notices.notify('backlog', 'notice-backlog', { size: 2 })).toBe(true);
    expect(h.results).toEqual(['failed', 'queued']);
  });

  it('sends nothing without admins', async () => {
    const h = harness({ adminIds: [] });
    expect(await h.notices.notify('backlog', 'notice-backlog')).toBe(false);
    expect(h.queued).toHaveLength(0);
  });
});

describe('ops watchers', () => {
  beforeEach(() => void vi.useFakeTimers({ now: T0 }));
  afterEach(() => void vi.useRealTimers());

  it('notices an outbox backlog above the threshold, checked every minute, once per hour', async () => {
    const h = harness({ adminIds: [2] });
    let size = 50;
    const w = startWatchers({ notices: h.notices, pingStore: async () => {}, backlog: () => size, backlogThreshold: 100 });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(h.queued).toHaveLength(0);
    size = 101;
    await vi.advanceTimersByTimeAsync(MIN);
    expect(h.queued.map((d) => d.text)).toEqual(['en:notice-backlog:size=101,threshold=100']);
    // Still above for the rest of the hour: checked every minute, told once.
    await vi.advanceTimersByTimeAsync(59 * MIN);
    expect(h.queued).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(h.queued).toHaveLength(2);
    w.stop();
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(h.queued).toHaveLength(2);
  });

  it('pings the store every 30 s; tells admins when it stopped answering and when it is back', async () => {
    const h = harness({ adminIds: [2] });
    let up = true;
    const w = startWatchers({
      notices: h.notices,
      pingStore: async () => {
        if (!up) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'StoreError' });
      },
      backlog: () => 0,
    });
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(h.queued).toHaveLength(0);
    up = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(w.storeDownSince).toBe(T0 + 2.5 * MIN);
    expect(h.queued.map((d) => d.text)).toEqual(['en:notice-store-down:since=2026-11-29 08:02 UTC,error=StoreError: connect ECONNREFUSED']);
    // Down for ten more minutes: no more notices.
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(h.queued).toHaveLength(1);
    up = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(w.storeDownSince).toBeUndefined();
    expect(h.queued.at(-1)!.text).toBe('en:notice-store-recovered:since=2026-11-29 08:02 UTC,minutes=11');
    // Flapping within the hour: one down and one recovered notice per hour at most.
    up = false;
    await vi.advanceTimersByTimeAsync(30_000);
    up = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.queued).toHaveLength(2);
    w.stop();
  });

  it('queues the store-down notice later if it could not be queued while the store was away', async () => {
    const h = harness({ adminIds: [2] });
    let up = true;
    const w = startWatchers({
      notices: h.notices,
      pingStore: async () => {
        if (!up) throw new Error('down');
      },
      backlog: () => 0,
    });
    up = false;
    h.fail(true); // the outbox lives in the same store
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.queued).toHaveLength(0);
    up = true;
    h.fail(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.queued.map((d) => d.text.split(':')[1])).toEqual(['notice-store-recovered']);
    w.stop();
  });
});
