import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { translator } from '../../src/bot/i18n.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { createIngest, type Ingest } from '../../src/ingest.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { DEFAULT_HEALTH_THRESHOLDS, itemsToday, type PolledState, sourceHealth } from '../../src/poller/health.js';
import { createPoller, emptyState } from '../../src/poller/poller.js';
import { Profiles } from '../../src/profiles.js';
import { decodeRaw } from '../../src/sources/http.js';
import { parseFeed } from '../../src/sources/parse-feed.js';
import { createKeyvFactory, type KeyvFactory } from '../../src/store/keyv.js';
import { createStores, type SourceRecord, type Stores } from '../../src/store/stores.js';
import type { Source } from '../../src/types.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM, OLD_ITEM, rss } from '../fixtures/articles.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';

const MIN = 60_000;
const logger = pino({ level: 'silent' });
const gazetteer = loadGazetteer();

function source(id: string, url: string, extra: Partial<Source> = {}): Source {
  return { id, name: id, url, fullText: true, enabled: true, trusted: true, origin: 'env', ...extra };
}

const feedRoute = (body: string) => ({ headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body });

describe('poller', () => {
  let factory: KeyvFactory;
  let stores: Stores;
  let server: FeedServer;
  let clock: number;
  const hanging: ServerResponse[] = [];

  beforeEach(async () => {
    clock = Date.UTC(2025, 5, 2, 12, 0, 0);
    factory = await createKeyvFactory('memory://');
    stores = createStores(factory);
    server = await startFeedServer();
  });
  afterEach(async () => {
    for (const res of hanging.splice(0)) res.destroy();
    await server.close();
    await factory.close();
  });

  const add = (rec: SourceRecord) => stores.sources.save(rec);
  /** A route that never answers (until the test ends). */
  const hang = () => (_req: unknown, res: ServerResponse) => void hanging.push(res);

  it('one hanging source never delays the others: the fast ones are ingested before it times out', async () => {
    server.setRoute('/slow.xml', hang());
    for (const n of [1, 2, 3, 4]) server.setRoute(`/fast${n}.xml`, feedRoute(rss([{ ...HASAKAH_ITEM, link: `${HASAKAH_ITEM.link}/${n}` }])));
    // The slow source comes first and everything shares one host, with room for two at a time.
    await add({ source: source('a-slow', `${server.url}/slow.xml`), state: emptyState(clock) });
    for (const n of [1, 2, 3, 4]) await add({ source: source(`b-fast${n}`, `${server.url}/fast${n}.xml`), state: emptyState(clock) });
    const events: string[] = [];
    const poller = createPoller({
      sources: stores.sources,
      ingest: async (src, items) => (events.push(`ingest ${src.id}`), { fresh: items.length, alerts: 0 }),
      logger,
      allowPrivate: true,
      limits: { overall: 2, perHost: 2 },
      fetchOptions: { limits: { totalTimeoutMs: 1_500 } },
      onPolled: (o) => events.push(`done ${o.sourceId} ${o.status}`),
    });
    const started = performance.now();
    const outcomes = await poller.pollDue();
    const elapsed = performance.now() - started;

    const slowDone = events.indexOf('done a-slow error');
    expect(slowDone).toBe(events.length - 1);
    for (const n of [1, 2, 3, 4]) expect(events.indexOf(`ingest b-fast${n}`)).toBeGreaterThanOrEqual(0);
    expect(events.slice(0, slowDone).filter((e) => e.startsWith('ingest'))).toHaveLength(4);
    // Bounded by the timeout, not by the sum of the sources.
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(5_000);
    expect(outcomes.find((o) => o.sourceId === 'a-slow')).toEqual({ sourceId: 'a-slow', status: 'error', error: 'timeout' });
    const slow = (await stores.sources.get('a-slow'))!;
    expect(slow.state.lastError?.name).toBe('timeout');
    expect(slow.state.errorCount).toBe(1);
  });

  it('a new tick polls due sources while a slow one is still in flight, and never starts that one twice', async () => {
    server.setRoute('/slow.xml', hang());
    server.setRoute('/fast.xml', feedRoute(rss([FOOTBALL_ITEM])));
    await add({ source: source('slow', `${server.url}/slow.xml`), state: emptyState(clock) });
    await add({ source: source('fast', `${server.url}/fast.xml`), state: emptyState(clock) });
    const ingested: string[] = [];
    const poller = createPoller({
      sources: stores.sources,
      ingest: async (src) => (ingested.push(src.id), { fresh: 0, alerts: 0 }),
      logger,
      allowPrivate: true,
      now: () => clock,
      fetchOptions: { limits: { totalTimeoutMs: 2_000 } },
    });
    const first = poller.pollDue();
    await vi.waitFor(() => expect(ingested).toEqual(['fast']));
    expect(poller.inFlight).toEqual(['slow']);

    clock += 60 * MIN; // the next tick, long after: "fast" is due again
    const second = poller.pollDue();
    // "fast" is polled again while "slow" still hangs from the first tick.
    await vi.waitFor(() => expect(ingested).toEqual(['fast', 'fast']));
    expect(poller.inFlight).toEqual(['slow']);
    expect(server.hits('/slow.xml')).toBe(1);
    // Both ticks report the slow source's one outcome (the second shares the pending poll).
    const [a, b] = await Promise.all([first, second]);
    expect(a.find((o) => o.sourceId === 'slow')).toEqual({ sourceId: 'slow', status: 'error', error: 'timeout' });
    expect(b.find((o) => o.sourceId === 'slow')).toBe(a.find((o) => o.sourceId === 'slow'));
    expect(server.hits('/slow.xml')).toBe(1);
    expect(poller.inFlight).toEqual([]);
  });

  it('backs off a failing source exponentially, then disables it after a long run of failures and tells once', async () => {
    server.setRoute('/down.xml', { status: 503, body: 'down' });
    await add({ source: source('down', `${server.url}/down.xml`), state: emptyState(clock) });
    const disabled: SourceRecord[] = [];
    const poller = createPoller({
      sources: stores.sources,
      ingest: async () => ({ fresh: 0, alerts: 0 }),
      logger,
      allowPrivate: true,
      now: () => clock,
      bounds: { defaultIntervalMs: MIN, minIntervalMs: MIN, maxBackoffMs: 4 * MIN, disableAfterErrors: 5 },
      onDisabled: (rec) => void disabled.push(rec),
    });
    const waits: number[] = [];
    for (let i = 1; i <= 5; i++) {
      await poller.pollDue();
      const { state } = (await stores.sources.get('down'))!;
      expect(state.errorCount).toBe(i);
      expect(state.lastError?.name).toBe('http_5xx');
      waits.push(state.nextCheckAt - clock);
      // Not due before its backoff is over: a tick just before does not fetch.
      clock = state.nextCheckAt - 1;
      await poller.pollDue();
      expect(server.hits('/down.xml')).toBe(i);
      clock = state.nextCheckAt;
    }
    expect(waits).toEqual([1, 2, 4, 4, 4].map((m) => m * MIN));
    const rec = (await stores.sources.get('down'))!;
    expect(rec.source.enabled).toBe(false);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.source).toMatchObject({ id: 'down', enabled: false });
    expect(disabled[0]!.state).toMatchObject({ errorCount: 5, lastError: { name: 'http_5xx' } });
    // A disabled source is left alone, even by "poll all".
    clock += 3600_000;
    expect(await poller.pollAll()).toEqual([]);
    expect(server.hits('/down.xml')).toBe(5);
    expect(sourceHealth(rec, clock)).toBe('disabled');
  });

  it('keeps an admin change made while the source was being polled, and never brings back a removed source', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.setRoute('/held.xml', async (_req, res) => {
      await gate;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([FOOTBALL_ITEM]));
    });
    await add({ source: source('held', `${server.url}/held.xml`), state: emptyState(clock) });
    await add({ source: source('gone', `${server.url}/held.xml?gone`), state: emptyState(clock) });
    const poller = createPoller({ sources: stores.sources, ingest: async () => ({ fresh: 1, alerts: 0 }), logger, allowPrivate: true, now: () => clock });
    const polling = poller.pollAll();
    await vi.waitFor(() => expect(server.hits('/held.xml')).toBe(2));
    const rec = (await stores.sources.get('held'))!;
    await stores.sources.save({ ...rec, source: { ...rec.source, enabled: false, name: 'renamed' } });
    await stores.sources.remove('gone');
    release();
    await polling;
    const after = (await stores.sources.get('held'))!;
    expect(after.source).toMatchObject({ enabled: false, name: 'renamed' });
    expect(after.state.lastSuccessAt).toBe(clock);
    expect(await stores.sources.get('gone')).toBeUndefined();
  });

  it('pollSource polls one enabled source regardless of schedule and skips unknown or disabled ones', async () => {
    server.setRoute('/one.xml', feedRoute(rss([FOOTBALL_ITEM])));
    await add({ source: source('one', `${server.url}/one.xml`), state: { ...emptyState(clock), nextCheckAt: clock + 3600_000 } });
    await add({ source: source('off', `${server.url}/one.xml?off`, { enabled: false }), state: emptyState(clock) });
    const poller = createPoller({ sources: stores.sources, ingest: async (_s, items) => ({ fresh: items.length, alerts: 0 }), logger, allowPrivate: true, now: () => clock });
    expect(await poller.pollDue()).toEqual([]);
    expect(await poller.pollSource('one')).toEqual({ sourceId: 'one', status: 'ok', fresh: 1, alerts: 0 });
    expect(await poller.pollSource('off')).toEqual({ sourceId: 'off', status: 'skipped' });
    expect(await poller.pollSource('nope')).toEqual({ sourceId: 'nope', status: 'skipped' });
    expect(server.hits('/one.xml')).toBe(1);
    const state = (await stores.sources.get('one'))!.state as PolledState;
    expect(state.lastDurationMs).toBe(0); // the injected clock did not move
    expect(itemsToday(state, clock)).toBe(1);
  });

  it('parses where it is told, keeps the named error of a broken feed, and parses here when that fails', async () => {
    server.setRoute('/one.xml', feedRoute(rss([FOOTBALL_ITEM])));
    server.setRoute('/broken.xml', feedRoute(readFileSync(new URL('../fixtures/feeds/broken.xml', import.meta.url), 'utf8')));
    await add({ source: source('one', `${server.url}/one.xml`), state: emptyState(clock) });
    await add({ source: source('broken', `${server.url}/broken.xml`), state: emptyState(clock) });
    const parsed: string[] = [];
    let threadDown = false;
    const poller = createPoller({
      sources: stores.sources,
      ingest: async (_s, items) => ({ fresh: items.length, alerts: 0 }),
      logger,
      allowPrivate: true,
      now: () => clock,
      parse: async (raw, ctx) => {
        parsed.push(ctx.sourceId);
        if (threadDown) throw new Error('analyzer worker exited (1)');
        return parseFeed(decodeRaw(raw), ctx);
      },
    });
    expect(await poller.pollSource('one')).toEqual({ sourceId: 'one', status: 'ok', fresh: 1, alerts: 0 });
    expect(await poller.pollSource('broken')).toEqual({ sourceId: 'broken', status: 'error', error: 'bad_xml' });
    threadDown = true;
    server.setRoute('/one.xml', feedRoute(rss([FOOTBALL_ITEM, { ...HASAKAH_ITEM }])));
    expect(await poller.pollSource('one')).toEqual({ sourceId: 'one', status: 'ok', fresh: 2, alerts: 0 });
    expect(parsed).toEqual(['one', 'broken', 'one']);
  });

  describe('with the real ingest', () => {
    let profiles: Profiles;
    let outbox: Outbox;
    let ingest: Ingest;
    const ALICE = 9001;

    beforeEach(async () => {
      profiles = new Profiles(stores.chats, { locale: 'ar', now: () => clock });
      const hasakah = gazetteer.lookup('الحسكة')[0]!.id;
      await profiles.update(ALICE, 'private', (p) => void (p.places = [hasakah]));
      outbox = new Outbox(stores.outbox);
      const t = translator('ar');
      ingest = createIngest({ stores, profiles, outbox, gazetteer, t, logger, now: () => clock });
    });

    it('ingests a feed once: items become articles, a follower gets one alert, a second poll adds nothing', async () => {
      const date = new Date(clock - 10 * MIN);
      const body = rss([
        { ...HASAKAH_ITEM, date },
        { ...FOOTBALL_ITEM, date },
        { ...HASAKAH_ITEM, date, guid: 'again' }, // the same article listed twice in one feed
        { ...OLD_ITEM, date: new Date(clock - 3 * 86400_000) },
      ]);
      server.setRoute('/news.xml', feedRoute(body));
      await add({ source: source('news', `${server.url}/news.xml`), state: { ...emptyState(clock), lastSuccessAt: clock - 3600_000 } });
      const poller = createPoller({ sources: stores.sources, ingest, logger, allowPrivate: true, now: () => clock });
      const [first] = await poller.pollDue();
      expect(first).toEqual({ sourceId: 'news', status: 'ok', fresh: 3, alerts: 1 });
      expect(outbox.size).toBe(1);
      expect(stores.articles.recent().map((a) => a.title).sort()).toEqual([HASAKAH_ITEM.title, FOOTBALL_ITEM.title, OLD_ITEM.title].sort());
      expect((await stores.sources.get('news'))!.state.itemsToday).toBe(3);

      clock += 10 * MIN;
      const [second] = await poller.pollAll();
      expect(second).toEqual({ sourceId: 'news', status: 'ok', fresh: 0, alerts: 0 });
      expect(outbox.size).toBe(1);
    });

    it('marks nothing seen when the deliveries could not be enqueued, so the next poll tries again', async () => {
      server.setRoute('/news.xml', feedRoute(rss([{ ...HASAKAH_ITEM, date: new Date(clock - MIN) }])));
      await add({ source: source('news', `${server.url}/news.xml`), state: { ...emptyState(clock), lastSuccessAt: clock - 3600_000 } });
      const poller = createPoller({ sources: stores.sources, ingest, logger, allowPrivate: true, now: () => clock });
      const enqueue = vi.spyOn(outbox, 'enqueue').mockRejectedValueOnce(new Error('disk full'));
      const [first] = await poller.pollDue();
      expect(first).toMatchObject({ status: 'ok', fresh: 0, alerts: 0 });
      expect(outbox.size).toBe(0);
      enqueue.mockRestore();
      const [second] = await poller.pollAll();
      expect(second).toMatchObject({ status: 'ok', fresh: 1, alerts: 1 });
      expect(outbox.size).toBe(1);
    });
  });
});

