import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import type { BotDeps } from '../../src/bot/deps.js';
import { FEEDS_PAGE_SIZE } from '../../src/bot/features/feeds.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { createAuditLog } from '../../src/ops/audit.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { createPoller, emptyState } from '../../src/poller/poller.js';
import { Profiles } from '../../src/profiles.js';
import { fromOpml, toOpml } from '../../src/sources/opml.js';
import { createKeyvFactory, type KeyvFactory } from '../../src/store/keyv.js';
import { createStores, type SourceRecord, type Stores } from '../../src/store/stores.js';
import type { FeedItem, Source } from '../../src/types.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM, rss } from '../fixtures/articles.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { type RecordedApi, recordApi, TEST_BOT_INFO } from '../helpers/recorded-api.js';
import { callbackQuery, documentMessage, message } from '../helpers/updates.js';

const TOKEN = '123456:TEST-feeds';
const ADMIN = 7001;
const USER = 7002;
const NOW = Date.UTC(2025, 5, 2, 12, 0, 0);
const MIN = 60_000;
/** Message text without Fluent's bidi isolation marks. */
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');
const gazetteer = loadGazetteer();

function source(id: string, extra: Partial<Source> = {}): Source {
  return { id, name: `Source ${id}`, url: `https://${id}.example/feed.xml`, fullText: true, enabled: true, trusted: true, origin: 'builtin', ...extra };
}

interface Harness {
  deps: BotDeps;
  stores: Stores;
  api: RecordedApi;
  bot: ReturnType<typeof createBot>;
  ingested: Array<{ sourceId: string; items: FeedItem[] }>;
}

