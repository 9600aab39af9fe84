import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { translator } from '../src/bot/i18n.js';
import { Outbox } from '../src/delivery/outbox.js';
import { createIngest, type Ingest } from '../src/ingest.js';
import { loadGazetteer } from '../src/pipeline/gazetteer.js';
import { fromWire, toWire } from '../src/pipeline/analysis-text.js';
import { analyze } from '../src/pipeline/pipeline.js';
import { createAnalyzerPool } from '../src/pipeline/pool.js';
import { Profiles } from '../src/profiles.js';
import { FeedError } from '../src/sources/errors.js';
import { parseFeed } from '../src/sources/parse-feed.js';
import { createKeyvFactory } from '../src/store/keyv.js';
import { createStores, type Stores } from '../src/store/stores.js';
import type { Article, Delivery, FeedItem, Source } from '../src/types.js';
import { HASAKAH_ITEM } from './fixtures/articles.js';

const NOW = Date.UTC(2026, 10, 29, 9, 0);
const source = (id: string, name: string): Source => ({ id, name, url: `https://${id}.example/rss`, fullText: true, enabled: true, trusted: true, origin: 'env' });
const AGENCY = source('agency', 'وكالة المثال');
const DAILY = source('daily', 'صحيفة المثال');
const WEEKLY = source('weekly', 'أسبوعية المثال');

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  sourceId: AGENCY.id,
  guid: HASAKAH_ITEM.link,
  url: HASAKAH_ITEM.link,
  title: HASAKAH_ITEM.title,
  text: HASAKAH_ITEM.text,
  publishedAt: NOW - 5 * 60_000,
  categories: [],
  ...over,
});

// The same event as told by a second outlet: other wording, same names and facts.
const SAME_EVENT = item({
  sourceId: DAILY.id,
  guid: 'https://daily.example/2026/hasakah',
  url: 'https://daily.example/2026/hasakah',
  title: 'مقتل ثلاثة عناصر بانفجار سيارة مفخخة قرب حاجز أمني في الحسكة',
  text:
    'انفجرت سيارة مفخخة صباح اليوم قرب حاجز أمني على المدخل الجنوبي لمدينة الحسكة، ما أدى إلى مقتل ثلاثة عناصر وإصابة آخرين، بحسب مصدر أمني. ' +
    'ولم تتبن أي جهة الهجوم حتى الآن.',
});

