import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { createI18n, translator } from '../src/bot/i18n.js';
import { Outbox } from '../src/delivery/outbox.js';
import { createIngest, type Ingest } from '../src/ingest.js';
import { loadGazetteer } from '../src/pipeline/gazetteer.js';
import { Profiles } from '../src/profiles.js';
import { createKeyvFactory } from '../src/store/keyv.js';
import { createStores, type Stores } from '../src/store/stores.js';
import type { Delivery, FeedItem, Source } from '../src/types.js';
import { HASAKAH_ITEM } from './fixtures/articles.js';

const NOW = Date.UTC(2026, 10, 29, 9, 0);
const source = (id: string, name: string): Source => ({ id, name, url: `https://${id}.example/rss`, fullText: true, enabled: true, trusted: true, origin: 'env' });
const AGENCY = source('agency', 'وكالة المثال');
const DAILY = source('daily', 'صحيفة المثال');

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
    ingest = createIngest({ stores, profiles, outbox, gazetteer, t: translator(createI18n(profiles, 'ar')), logger: pino({ level: 'silent' }), now: () => NOW });
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

  it('does not alert old news, nor the backlog of a first poll', async () => {
    const r1 = await ingest(AGENCY, [item({ publishedAt: NOW - 2 * 86400_000 })]);
    expect(r1).toEqual({ fresh: 1, alerts: 0 });
    const r2 = await ingest(DAILY, [SAME_EVENT].map((i) => ({ ...i, publishedAt: NOW - 2 * 3600_000 })), { firstPoll: true });
    expect(r2.alerts).toBe(0);
    expect(enqueued).toEqual([]);
    expect(stores.articles.recent()).toHaveLength(2); // still listed in /latest
  });

  it('leaves a batch unseen when its deliveries cannot be enqueued, so the next poll retries it', async () => {
    outbox.enqueue = async () => {
      throw new Error('store down');
    };
    expect(await ingest(AGENCY, [item()])).toEqual({ fresh: 0, alerts: 0 });
    expect(await stores.seen.hasAny([`g:${AGENCY.id}:${HASAKAH_ITEM.link}`])).toBe(false);
  });
});