describe('admin source management (/feeds, disable/enable, poll now, OPML)', () => {
  let factory: KeyvFactory;
  let server: FeedServer;
  let h: Harness;
  let clock: number;

  async function harness(opts: { allowPrivateFeeds?: boolean } = {}): Promise<Harness> {
    const stores = createStores(factory);
    const logger = pino({ level: 'silent' });
    const profiles = new Profiles(stores.chats, { locale: 'en', now: () => clock });
    const ingested: Harness['ingested'] = [];
    const poller = createPoller({
      sources: stores.sources,
      // The poller's own tests use the real ingest; here only what reached it matters.
      ingest: async (src, items) => (ingested.push({ sourceId: src.id, items }), { fresh: items.length, alerts: 0 }),
      logger,
      allowPrivate: true,
      now: () => clock,
    });
    const deps: BotDeps = {
      adminIds: [ADMIN],
      defaultLocale: 'en',
      allowPrivateFeeds: opts.allowPrivateFeeds ?? true,
      profiles,
      stores,
      outbox: new Outbox(stores.outbox),
      gazetteer,
      logger,
      audit: createAuditLog(stores.meta, () => clock),
      poller,
      now: () => clock,
    };
    const bot = createBot(deps, { token: TOKEN, botInfo: TEST_BOT_INFO, apiRoot: server.url });
    const api = recordApi(bot);
    return { deps, stores, api, bot, ingested };
  }

  const send = (text: string, from = ADMIN) => h.bot.handleUpdate(message(text, { userId: from, languageCode: 'en' }));
  const press = (data: string, from = ADMIN) => h.bot.handleUpdate(callbackQuery(data, { userId: from, languageCode: 'en', messageId: 42 }));
  const lastText = () => plain(h.api.sent().at(-1)?.text);
  const lastEdit = () => h.api.edited().at(-1)!;
  const save = (rec: SourceRecord) => h.stores.sources.save(rec);
  const buttons = (markup: any): Array<{ text: string; callback_data: string }> => (markup?.inline_keyboard ?? []).flat();

  beforeEach(async () => {
    clock = NOW;
    factory = await createKeyvFactory('memory://');
    server = await startFeedServer();
    h = await harness();
  });
  afterEach(async () => {
    await server.close();
    await factory.close();
  });

  it('shows sources ten per page with ◀ ▶ buttons and a button per source', async () => {
    for (let i = 0; i < 23; i++) await save({ source: source(`s${String(i).padStart(2, '0')}`), state: emptyState(NOW) });
    await send('/feeds');
    const first = h.api.sent().at(-1)!;
    expect(plain(first.text)).toContain('Sources</b> (23)');
    expect(plain(first.text)).toContain('page 1/3');
    expect(plain(first.text)).toContain('<code>s00</code>');
    expect(plain(first.text)).toContain('<code>s09</code>');
    expect(plain(first.text)).not.toContain('<code>s10</code>');
    const kb = buttons(first.reply_markup);
    expect(kb.filter((b) => b.callback_data.startsWith('fd:s:'))).toHaveLength(FEEDS_PAGE_SIZE);
    expect(kb.find((b) => b.text === '▶')?.callback_data).toBe('fd:p:1');
    expect(kb.find((b) => b.text === '◀')).toBeUndefined();

    await press('fd:p:2');
    const last = lastEdit();
    expect(plain(last.text)).toContain('page 3/3');
    expect(plain(last.text)).toContain('<code>s22</code>');
    expect(plain(last.text)).not.toContain('<code>s19</code>');
    expect(buttons(last.reply_markup).filter((b) => b.callback_data.startsWith('fd:s:'))).toHaveLength(3);
    expect(buttons(last.reply_markup).find((b) => b.text === '◀')?.callback_data).toBe('fd:p:1');
    expect(h.api.callsTo('answerCallbackQuery')).toHaveLength(1);

    // A page number as argument, clamped to the last page.
    await send('/feeds 9');
    expect(lastText()).toContain('page 3/3');
  });

  it('shows each source health: ok, slow, failing, disabled, with last error by name, items today and next check', async () => {
    const day = new Date(NOW).toISOString().slice(0, 10);
    await save({
      source: source('a-ok'),
      state: { ...emptyState(NOW), lastSuccessAt: NOW - 5 * MIN, lastCheckAt: NOW - 5 * MIN, nextCheckAt: NOW + 3 * MIN, itemsToday: 17, itemsDay: day },
    });
    await save({
      source: source('b-slow'),
      state: { ...emptyState(NOW), lastSuccessAt: NOW - MIN, lastCheckAt: NOW - MIN, nextCheckAt: NOW + MIN, lastDurationMs: 9_000 } as SourceRecord['state'],
    });
    await save({
      source: source('c-failing'),
      state: { ...emptyState(NOW), errorCount: 3, lastError: { name: 'timeout', message: 'no response', at: NOW - MIN }, lastSuccessAt: NOW - 3 * 3600_000, nextCheckAt: NOW + 8 * MIN },
    });
    await save({ source: source('d-off', { enabled: false, name: 'Bad <b>&</b> name' }), state: { ...emptyState(NOW), itemsToday: 4, itemsDay: '2025-06-01' } });
    await send('/feeds');
    const text = lastText();
    expect(text).toContain('(4): 1 ok · ');
    expect(text).toContain('1 slow · 1 failing · 1 disabled');
    const line = (id: string) => text.split('\n').findIndex((l) => l.includes(`<code>${id}</code>`));
    const detailOf = (id: string) => text.split('\n')[line(id) + 1]!;
    expect(detailOf('a-ok')).toBe('ok · last success 5m ago · 17 items today · next check in 3m');
    expect(detailOf('b-slow')).toMatch(/^slow · last success 1m ago/);
    expect(detailOf('c-failing')).toBe('failing · last success 3h ago · last error timeout (3 in a row) · 0 items today · next check in 8m');
    expect(detailOf('d-off')).toBe('disabled · not polled yet · 0 items today'); // yesterday's 4 items do not count
    expect(text).toContain('Bad &lt;b&gt;&amp;&lt;/b&gt; name');
    expect(text).not.toContain('<b>&</b>');
  });

  it('opens a source, disables and enables it with buttons, and records both in the audit log', async () => {
    await save({ source: source('one'), state: { ...emptyState(NOW), errorCount: 5, lastError: { name: 'http_5xx', message: 'HTTP 503 <x>', at: NOW } } });
    await press('fd:s:one:0');
    const detail = lastEdit();
    expect(plain(detail.text)).toContain('https://one.example/feed.xml');
    expect(plain(detail.text)).toContain('Last error: http_5xx: HTTP 503 &lt;x&gt; (5 failures in a row)');
    expect(buttons(detail.reply_markup).map((b) => b.callback_data)).toEqual(['fd:d:one:0', 'fd:n:one:0', 'fd:p:0']);

    await press('fd:d:one:0');
    expect((await h.stores.sources.get('one'))!.source.enabled).toBe(false);
    expect(plain(h.api.callsTo('answerCallbackQuery').at(-1).text)).toBe('Disabled one');
    expect(buttons(lastEdit().reply_markup).map((b) => b.callback_data)).toEqual(['fd:e:one:0', 'fd:p:0']);

    clock += MIN;
    await press('fd:e:one:0');
    const rec = (await h.stores.sources.get('one'))!;
    expect(rec.source.enabled).toBe(true);
    expect(rec.state.errorCount).toBe(0); // a fresh start: old failures do not disable it again at once
    expect(rec.state.nextCheckAt).toBe(clock);
    const log = await h.deps.audit.recent();
    expect(log.map((e) => [e.action, e.adminId, e.details.sourceId, e.details.via])).toEqual([
      ['enablefeed', ADMIN, 'one', 'button'],
      ['disablefeed', ADMIN, 'one', 'button'],
    ]);
  });

  it('refuses source buttons and commands to non-admins and changes nothing', async () => {
    await save({ source: source('one'), state: emptyState(NOW) });
    await press('fd:d:one:0', USER);
    expect(h.api.callsTo('answerCallbackQuery').at(-1)).toMatchObject({ show_alert: true });
    expect(plain(h.api.callsTo('answerCallbackQuery').at(-1).text)).toContain('admins');
    await send('/disablefeed one', USER);
    expect(lastText()).toContain('admins');
    expect((await h.stores.sources.get('one'))!.source.enabled).toBe(true);
    expect(await h.deps.audit.recent()).toEqual([]);
  });

  it('/disablefeed and /enablefeed take an id or a URL', async () => {
    await save({ source: source('one'), state: emptyState(NOW) });
    await send('/disablefeed');
    expect(lastText()).toContain('Usage: <code>/disablefeed');
    await send('/disablefeed nope');
    expect(lastText()).toContain('No source with that id');
    await send('/disablefeed one');
    expect(lastText()).toContain('Disabled <code>one</code>');
    expect((await h.stores.sources.get('one'))!.source.enabled).toBe(false);
    await send('/disablefeed one');
    expect(lastText()).toContain('already disabled');
    await send('/enablefeed https://one.example/feed.xml');
    expect(lastText()).toContain('Enabled <code>one</code>');
    expect((await h.stores.sources.get('one'))!.source.enabled).toBe(true);
    expect((await h.deps.audit.recent()).map((e) => `${e.action}:${e.details.via}`)).toEqual(['enablefeed:command', 'disablefeed:command']);
  });

  it('polls one source now from its button, answering at once and then showing the outcome', async () => {
    server.setRoute('/news.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss([HASAKAH_ITEM, FOOTBALL_ITEM]) });
    await save({ source: source('local', { url: `${server.url}/news.xml` }), state: emptyState(NOW) });
    await save({ source: source('other', { url: `${server.url}/other.xml` }), state: emptyState(NOW) });
    await press('fd:n:local:0');
    const methods = h.api.calls.map((c) => c.method);
    expect(methods.indexOf('answerCallbackQuery')).toBeLessThan(methods.indexOf('editMessageText'));
    expect(plain(h.api.callsTo('answerCallbackQuery')[0].text)).toBe('Polling local…');
    expect(plain(lastEdit().text)).toContain('Polled now: ok, 2 new articles.');
    expect(h.ingested.map((i) => i.sourceId)).toEqual(['local']);
    expect(server.hits('/other.xml')).toBe(0);
    const rec = (await h.stores.sources.get('local'))!;
    expect(rec.state.lastSuccessAt).toBe(NOW);
    expect((await h.deps.audit.recent())[0]).toMatchObject({ action: 'pollfeed', details: { sourceId: 'local' } });
  });

  it('/exportfeeds sends an OPML document that reads back to the same sources', async () => {
    await save({ source: source('one', { name: 'الأولى', homepage: 'https://one.example/', region: 'SY' }), state: emptyState(NOW) });
    await save({ source: source('two', { enabled: false }), state: emptyState(NOW) });
    await send('/exportfeeds');
    const doc = h.api.sent().at(-1)!;
    expect(doc.method).toBe('sendDocument');
    expect(doc.document.filename).toBe('nabaa-feeds-2025-06-02.opml');
    expect(plain(doc.caption)).toContain('2 sources as OPML');
    const raw = (await doc.document.toRaw()) as Uint8Array;
    const entries = fromOpml(Buffer.from(raw).toString('utf8'));
    expect(entries.map((e) => [e.id, e.url, e.name])).toEqual([
      ['one', 'https://one.example/feed.xml', 'الأولى'],
      ['two', 'https://two.example/feed.xml', 'Source two'],
    ]);
    expect(entries[0]).toMatchObject({ homepage: 'https://one.example/', region: 'SY' });
    expect((await h.deps.audit.recent())[0]).toMatchObject({ action: 'exportfeeds', adminId: ADMIN, details: { count: 2 } });
  });

  describe('OPML import (an admin sends the file)', () => {
    const servePath = (fileId: string) => `/file/bot${TOKEN}/documents/${fileId}`;

    function opmlWith(urls: Array<{ url: string; name: string }>): string {
      return toOpml(urls.map((u, i) => ({ ...source(`x${i}`), ...u })), { now: new Date(NOW) });
    }

    it('checks each feed, adds the new ones, skips duplicates and reports failures by name', async () => {
      server.setRoute('/a.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss([HASAKAH_ITEM], 'Feed A') });
      server.setRoute('/b.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss([FOOTBALL_ITEM], 'Feed B') });
      server.setRoute('/page.html', { headers: { 'content-type': 'text/html' }, body: '<html><body>not a feed</body></html>' });
      await save({ source: source('existing', { url: `${server.url}/b.xml` }), state: emptyState(NOW) });
      const opml = opmlWith([
        { url: `${server.url}/a.xml`, name: 'مصدر أ' },
        { url: `${server.url}/b.xml`, name: 'dup' },
        { url: `${server.url}/missing.xml`, name: 'gone' },
        { url: `${server.url}/page.html`, name: 'html' },
      ]).replace(/ nabaaId="[^"]*"/g, '');
      server.setRoute(servePath('doc-my.opml'), { headers: { 'content-type': 'text/x-opml' }, body: opml });

      await h.bot.handleUpdate(documentMessage('my.opml', { userId: ADMIN, languageCode: 'en', fileSize: opml.length }));

      expect(h.api.callsTo('getFile')).toEqual([expect.objectContaining({ file_id: 'doc-my.opml' })]);
      const texts = h.api.sent().map((s) => plain(s.text));
      expect(texts[0]).toContain('Checking 4 feeds from my.opml');
      const report = texts.at(-1)!;
      expect(report).toContain('Import done: 1 added, 1 already present, 2 failed.');
      expect(report).toContain(`✗ ${server.url}/missing.xml — http_4xx`);
      expect(report).toMatch(/page\.html — (not_feed|bad_xml)/);
      const all = await h.stores.sources.all();
      const added = all.find((r) => r.source.url === `${server.url}/a.xml`)!;
      expect(added.source).toMatchObject({ name: 'مصدر أ', origin: 'chat', trusted: false, enabled: true, addedBy: ADMIN });
      expect(all).toHaveLength(2);
      expect((await h.deps.audit.recent())[0]).toMatchObject({ action: 'importfeeds', details: { file: 'my.opml', added: 1, skipped: 1, failed: 2 } });
    });

    it('shows progress on a long import by editing its message every tenth of the file (at least 10 feeds)', async () => {
      const urls = Array.from({ length: 25 }, (_, i) => ({ url: `${server.url}/f${i}.xml`, name: `f${i}` }));
      for (const { url } of urls) server.setRoute(new URL(url).pathname, { headers: { 'content-type': 'application/rss+xml' }, body: rss([HASAKAH_ITEM]) });
      const opml = opmlWith(urls).replace(/ nabaaId="[^"]*"/g, '');
      server.setRoute(servePath('doc-big.opml'), { body: opml });
      await h.bot.handleUpdate(documentMessage('big.opml', { userId: ADMIN, languageCode: 'en' }));
      expect(plain(h.api.sent()[0]!.text)).toContain('Checking 25 feeds from big.opml…');
      // The same message, edited at 10 and 20 checked; the report follows as its own message.
      const edits = h.api.callsTo('editMessageText');
      expect(edits.map((e) => plain(e.text))).toEqual([
        expect.stringContaining('Checking 25 feeds from big.opml: 10 checked…'),
        expect.stringContaining('Checking 25 feeds from big.opml: 20 checked…'),
      ]);
      expect(edits[0].message_id).toEqual(expect.any(Number));
      expect(new Set(edits.map((e) => e.message_id)).size).toBe(1);
      expect(lastText()).toContain('Import done: 25 added, 0 already present, 0 failed.');
    });

    it('applies the SSRF rules to imported feeds unless private feeds are allowed', async () => {
      h = await harness({ allowPrivateFeeds: false });
      server.setRoute('/a.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss([HASAKAH_ITEM]) });
      const opml = opmlWith([{ url: `${server.url}/a.xml`, name: 'local' }]);
      server.setRoute(servePath('doc-local.opml'), { body: opml });
      await h.bot.handleUpdate(documentMessage('local.opml', { userId: ADMIN, languageCode: 'en' }));
      expect(lastText()).toContain('0 added, 0 already present, 1 failed');
      expect(lastText()).toContain('blocked_address');
      expect(server.hits('/a.xml')).toBe(0);
      expect(await h.stores.sources.all()).toEqual([]);
    });

    it('says so when the file is not OPML, too large, or empty; ignores files from non-admins', async () => {
      server.setRoute(servePath('doc-notes.xml'), { body: '<notes><note>hi</note></notes>' });
      await h.bot.handleUpdate(documentMessage('notes.xml', { userId: ADMIN, languageCode: 'en' }));
      expect(lastText()).toMatch(/Could not read that file as OPML: (not_feed|bad_xml)/);

      await h.bot.handleUpdate(documentMessage('huge.opml', { userId: ADMIN, languageCode: 'en', fileSize: 5 * 1024 * 1024 }));
      expect(lastText()).toContain('too large');

      server.setRoute(servePath('doc-empty.opml'), { body: toOpml([]) });
      await h.bot.handleUpdate(documentMessage('empty.opml', { userId: ADMIN, languageCode: 'en' }));
      expect(lastText()).toContain('No feeds found');

      const calls = h.api.callsTo('getFile').length;
      server.setRoute(servePath('doc-user.opml'), { body: opmlWith([{ url: 'https://example.com/rss', name: 'x' }]) });
      await h.bot.handleUpdate(documentMessage('user.opml', { userId: USER, languageCode: 'en' }));
      expect(h.api.callsTo('getFile')).toHaveLength(calls);
      expect(await h.stores.sources.all()).toEqual([]);
    });
  });
});
