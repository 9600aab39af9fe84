import { writeFileSync } from 'node:fs';
import pino from 'pino';
import { InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import type { BotDeps } from '../../src/bot/deps.js';
import { CAPTION_LIMIT } from '../../src/bot/features/stats.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { createAuditLog } from '../../src/ops/audit.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/ops/chart.js';
import { freshKey, sentKey } from '../../src/ops/stats-data.js';
import { type TimeSeries, createTimeSeries } from '../../src/ops/timeseries.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { emptyState } from '../../src/poller/poller.js';
import { Profiles } from '../../src/profiles.js';
import { type KeyvFactory, createKeyvFactory } from '../../src/store/keyv.js';
import { type Stores, createStores } from '../../src/store/stores.js';
import type { Source } from '../../src/types.js';
import { type RecordedApi, TEST_BOT_INFO, recordApi } from '../helpers/recorded-api.js';
import { message } from '../helpers/updates.js';

const ADMIN = 8001;
const USER = 8002;
const NOW = Date.UTC(2026, 10, 29, 8, 30);
const HOUR = 3600_000;
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');
const gazetteer = loadGazetteer();
const DAMASCUS = gazetteer.lookup('دمشق')[0]!;
const HASAKAH = gazetteer.lookup('الحسكة')[0]!;

function source(id: string, name: string): Source {
  return { id, name, url: `https://${id}.example/feed.xml`, fullText: true, enabled: true, trusted: true, origin: 'builtin' };
}

/** The bytes of the photo a sendPhoto call carried. */
function photoBytes(payload: any): Buffer {
  expect(payload.photo).toBeInstanceOf(InputFile);
  return Buffer.from((payload.photo as any).fileData as Uint8Array);
}

describe('/stats', () => {
  let factory: KeyvFactory;
  let stores: Stores;
  let timeseries: TimeSeries;
  let api: RecordedApi;
  let bot: ReturnType<typeof createBot>;
  let clock: number;

  async function setup(opts: { withTimeseries?: boolean; locale?: 'ar' | 'en' } = {}) {
    const logger = pino({ level: 'silent' });
    const profiles = new Profiles(stores.chats, { locale: opts.locale ?? 'ar', now: () => clock });
    await profiles.update(101, 'private', (p) => ((p.topics = ['politics', 'sports']), (p.places = [DAMASCUS.id])));
    await profiles.update(102, 'private', (p) => ((p.topics = ['politics']), (p.places = [DAMASCUS.id, HASAKAH.id])));
    await profiles.update(-100103, 'supergroup', (p) => void (p.topics = ['economy']));
    const deps: BotDeps = {
      adminIds: [ADMIN],
      defaultLocale: opts.locale ?? 'ar',
      allowPrivateFeeds: false,
      profiles,
      stores,
      outbox: new Outbox(stores.outbox),
      gazetteer,
      logger,
      audit: createAuditLog(stores.meta, () => clock),
      now: () => clock,
      ...(opts.withTimeseries === false ? {} : { timeseries }),
    };
    bot = createBot(deps, { token: '123456:TEST-stats', botInfo: TEST_BOT_INFO });
    api = recordApi(bot);
  }

  beforeEach(async () => {
    clock = NOW;
    factory = await createKeyvFactory('memory://');
    stores = createStores(factory);
    await stores.sources.save({ source: source('jazeera', 'الجزيرة'), state: emptyState(NOW) });
    await stores.sources.save({ source: source('bbc', 'BBC Arabic'), state: { ...emptyState(NOW), errorCount: 2, lastError: { name: 'timeout', message: 'x', at: NOW } } });
    // Fixed history: two hours ago, one hour ago (flushed to the store), and this hour (still in memory).
    let tsClock = NOW - 2 * HOUR;
    timeseries = createTimeSeries({ meta: stores.meta, now: () => tsClock });
    timeseries.count(sentKey('alert'), 40);
    timeseries.count(freshKey('jazeera'), 12);
    for (const ms of [1000, 2000, 3000, 4000]) timeseries.sample(ms);
    tsClock = NOW - HOUR;
    timeseries.count(sentKey('alert'), 60);
    timeseries.count(sentKey('broadcast'), 3);
    timeseries.count(freshKey('bbc'), 5);
    for (const ms of [5000, 6000, 7000, 8000, 9000, 30_000]) timeseries.sample(ms);
    await timeseries.flush();
    tsClock = NOW;
    timeseries.count(sentKey('digest'), 2);
    timeseries.count(freshKey('jazeera'), 1);
    timeseries.count(freshKey('gone-source'), 4); // removed since: shown by id
  });
  afterEach(async () => {
    await factory.close();
  });

  it('answers an admin with a PNG chart and the same numbers as a caption for screen readers', async () => {
    await setup();
    await bot.handleUpdate(message('/stats', { userId: ADMIN, languageCode: 'ar' }));
    const photos = api.callsTo('sendPhoto');
    expect(photos).toHaveLength(1);
    expect(api.callsTo('sendMessage')).toHaveLength(0);
    const png = photoBytes(photos[0]);
    if (process.env.NABAA_STATS_PNG) writeFileSync(process.env.NABAA_STATS_PNG, png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(png.length).toBeGreaterThan(30_000);
    expect((photos[0].photo as InputFile).filename).toBe('nabaa-stats.png');

    const caption = plain(photos[0].caption);
    expect(photos[0].parse_mode).toBe('HTML');
    expect(caption.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(caption).toContain('<b>الإحصاءات</b>');
    expect(caption).toContain('أُرسل في آخر 48 ساعة: 100 تنبيهاً، 2 ملخصاً، 3 رسالة بث');
    expect(caption).toContain('أخبار جديدة في 48 ساعة: 22؛ أكثرها من الجزيرة 13، BBC Arabic 5، gone-source 4');
    // Weighted over both hours: p50 of {1..4 s, 5..9 s, 30 s} is 5 s; p95 is 30 s.
    expect(caption).toContain('الوسيط 5 ث، p95 30 ث');
    expect(caption).toContain('المتابعون لكل موضوع: سياسة 2، اقتصاد 1، رياضة 1');
    expect(caption).toContain(`أكثر الأماكن متابعة: ${DAMASCUS.name} 2، ${HASAKAH.name} 1`);
    expect(caption).toContain('المتعثرة: bbc (timeout)');
  });

  it('speaks English to an English admin', async () => {
    await setup({ locale: 'en' });
    await bot.handleUpdate(message('/stats', { userId: ADMIN, languageCode: 'en' }));
    const caption = plain(api.callsTo('sendPhoto')[0].caption);
    expect(caption).toContain('Sent in the last 48 h: 100 alerts, 2 digests, 3 broadcast messages');
    expect(caption).toContain('p50 5 s, p95 30 s');
    expect(caption).toContain('Followers per topic: Politics 2, Economy 1, Sports 1');
  });

  it('sends the numbers as a message after the photo when they do not fit in a caption', async () => {
    await setup();
    for (let i = 0; i < 40; i++) {
      await stores.sources.save({
        source: source(`failing-source-with-a-long-id-${i}`, `S${i}`),
        state: { ...emptyState(NOW), errorCount: 1, lastError: { name: 'http-503', message: 'x', at: NOW } },
      });
    }
    await bot.handleUpdate(message('/stats', { userId: ADMIN, languageCode: 'ar' }));
    const [photo] = api.callsTo('sendPhoto');
    expect(plain(photo.caption)).toBe('إحصاءات نبأ في آخر 48 ساعة. الأرقام نصاً في الرسالة التالية.');
    const [text] = api.callsTo('sendMessage');
    expect(plain(text.text)).toContain('failing-source-with-a-long-id-39 (http-503)');
    expect(api.calls.findIndex((c) => c.method === 'sendPhoto')).toBeLessThan(api.calls.findIndex((c) => c.method === 'sendMessage'));
  });

  it('falls back to text when there are no hourly stats, and refuses non-admins', async () => {
    await setup({ withTimeseries: false });
    await bot.handleUpdate(message('/stats', { userId: ADMIN, languageCode: 'ar' }));
    expect(api.callsTo('sendPhoto')).toHaveLength(0);
    expect(plain(api.callsTo('sendMessage')[0].text)).toContain('<b>الإحصاءات</b>');
    api.clear();
    await bot.handleUpdate(message('/stats', { userId: USER, languageCode: 'ar' }));
    expect(api.callsTo('sendPhoto')).toHaveLength(0);
    expect(plain(api.callsTo('sendMessage')[0].text)).not.toContain('الإحصاءات</b>');
  });
});
