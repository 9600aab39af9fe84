/**
 * `npm run demo`: the whole Nabaa journey offline, for a newcomer without a token.
 * A local Telegram Bot API emulator and a local news feed stand in for Telegram and the web;
 * the real program runs against them in this process on an in-memory store.
 */
import pino from 'pino';
import { startApp } from '../src/app.js';
import { createConfig } from '../src/config.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM, OLD_ITEM, rss } from '../test/fixtures/articles.js';
import { BotApiEmulator, type SentMessage } from '../test/helpers/bot-api-emulator.js';
import { startFeedServer } from '../test/helpers/feed-server.js';

const TOKEN = '123456789:DEMOdemoDEMOdemoDEMOdemoDEMOdemo12';
const USER = 777;

const step = (n: number, text: string) => process.stdout.write(`\n${n}. ${text}\n`);
const show = (m: SentMessage) =>
  process.stdout.write(
    `${m.method === 'sendPhoto' ? `[a chart image, ${m.file?.bytes?.length ?? 0} bytes PNG]\n` : ''}${(m.text ?? m.caption ?? '')
      .replace(/[\u2068\u2069]/g, '')
      .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2 ($1)')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .split('\n')
      .map((l) => `   │ ${l}`)
      .join('\n')}\n`,
  );

async function main() {
  const started = Date.now();
  step(1, 'Starting a local Telegram Bot API emulator and a local Arabic news feed (nothing leaves this machine).');
  const emu = await BotApiEmulator.start({ token: TOKEN });
  let body = rss([{ ...OLD_ITEM, date: new Date(Date.now() - 2 * 86400_000) }], 'أخبار المثال');
  const feeds = await startFeedServer({
    '/feed.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body),
  });
  process.stdout.write(`   Bot API: ${emu.apiRoot}\n   Feed:    ${feeds.url}/feed.xml\n`);

  step(2, 'Starting Nabaa (in-memory store, polling the feed every second).');
  const config = createConfig({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emu.apiRoot,
    STORE_URL: 'memory://',
    FEEDS: `${feeds.url}/feed.xml`,
    POLL_CRON: '* * * * * *',
    ALLOW_PRIVATE_FEEDS: 'true',
    ADMIN_IDS: String(USER),
  });
  const app = await startApp(config, pino({ level: 'silent' }));
  const say = async (text: string, expect: (t: string) => boolean) => {
    process.stdout.write(`   you › ${text}\n`);
    const from = emu.messages(USER).length;
    emu.sendUserMessage(text, { chatId: USER, from: { first_name: 'Demo', language_code: 'ar' } });
    const reply = await emu.waitForMessage((m) => m.chat_id === USER && expect(m.text ?? m.caption ?? ''), { fromIndex: from, timeoutMs: 20_000 });
    process.stdout.write('   nabaa ›\n');
    show(reply);
  };

  try {
    step(3, 'A user says hello and follows a place and a topic.');
    await say('/start', (t) => t.includes('نبأ'));
    await say('/subscribe الحسكة', (t) => t.includes('الحسكة'));
    await say('/subscribe رياضة', (t) => t.includes('رياضة'));

    step(4, 'A news site publishes two new articles; the poller sees them on its next tick.');
    body = rss([{ ...HASAKAH_ITEM, date: new Date() }, { ...FOOTBALL_ITEM, date: new Date() }, { ...OLD_ITEM, date: new Date(Date.now() - 2 * 86400_000) }], 'أخبار المثال');
    for (const item of [HASAKAH_ITEM, FOOTBALL_ITEM]) {
      const alert = await emu.waitForMessage((m) => m.chat_id === USER && (m.text ?? '').includes(item.title), { timeoutMs: 20_000 });
      process.stdout.write(`   alert after ${((alert.at - started) / 1000).toFixed(1)} s of demo time:\n`);
      show(alert);
    }

    step(5, 'The user asks for the latest news about Syria (the Hasakah article is inside Syria).');
    await say('/latest سوريا', (t) => t.includes(HASAKAH_ITEM.title));

    step(6, 'The admin checks the numbers.');
    await say('/stats', (t) => t.length > 0);
    process.stdout.write(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. To run Nabaa for real: put BOT_TOKEN in .env and run npm start.\n`);
  } finally {
    await app.stop();
    await emu.close();
    await feeds.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
