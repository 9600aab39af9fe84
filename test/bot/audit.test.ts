import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot, registerCommands } from '../../src/bot/bot.js';
import type { BotDeps } from '../../src/bot/deps.js';
import { ADMIN_COMMANDS } from '../../src/bot/features/admin.js';
import { AUDIT_PAGE, auditDetails } from '../../src/bot/features/audit.js';
import { createI18n } from '../../src/bot/i18n.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { type AuditLog, createAuditLog } from '../../src/ops/audit.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { emptyState } from '../../src/poller/poller.js';
import { Profiles } from '../../src/profiles.js';
import { type KeyvFactory, createKeyvFactory } from '../../src/store/keyv.js';
import { type Stores, createStores } from '../../src/store/stores.js';
import type { Source } from '../../src/types.js';
import { type RecordedApi, TEST_BOT_INFO, recordApi } from '../helpers/recorded-api.js';
import { message } from '../helpers/updates.js';

const ADMIN = 9001;
const OTHER_ADMIN = 9003;
const USER = 9002;
const NOW = Date.UTC(2026, 10, 29, 8, 5);
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');
const gazetteer = loadGazetteer();

function source(id: string): Source {
  return { id, name: `Source ${id}`, url: `https://${id}.example/feed.xml`, fullText: true, enabled: true, trusted: true, origin: 'builtin' };
}

describe('/audit and the audit log of admin actions', () => {
  let factory: KeyvFactory;
  let stores: Stores;
  let audit: AuditLog;
  let api: RecordedApi;
  let bot: ReturnType<typeof createBot>;
  let clock: number;

  beforeEach(async () => {
    clock = NOW;
    factory = await createKeyvFactory('memory://');
    stores = createStores(factory);
    audit = createAuditLog(stores.meta, () => clock);
    const deps: BotDeps = {
      adminIds: [ADMIN, OTHER_ADMIN],
      defaultLocale: 'en',
      allowPrivateFeeds: false,
      profiles: new Profiles(stores.chats, { locale: 'en', now: () => clock }),
      stores,
      outbox: new Outbox(stores.outbox),
      gazetteer,
      logger: pino({ level: 'silent' }),
      audit,
      now: () => clock,
    };
    bot = createBot(deps, { token: '123456:TEST-audit', botInfo: TEST_BOT_INFO });
    api = recordApi(bot);
  });
  afterEach(async () => {
    await factory.close();
  });

  const send = (text: string, from = ADMIN) => bot.handleUpdate(message(text, { userId: from, languageCode: 'en' }));
  const lastText = () => plain(api.sent().at(-1)?.text);

  it('is an admin command, registered for admins with a description', async () => {
    expect(ADMIN_COMMANDS).toContain('audit');
    const deps = { adminIds: [ADMIN], defaultLocale: 'ar', logger: pino({ level: 'silent' }) } as unknown as BotDeps;
    for (const locale of ['ar', 'en'] as const) {
      const i18n = createI18n(new Profiles(stores.chats, { locale, now: () => clock }), locale);
      api.clear();
      await registerCommands(bot, i18n, { ...deps, defaultLocale: locale });
      const admin = api.callsTo('setMyCommands').find((p) => p.scope?.chat_id === ADMIN);
      const desc = admin.commands.find((c: { command: string }) => c.command === 'audit')?.description;
      expect(desc).toBe(locale === 'ar' ? 'للمشرفين: سجل إجراءات المشرفين' : 'Admin: audit log of admin actions');
    }
  });

  it('records the admin actions done through the bot and shows them newest first with time, admin, action and details', async () => {
    await stores.sources.save({ source: source('alpha'), state: emptyState(NOW) });
    await stores.sources.save({ source: source('beta'), state: emptyState(NOW) });
    await send('/disablefeed alpha');
    clock += 60_000;
    await send('/enablefeed alpha', OTHER_ADMIN);
    clock += 60_000;
    await send('/removefeed beta');
    clock += 60_000;
    await send('/exportfeeds');

    const entries = await audit.recent();
    expect(entries.map((e) => [e.adminId, e.action, e.details.sourceId ?? e.details.count])).toEqual([
      [ADMIN, 'exportfeeds', 1],
      [ADMIN, 'removefeed', 'beta'],
      [OTHER_ADMIN, 'enablefeed', 'alpha'],
      [ADMIN, 'disablefeed', 'alpha'],
    ]);

    await send('/audit');
    const text = lastText();
    expect(text).toContain('<b>Audit log</b> (newest first, UTC) — page 1');
    const lines = text.split('\n').slice(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^2026-11-29 08:08 · <code>9001<\/code> · <b>exportfeeds<\/b> count=1$/);
    expect(lines[1]).toBe('2026-11-29 08:07 · <code>9001</code> · <b>removefeed</b> sourceId=beta, url=https://beta.example/feed.xml');
    expect(lines[2]).toContain('<code>9003</code> · <b>enablefeed</b> sourceId=alpha');
    expect(lines[3]).toContain('2026-11-29 08:05 · <code>9001</code> · <b>disablefeed</b> sourceId=alpha');
  });

  it('pages through older entries 20 at a time', async () => {
    for (let i = 0; i < AUDIT_PAGE + 5; i++) {
      clock += 1000;
      await audit.record(ADMIN, 'pollnow', { count: i });
    }
    await send('/audit');
    let text = lastText();
    expect(text.split('\n').filter((l) => l.includes('pollnow'))).toHaveLength(AUDIT_PAGE);
    expect(text).toContain('count=24');
    expect(text).not.toContain('count=4\n');
    expect(text).toContain('Older entries: /audit 2');
    await send('/audit 2');
    text = lastText();
    expect(text).toContain('page 2');
    expect(text.split('\n').filter((l) => l.includes('pollnow')).map((l) => l.split('count=')[1])).toEqual(['4', '3', '2', '1', '0']);
    expect(text).not.toContain('/audit 3');
    await send('/audit 3');
    expect(lastText()).toBe('No entries on page 3.');
  });

  it('escapes and clips details (a broadcast text may hold anything)', async () => {
    await audit.record(ADMIN, 'broadcast', { broadcastId: 'b1', recipients: 3, text: `<b>Hi</b> & ${'x'.repeat(100)}` });
    await send('/audit');
    const line = lastText().split('\n')[1]!;
    expect(line).toContain('text=&lt;b&gt;Hi&lt;/b&gt; &amp; xxx');
    expect(line).toContain('…');
    expect(line).not.toContain('<b>Hi');
    expect(auditDetails({ a: 'line\nbreak' })).toBe('a=line break');
  });

  it('says when the log is empty, and refuses non-admins', async () => {
    await send('/audit');
    expect(lastText()).toBe('The audit log is empty.');
    await audit.record(ADMIN, 'pollnow', { count: 1 });
    await send('/audit', USER);
    expect(lastText()).not.toContain('pollnow');
    expect(lastText()).not.toContain('Audit log');
  });
});
