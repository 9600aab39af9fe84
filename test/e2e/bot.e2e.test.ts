import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiEmulator } from '../helpers/bot-api-emulator.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { spawnNabaa } from '../helpers/process.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM, OLD_ITEM, rss } from '../fixtures/articles.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const ALICE = 5001; // follows الحسكة
const BOB = 5002; // follows sports only
const ADMIN = 5003;
/** Message text without Fluent's bidi isolation marks (U+2068, U+2069). */
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');

const startNabaa = (env: Record<string, string>) => spawnNabaa('nabaa', env);

describe('end to end: the real program against a local Bot API emulator and feed server', () => {
  let emu: BotApiEmulator;
  let feeds: FeedServer;
  let dir: string;
  let app: ReturnType<typeof startNabaa>;
  let env: Record<string, string>;
  let feedBody = rss([{ ...OLD_ITEM, date: new Date(Date.now() - 2 * 86400_000) }]);
  let etag = '"v1"';

  beforeAll(async () => {
    emu = await BotApiEmulator.start({ token: TOKEN });
    feeds = await startFeedServer({
      '/feed.xml': (req, res) => {
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(feedBody);
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'nabaa-e2e-'));
    env = {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      STORE_URL: `sqlite://${join(dir, 'nabaa.sqlite')}`,
      FEEDS: `${feeds.url}/feed.xml`,
      POLL_CRON: '*/1 * * * * *',
      ADMIN_IDS: String(ADMIN),
      ALLOW_PRIVATE_FEEDS: 'true',
      LOG_LEVEL: 'warn',
    };
    app = startNabaa(env);
    // grammY calls deleteWebhook right before its first getUpdates.
    await emu.waitForCall('deleteWebhook', () => true, 25_000).catch((e) => {
      throw new Error(`${e}\n--- program output ---\n${app.output()}`);
    });
  });

  afterAll(async () => {
    if (app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    await emu?.close();
    await feeds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes a user to a place, polls, and alerts only that user', async () => {
    const reply = (chat: number, pred: (t: string) => boolean) =>
      emu.waitForMessage((m) => m.chat_id === chat && pred(plain(m.text)), { timeoutMs: 15_000 });

    emu.sendUserMessage('/start', { chatId: ALICE });
    await reply(ALICE, (t) => t.includes('نبأ'));
    emu.sendUserMessage('/subscribe الحسكة', { chatId: ALICE });
    const sub = await reply(ALICE, (t) => t.includes('الحسكة'));
    expect(sub.text).toMatch(/مكان/);
    expect(sub.text).toContain('/unsubscribe');

    emu.sendUserMessage('/subscribe رياضة', { chatId: BOB });
    await reply(BOB, (t) => t.includes('رياضة'));

    // The old item (two days old) is ingested on the first poll but alerts no one.
    const before = feeds.hits('/feed.xml');
    // Publish a new article about Hasakah (and one about football for Bob).
    feedBody = rss([
      { ...HASAKAH_ITEM, date: new Date() },
      { ...OLD_ITEM, date: new Date(Date.now() - 2 * 86400_000) },
    ]);
    etag = '"v2"';
    const alert = await reply(ALICE, (t) => t.includes(HASAKAH_ITEM.title));
    expect(alert.parse_mode).toBe('HTML');
    expect(alert.text).toContain('سوريا › الحسكة');
    expect(alert.text).toContain(HASAKAH_ITEM.link);
    // A FEEDS source is named by its feed's title, not its host.
    expect(plain(alert.text)).toContain('أخبار المثال');
    expect(plain(alert.text)).toMatch(/وصلك لأنك تتابع: الحسكة/);
    expect(feeds.hits('/feed.xml')).toBeGreaterThan(before);

    // Let a few more polls pass (the feed answers 304 now): nothing more arrives, and Bob got nothing.
    const hits = feeds.hits('/feed.xml');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (feeds.hits('/feed.xml') >= hits + 2) resolve(void clearInterval(check));
      }, 50);
    });
    expect(emu.messages(BOB).map((m) => m.text)).toEqual([expect.stringContaining('رياضة')]);
    expect(emu.messages(ALICE).filter((m) => m.text?.includes(HASAKAH_ITEM.title))).toHaveLength(1);
    expect(emu.messages(ALICE).some((m) => m.text?.includes(OLD_ITEM.title))).toBe(false);

    // /latest lists the new article.
    emu.sendUserMessage('/latest الحسكة', { chatId: BOB });
    const latest = await reply(BOB, (t) => t.includes(HASAKAH_ITEM.title));
    expect(latest.text).not.toContain(OLD_ITEM.title);
  });

  it('delivers a new football article to the sports follower, and admin broadcast reaches both', async () => {
    feedBody = rss([{ ...FOOTBALL_ITEM, date: new Date() }, { ...HASAKAH_ITEM, date: new Date() }]);
    etag = '"v3"';
    await emu.waitForMessage((m) => m.chat_id === BOB && (m.text ?? '').includes(FOOTBALL_ITEM.title), { timeoutMs: 15_000 });

    emu.sendUserMessage('/broadcast تنبيه تجريبي للجميع', { chatId: ADMIN });
    const preview = await emu.waitForMessage((m) => m.chat_id === ADMIN && (m.text ?? '').includes('تنبيه تجريبي'));
    expect(preview.text).toMatch(/2/);
    emu.clickButton(preview, (preview.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0]![0]!.callback_data);
    await emu.waitForMessage((m) => m.chat_id === ALICE && (m.text ?? '').includes('تنبيه تجريبي للجميع'), { timeoutMs: 15_000 });
    await emu.waitForMessage((m) => m.chat_id === BOB && (m.text ?? '').includes('تنبيه تجريبي للجميع'), { timeoutMs: 15_000 });

    emu.sendUserMessage('/broadcast لا', { chatId: BOB });
    await emu.waitForMessage((m) => m.chat_id === BOB && plain(m.text).includes('لمشرفي'));
  });

  it('stops cleanly on SIGTERM, and after a restart keeps subscriptions and re-sends nothing', async () => {
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const before = emu.messages().length;
    app = startNabaa(env);
    const hits = feeds.hits('/feed.xml');
    // Force a full fetch of the same items: the seen-set must stop them from alerting again.
    etag = '"v4"';
    emu.sendUserMessage('/list', { chatId: ALICE });
    const list = await emu.waitForMessage((m) => m.chat_id === ALICE && plain(m.text).includes('الحسكة'), { fromIndex: before, timeoutMs: 20_000 });
    expect(plain(list.text)).toContain('سوريا › الحسكة');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (feeds.hits('/feed.xml') >= hits + 2) resolve(void clearInterval(check));
      }, 50);
    });
    // The only message after the restart is the /list reply: a graceful stop leaves no accepted
    // delivery behind in the outbox, and seen items do not alert again.
    expect(emu.messages().slice(before).map((m) => `${m.chat_id} ${plain(m.text).slice(0, 80)}`)).toEqual([`${ALICE} ${plain(list.text).slice(0, 80)}`]);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
