import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { translator } from '../../src/bot/i18n.js';
import { Outbox, storedDeliveries } from '../../src/delivery/outbox.js';
import { DigestBuffer, digestBuffer, type HeldItem, MAX_CAP } from '../../src/digest/buffer.js';
import { renderDigest } from '../../src/digest/render.js';
import { createDigestScheduler } from '../../src/digest/scheduler.js';
import { createIngest } from '../../src/ingest.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { Profiles } from '../../src/profiles.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores, type Stores } from '../../src/store/stores.js';
import type { ChatSettings, FeedItem, Source } from '../../src/types.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM } from '../fixtures/articles.js';

const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');
const gaz = loadGazetteer();
const HASAKAH = gaz.lookup('الحسكة').find((p) => p.kind === 'governorate')!;
const SOURCE: Source = { id: 'ex', name: 'أخبار المثال', url: 'https://news.example/feed', fullText: true, enabled: true, trusted: true, origin: 'env' };
const utc = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h, m);
const t = translator('ar');

function item(base: { title: string; text: string; link: string }, guid: string, publishedAt = Date.now()): FeedItem {
  return { sourceId: SOURCE.id, guid, url: `${base.link}?${guid}`, title: base.title, text: base.text, publishedAt, categories: [] };
}

describe('digests and quiet hours through ingest, with fake timers across a change of day', () => {
  let stores: Stores;
  let profiles: Profiles;
  let outbox: Outbox;
  const jobs = () => storedDeliveries(stores.outbox);

  async function follower(id: number, settings?: ChatSettings) {
    await profiles.update(id, 'private', (p) => {
      p.places = [HASAKAH.id];
      p.topics = ['sports'];
      if (settings) p.settings = settings;
    });
  }

  beforeEach(async () => {
    vi.useFakeTimers({ now: utc(29, 20, 30), toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    stores = createStores(await createKeyvFactory('memory://'));
    profiles = new Profiles(stores.chats, { locale: 'ar', now: Date.now });
    outbox = new Outbox(stores.outbox);
  });
  afterEach(() => vi.useRealTimers());

  it('holds quiet-hour and digest-mode alerts and sends one digest per chat when due', async () => {
    await follower(501, { tz: 'Asia/Damascus', quiet: { from: 22, to: 7, action: 'digest' } }); // 23:30 local: quiet
    await follower(502, { tz: 'UTC-5', mode: 'daily', digestHour: 8 }); // 15:30 local on the 29th
    await follower(503); // instant
    await follower(504, { tz: 'Asia/Damascus', quiet: { from: 22, to: 7, action: 'silent' }, linkPreview: true, threadId: 9 });
    const ingest = createIngest({ stores, profiles, outbox, gazetteer: gaz, t, logger: pino({ level: 'silent' }), now: Date.now });
    const scheduler = createDigestScheduler({ meta: stores.meta, profiles, outbox, t, logger: pino({ level: 'silent' }), now: Date.now });
    scheduler.start();

    await ingest(SOURCE, [item(HASAKAH_ITEM, 'h1'), item(FOOTBALL_ITEM, 'f1')]);
    const alerts = await jobs();
    expect(alerts.map((d) => d.chatId).sort()).toEqual([503, 503, 504, 504]);
    const quietSilent = alerts.find((d) => d.chatId === 504)!;
    expect(quietSilent).toMatchObject({ lane: 'alert', silent: true, linkPreview: true, threadId: 9 });
    expect(alerts.find((d) => d.chatId === 503)!.silent).toBeUndefined();

    // 06:59 Damascus (03:59 UTC on the 30th): still quiet, nothing more.
    await vi.advanceTimersByTimeAsync(utc(30, 3, 59) - Date.now());
    expect((await jobs()).filter((d) => d.lane === 'digest')).toHaveLength(0);

    // 07:00 Damascus: the quiet-hours digest for 501 only.
    await vi.advanceTimersByTimeAsync(utc(30, 4, 1) - Date.now());
    const first = (await jobs()).filter((d) => d.lane === 'digest');
    expect(first.map((d) => d.chatId)).toEqual([501]);
    const text = plain(first[0]!.text);
    expect(text).toContain('ملخص نبأ: 2');
    expect(text).toContain(HASAKAH_ITEM.title);
    expect(text).toContain(FOOTBALL_ITEM.title);
    expect(first[0]!.text).toContain(`href="${HASAKAH_ITEM.link}?h1"`);

    // 08:00 in UTC-5 is 13:00 UTC on the 30th: 502's daily digest.
    await vi.advanceTimersByTimeAsync(utc(30, 12, 59) - Date.now());
    expect((await jobs()).filter((d) => d.lane === 'digest').map((d) => d.chatId)).toEqual([501]);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect((await jobs()).filter((d) => d.lane === 'digest').map((d) => d.chatId).sort()).toEqual([501, 502]);
    // The buffers are empty now: nothing is sent twice.
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect((await jobs()).filter((d) => d.lane === 'digest')).toHaveLength(2);
    await scheduler.stop();
  });

  it('holds items beyond the hourly cap and sends them in the next hourly digest', async () => {
    await follower(601, { tz: 'Asia/Damascus', hourlyCap: 1 });
    const ingest = createIngest({ stores, profiles, outbox, gazetteer: gaz, t, logger: pino({ level: 'silent' }), now: Date.now });
    const scheduler = createDigestScheduler({ meta: stores.meta, profiles, outbox, t, logger: pino({ level: 'silent' }), now: Date.now });
    scheduler.start();
    await ingest(SOURCE, [item(HASAKAH_ITEM, 'c1'), item(FOOTBALL_ITEM, 'c2')]);
    expect((await jobs()).map((d) => d.lane)).toEqual(['alert']);
    const held = await digestBuffer(stores.meta).peek(601);
    expect(held?.items).toHaveLength(1);
    expect(held?.due).toBe(utc(29, 21)); // the next local hour (00:00 Damascus)
    await vi.advanceTimersByTimeAsync(utc(29, 21, 1) - Date.now());
    const digest = (await jobs()).filter((d) => d.lane === 'digest');
    expect(digest).toHaveLength(1);
    expect(plain(digest[0]!.text)).toContain('ملخص نبأ: 1');
    await scheduler.stop();
  });

  it('skips chats that paused or left before their digest', async () => {
    await follower(701, { mode: 'hourly', tz: 'UTC+0' });
    const ingest = createIngest({ stores, profiles, outbox, gazetteer: gaz, t, logger: pino({ level: 'silent' }), now: Date.now });
    await ingest(SOURCE, [item(HASAKAH_ITEM, 'p1')]);
    await profiles.update(701, 'private', (p) => void (p.active = false));
    const scheduler = createDigestScheduler({ meta: stores.meta, profiles, outbox, t, logger: pino({ level: 'silent' }), now: Date.now });
    await vi.setSystemTime(utc(29, 21, 0));
    expect(await scheduler.tick()).toBe(0);
    expect(await digestBuffer(stores.meta).due(Date.now())).toEqual([]);
  });
});

describe('DigestBuffer send counts (the hourly cap)', () => {
  const HOUR = 3600_000;
  it('counts the sends of the last hour per chat', () => {
    const b = new DigestBuffer({} as never);
    b.recordSent(1, 0);
    b.recordSent(1, 10 * 60_000);
    b.recordSent(2, 20 * 60_000);
    expect(b.sentLastHour(1, 30 * 60_000)).toBe(2);
    expect(b.sentLastHour(1, HOUR)).toBe(1); // the send at 0 is an hour old
    expect(b.sentLastHour(1, HOUR + 10 * 60_000)).toBe(0);
    expect(b.sentLastHour(2, HOUR)).toBe(1);
    b.recordSent(1, 2 * HOUR);
    expect(b.sentLastHour(1, 2 * HOUR)).toBe(1);
  });

  it('keeps at least the largest cap of sends, and never many more', () => {
    const b = new DigestBuffer({} as never);
    for (let i = 0; i < 5 * MAX_CAP; i++) b.recordSent(7, i);
    const n = b.sentLastHour(7, 5 * MAX_CAP);
    expect(n).toBeGreaterThanOrEqual(MAX_CAP);
    expect(n).toBeLessThan(2 * MAX_CAP);
  });
});

describe('renderDigest', () => {
  const base: HeldItem = { articleId: 'a', storyId: 'a', title: 't', summary: 's', url: 'https://x.example/a', sourceName: 'X', at: 1 };
  const topicName = (id: string) => ({ politics: 'سياسة', sports: 'رياضة' })[id] ?? id;

  it('groups by topic or place, newest first, escaped, with links', () => {
    const items: HeldItem[] = [
      { ...base, articleId: '1', title: 'أ <b>', topic: 'politics', place: 'سوريا › الحسكة', at: 1 },
      { ...base, articleId: '2', title: 'ب', topic: 'sports', place: 'مصر', at: 3 },
      { ...base, articleId: '3', title: 'ج', topic: 'politics', place: 'سوريا › الحسكة', at: 2, url: 'https://x.example/?a=1&b="2"' },
    ];
    const byTopic = renderDigest({ items, locale: 'ar', groupBy: 'topic', topicName }, t);
    expect(byTopic).toContain('أ &lt;b&gt;');
    expect(byTopic).toContain('href="https://x.example/?a=1&amp;b=%222%22"');
    const order = ['رياضة', 'سياسة'].map((g) => byTopic.indexOf(g));
    expect(order[0]).toBeLessThan(order[1]!);
    expect(byTopic.indexOf('>ج<')).toBeLessThan(byTopic.indexOf('أ &lt;b&gt;'));
    const byPlace = plain(renderDigest({ items, locale: 'en', groupBy: 'place', topicName }, t));
    expect(byPlace).toContain('📍 <b>سوريا › الحسكة</b>');
    expect(byPlace).toContain('Nabaa digest: 3 stories');
  });

  it("stays within Telegram's limit and counts what did not fit", () => {
    const long = 'كلمة '.repeat(100);
    const items = Array.from({ length: 50 }, (_, i) => ({ ...base, articleId: `${i}`, title: `${i} ${long}`, summary: long, at: i }));
    const text = plain(renderDigest({ items, locale: 'ar', groupBy: 'topic', topicName }, t));
    expect(text.replace(/<[^>]+>/g, '').length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/…و\d+ أخبار أخرى/);
  });
});