describe('ingest', () => {
  let stores: Stores;
  let profiles: Profiles;
  let outbox: Outbox;
  let ingest: Ingest;
  let enqueued: Delivery[];

  beforeEach(async () => {
    stores = createStores(await createKeyvFactory('memory://'));
    profiles = new Profiles(stores.chats, { locale: 'ar', now: () => NOW });
    outbox = new Outbox(stores.outbox);
    enqueued = [];
    const enqueue = outbox.enqueue.bind(outbox);
    outbox.enqueue = async (ds) => {
      enqueued.push(...ds);
      return enqueue(ds);
    };
    const gazetteer = loadGazetteer();
    ingest = createIngest({ stores, profiles, outbox, gazetteer, t: translator('ar'), logger: pino({ level: 'silent' }), now: () => NOW });
    await profiles.update(1, 'private', (p) => void p.places.push('SY')); // follows Syria: Hasakah is inside
    await profiles.update(2, 'private', (p) => void p.topics.push('sports'));
    await profiles.update(3, 'private', (p) => void p.keywords.push('مفخخة'));
  });

  it('alerts the followers of a containing place and of a keyword, and no one else', async () => {
    const r = await ingest(AGENCY, [item()]);
    expect(r).toEqual({ fresh: 1, alerts: 2 });
    expect(enqueued.map((d) => d.chatId).sort()).toEqual([1, 3]);
    const [alert] = enqueued;
    expect(alert!.lane).toBe('alert');
    expect(alert!.text).toContain(HASAKAH_ITEM.title);
    expect(alert!.text).toContain('سوريا › الحسكة');
    expect(stores.articles.recent()).toHaveLength(1);
  });

  it('never ingests an item twice (same GUID, or the same URL with tracking parameters)', async () => {
    await ingest(AGENCY, [item()]);
    const again = await ingest(AGENCY, [item(), item({ guid: 'other-guid', url: `${HASAKAH_ITEM.link}?utm_source=rss#top` })]);
    expect(again).toEqual({ fresh: 0, alerts: 0 });
    expect(enqueued).toHaveLength(2);
  });

  it('groups another outlet’s report of the same story: listed under it, no second alert', async () => {
    await ingest(AGENCY, [item()]);
    const r = await ingest(DAILY, [SAME_EVENT]);
    expect(r).toEqual({ fresh: 1, alerts: 0 });
    const [second, first] = stores.articles.recent();
    expect(second!.storyId).toBe(first!.id);
    expect(first!.alsoIn).toEqual([{ sourceName: DAILY.name, url: SAME_EVENT.url, title: SAME_EVENT.title }]);
  });

  it('lists each other outlet once under a story', async () => {
    await ingest(AGENCY, [item()]);
    await ingest(DAILY, [SAME_EVENT]);
    await ingest(DAILY, [{ ...SAME_EVENT, guid: 'update-2', url: 'https://daily.example/2026/hasakah-update' }]);
    const first = stores.articles.recent().find((a) => a.sourceId === AGENCY.id)!;
    expect(first.alsoIn?.map((r) => r.sourceName)).toEqual([DAILY.name]);
  });

  it('does not alert old news, nor the backlog of a first poll', async () => {
    const r1 = await ingest(AGENCY, [item({ publishedAt: NOW - 2 * 86400_000 })]);
    expect(r1).toEqual({ fresh: 1, alerts: 0 });
    const r2 = await ingest(DAILY, [SAME_EVENT].map((i) => ({ ...i, publishedAt: NOW - 2 * 3600_000 })), { firstPoll: true });
    expect(r2.alerts).toBe(0);
    expect(enqueued).toEqual([]);
    expect(stores.articles.recent()).toHaveLength(2); // still listed in /latest
  });

  it('batches polled at the same time add their reports to the story’s first article without losing any', async () => {
    await ingest(AGENCY, [item()]);
    const third = { ...SAME_EVENT, sourceId: WEEKLY.id, guid: 'https://weekly.example/hasakah', url: 'https://weekly.example/hasakah' };
    const [r1, r2] = await Promise.all([ingest(DAILY, [SAME_EVENT]), ingest(WEEKLY, [third])]);
    expect(r1.alerts + r2.alerts).toBe(0);
    const first = stores.articles.recent().find((a) => a.storyId === a.id)!;
    expect(first.alsoIn?.map((x) => x.sourceName).sort()).toEqual([DAILY.name, WEEKLY.name].sort());
    expect((await stores.articles.get(first.id))!.alsoIn).toHaveLength(2);
    expect(stores.articles.recent()).toHaveLength(3);
  });

  it('analyzes on a worker pool when given one, with the same result as in this thread', async () => {
    const pool = createAnalyzerPool({ size: 1 });
    try {
      const viaPool = createIngest({
        stores, profiles, outbox, gazetteer: loadGazetteer(), t: translator('ar'),
        logger: pino({ level: 'silent' }), now: () => NOW, analyzer: (inputs) => pool.analyze(inputs),
      });
      expect(await viaPool(AGENCY, [item()])).toEqual({ fresh: 1, alerts: 2 });
      const [a] = stores.articles.recent();
      const direct = analyze({ title: item().title, text: item().text, url: item().url, categories: [] });
      expect({ ...a, id: '', storyId: '' }).toMatchObject({ ...direct });
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('leaves a batch unseen when its deliveries cannot be enqueued, so the next poll retries it', async () => {
    outbox.enqueue = async () => {
      throw new Error('store down');
    };
    expect(await ingest(AGENCY, [item()])).toEqual({ fresh: 0, alerts: 0 });
    expect(await stores.seen.hasAny([`g:${AGENCY.id}:${HASAKAH_ITEM.link}`])).toBe(false);
  });
});

describe('analyzer pool', () => {
  it('returns one analysis per input in order, and an Error for an input analyze rejects', async () => {
    const pool = createAnalyzerPool({ size: 2, chunk: 2 });
    try {
      const inputs = [item(), SAME_EVENT, item({ title: 'مباراة في الرياض', text: 'فاز الهلال على النصر في الرياض.' })].map((i) => ({
        title: i.title,
        text: i.text,
        url: i.url,
        categories: i.categories,
      }));
      const out = await pool.analyze([...inputs, { title: 'x', text: null as unknown as string }]);
      expect(out).toHaveLength(4);
      for (const [k, input] of inputs.entries()) expect(out[k]).toEqual(analyze(input));
      expect(out[3]).toBeInstanceOf(Error);
      expect(await pool.analyze([])).toEqual([]);
    } finally {
      await pool.close();
    }
    await expect(pool.analyze([{ title: 'x', text: 'y' }])).rejects.toThrow(/closed/);
  }, 30_000);

  it('parses feeds on a worker: the same items, and the same named error for a broken feed', async () => {
    const pool = createAnalyzerPool({ size: 1 });
    try {
      // Bodies as fetched: compressed or not; the worker decompresses and decodes them.
      const raw = (body: string, gzip = false) =>
        gzip ? { bytes: gzipSync(body), contentEncoding: 'gzip', maxDecodedBytes: 1 << 20 } : { bytes: Buffer.from(body), maxDecodedBytes: 1 << 20 };
      for (const [i, file] of ['rss2.xml', 'atom.xml', 'rss1.rdf', 'feed.json'].entries()) {
        const body = readFileSync(new URL(`./fixtures/feeds/${file}`, import.meta.url), 'utf8');
        const ctx = { sourceId: 's', baseUrl: 'https://news.example/feed' };
        expect(await pool.parseFeed(raw(body, i % 2 === 0), ctx), file).toEqual(parseFeed(body, ctx));
      }
      const broken = readFileSync(new URL('./fixtures/feeds/broken.xml', import.meta.url), 'utf8');
      const err = await pool.parseFeed(raw(broken), { sourceId: 's', baseUrl: 'https://news.example/' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeedError);
      expect((err as FeedError).code).toBe('bad_xml');
      await expect(pool.parseFeed(raw('<html><body>hello</body></html>'), { sourceId: 's', baseUrl: 'https://x.example/' })).rejects.toMatchObject({ code: 'not_feed' });
      // A gzip bomb stops on the worker with the same named error.
      const bomb = { bytes: gzipSync(Buffer.alloc(20 << 20)), contentEncoding: 'gzip', maxDecodedBytes: 1 << 20 };
      await expect(pool.parseFeed(bomb, { sourceId: 's', baseUrl: 'https://x.example/' })).rejects.toMatchObject({ code: 'too_large' });
    } finally {
      await pool.close();
    }
  }, 30_000);
});

describe('article and seen stores in batches', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const article = (id: string, over: Partial<Article> = {}): Article => ({
    ...analyze({ title: HASAKAH_ITEM.title, text: HASAKAH_ITEM.text }),
    id,
    sourceId: 'agency',
    sourceName: 'وكالة',
    url: `https://agency.example/${id}`,
    title: `خبر ${id}`,
    publishedAt: NOW,
    seenAt: NOW,
    storyId: id,
    ...over,
  });

  it('the in-memory recent list and its index agree through batches, re-saves and evictions', async () => {
    const s = createStores(await createKeyvFactory('memory://'));
    const light = (id: string, v: number): Article => ({ ...article(id), summary: `v${v}` });
    const ever = new Set<string>();
    let seed = 3;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let batch = 0; batch < 60; batch++) {
      const list = Array.from({ length: 1 + rand(60) }, (_, k) => light(`a${rand(1500)}`, batch * 100 + k));
      if (batch === 30) list.push(...Array.from({ length: 1100 }, (_, k) => light(`big${k}`, k))); // a batch over the limit
      for (const a of list) ever.add(a.id);
      await s.articles.saveMany(list);
      const recent = s.articles.recent();
      expect(recent.length).toBeLessThanOrEqual(1000);
      expect(new Set(recent.map((a) => a.id)).size).toBe(recent.length);
      const inRecent = new Map(recent.map((a) => [a.id, a]));
      for (const id of ever) expect(s.articles.cached(id), id).toBe(inRecent.get(id));
      // the newest version of an article saved twice in one batch
      const last = new Map(list.map((a) => [a.id, a]));
      for (const [id, a] of last) if (inRecent.has(id)) expect(inRecent.get(id)).toBe(a);
    }
  });

  for (const backend of ['memory', 'sqlite']) {
    it(`${backend}: saveMany is saving one by one, with one write`, async () => {
      let url = 'memory://';
      if (backend === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'nabaa-ingest-test-'));
        dirs.push(dir);
        url = `sqlite://${join(dir, 'db.sqlite')}`;
      }
      const factory = await createKeyvFactory(url);
      const s = createStores(factory);
      await s.articles.save(article('old'));
      const a1 = article('a1');
      const head = article('old', { alsoIn: [{ sourceName: 'x', url: 'https://x', title: 't' }] });
      await s.articles.saveMany([a1, head, article('a2'), head]);
      // As if saved in turn: the re-saved article moves to the front, each id once.
      expect(s.articles.recent().map((a) => a.id)).toEqual(['old', 'a2', 'a1']);
      expect(s.articles.cached('a1')).toBe(a1);
      expect(s.articles.cached('nope')).toBeUndefined();
      // Read back from the backend (a new store over the same data).
      const again = createStores(factory);
      await again.articles.load();
      expect((await again.articles.get('old'))!.alsoIn).toHaveLength(1);
      expect((await again.articles.get('a2'))!.tokens).toEqual(a1.tokens);
      // A story's first article written again with more reports (its list grows): read back whole.
      const more = { ...head, alsoIn: [...head.alsoIn!, { sourceName: 'y', url: 'https://y', title: 'عنوان "مقتبس"' }] };
      await s.articles.saveMany([more]);
      await s.articles.saveMany([{ ...more, alsoIn: [more.alsoIn[1]!] }]); // not a continuation: written whole
      await s.articles.saveMany([more]);
      const third = createStores(factory);
      await third.articles.load();
      expect(await third.articles.get('old')).toEqual(more);

      // An article analyzed on a worker is stored with the analysis part the worker serialized: read back
      // whole, as one of its story's first articles too.
      const fromWorker: Article = { ...article('w1'), ...fromWire(toWire(analyze({ title: HASAKAH_ITEM.title, text: HASAKAH_ITEM.text }))) };
      const withReports = { ...fromWorker, alsoIn: [{ sourceName: 'z', url: 'https://z', title: 'ز' }] };
      await s.articles.saveMany([fromWorker, { ...withReports, id: 'w2' }]);
      const fourth = createStores(factory);
      expect(await fourth.articles.get('w1')).toEqual(fromWorker);
      expect(await fourth.articles.get('w2')).toEqual({ ...withReports, id: 'w2' });

      await s.seen.add(['g:a:1', 'u:https://x/1']);
      expect(await s.seen.hasAnyEach([['g:a:1'], ['g:b:2', 'u:https://x/1'], ['g:c:3'], []])).toEqual([true, true, false, false]);
      await s.meta.setMany!([{ key: 'story:1', value: [1, 2], ttlMs: 60_000 }, { key: 'story:2', value: [3] }]);
      expect(await s.meta.get('story:1')).toEqual([1, 2]);
      expect(await s.meta.get('story:2')).toEqual([3]);
      await factory.close();
    });
  }
});