describe('sourceHealth (pure)', () => {
  const now = Date.UTC(2025, 5, 2, 12, 0, 0);
  const rec = (state: Partial<PolledState>, enabled = true): SourceRecord => ({
    source: { ...source('x', 'https://x.example/feed'), enabled },
    state: { ...emptyState(now), ...state },
  });
  const ok = { lastSuccessAt: now - MIN, lastCheckAt: now - MIN, nextCheckAt: now + MIN, lastDurationMs: 300 };
  const T = DEFAULT_HEALTH_THRESHOLDS;

  it('names each state', () => {
    expect(sourceHealth(rec(ok), now)).toBe('ok');
    expect(sourceHealth(rec(ok, false), now)).toBe('disabled');
    expect(sourceHealth(rec({ ...ok, errorCount: 1 }), now)).toBe('failing');
    expect(sourceHealth(rec({}), now)).toBe('new');
  });

  it('calls a working source slow when its poll took long, it is overdue, or its next check was pushed far', () => {
    expect(sourceHealth(rec({ ...ok, lastDurationMs: T.slowPollMs - 1 }), now)).toBe('ok');
    expect(sourceHealth(rec({ ...ok, lastDurationMs: T.slowPollMs }), now)).toBe('slow');
    expect(sourceHealth(rec({ ...ok, nextCheckAt: now - T.overdueMs }), now)).toBe('ok');
    expect(sourceHealth(rec({ ...ok, nextCheckAt: now - T.overdueMs - 1 }), now)).toBe('slow');
    expect(sourceHealth(rec({ ...ok, nextCheckAt: ok.lastCheckAt + T.farIntervalMs + 1 }), now)).toBe('slow');
  });

  it('counts items today only for the current UTC day', () => {
    expect(itemsToday({ ...emptyState(now), itemsToday: 5, itemsDay: '2025-06-02' }, now)).toBe(5);
    expect(itemsToday({ ...emptyState(now), itemsToday: 5, itemsDay: '2025-06-01' }, now)).toBe(0);
  });
});

