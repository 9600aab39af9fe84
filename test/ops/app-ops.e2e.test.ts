import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/ops/chart.js';
import { BotApiEmulator } from '../helpers/bot-api-emulator.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { HASAKAH_ITEM, OLD_ITEM, rss } from '../fixtures/articles.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1';
const ALICE = 6001;
const ADMIN = 6003;
const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');

/** A port free on loopback right now. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function until<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('operations end to end: the real program with METRICS_PORT', () => {
  let emu: BotApiEmulator;
  let feeds: FeedServer;
  let dir: string;
  let child: ChildProcess;
  let out = '';
  let exited: Promise<number | null>;
  let metricsUrl: string;
  let feedBody = rss([{ ...OLD_ITEM, date: new Date(Date.now() - 2 * 86400_000) }]);

  beforeAll(async () => {
    emu = await BotApiEmulator.start({ token: TOKEN });
    feeds = await startFeedServer({
      '/feed.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feedBody),
    });
    dir = mkdtempSync(join(tmpdir(), 'nabaa-ops-'));
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: emu.apiRoot,
        STORE_URL: `sqlite://${join(dir, 'nabaa.sqlite')}`,
        FEEDS: `${feeds.url}/feed.xml`,
        POLL_CRON: '*/1 * * * * *',
        ADMIN_IDS: String(ADMIN),
        ALLOW_PRIVATE_FEEDS: 'true',
        METRICS_PORT: String(port),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    exited = new Promise((r) => child.on('exit', (code) => r(code)));
    await emu.waitForCall('deleteWebhook', () => true, 25_000).catch((e) => {
      throw new Error(`${e}\n--- program output ---\n${out}`);
    });
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await emu?.close();
    await feeds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz and /metrics, answers /stats with a chart and /audit, logs without tokens', async () => {
    // Healthy once the store answers and both loops have run.
    const health = await until(async () => {
      const res = await fetch(`${metricsUrl}/healthz`);
      return res.status === 200 ? ((await res.json()) as { ok: boolean }) : undefined;
    }, '/healthz 200');
    expect(health.ok).toBe(true);

    emu.sendUserMessage('/subscribe الحسكة', { chatId: ALICE });
    await emu.waitForMessage((m) => m.chat_id === ALICE && plain(m.text).includes('الحسكة'), { timeoutMs: 15_000 });
    feedBody = rss([{ ...HASAKAH_ITEM, date: new Date() }, { ...OLD_ITEM, date: new Date(Date.now() - 2 * 86400_000) }]);
    await emu.waitForMessage((m) => m.chat_id === ALICE && (m.text ?? '').includes(HASAKAH_ITEM.title), { timeoutMs: 15_000 });

    // The alert may be sent before the poll that found it reports; wait for both.
    const expected = [
      /nabaa_deliveries_total\{outcome="sent",lane="alert"\} [1-9]/,
      /nabaa_polls_total\{status="ok"\} [1-9]/,
      /nabaa_articles_ingested_total [1-9]/,
      /nabaa_matches_total [1-9]/,
      /nabaa_send_latency_seconds_count\{lane="alert"\} [1-9]/,
      /nabaa_outbox_depth\{lane="alert"\} \d/,
      /^process_resident_memory_bytes \d/m,
    ];
    let last = '';
    await until(async () => {
      last = await (await fetch(`${metricsUrl}/metrics`)).text();
      return expected.every((re) => re.test(last)) ? true : undefined;
    }, 'poll, ingest, match and delivery counts in /metrics').catch((e) => {
      throw new Error(`${e}; missing: ${expected.filter((re) => !re.test(last)).join(' ')}`);
    });

    emu.sendUserMessage('/stats', { chatId: ADMIN });
    const photo = await emu.waitForMessage((m) => m.chat_id === ADMIN && m.method === 'sendPhoto', { timeoutMs: 15_000 });
    const bytes = Buffer.from(photo.file!.bytes!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(plain(photo.caption)).toMatch(/أُرسل في آخر 48 ساعة: [1-9]\d* تنبيه/);
    expect(plain(photo.caption)).toMatch(/زمن التسليم .*: الوسيط [\d.]+ ث/);

    emu.sendUserMessage('/pollnow', { chatId: ADMIN });
    const audit = await until(async () => {
      emu.sendUserMessage('/audit', { chatId: ADMIN });
      const m = await emu.waitForMessage((x) => x.chat_id === ADMIN && plain(x.text).includes('<b>pollnow</b>'), { timeoutMs: 2_000 });
      return m;
    }, '/audit listing pollnow');
    expect(plain(audit.text)).toContain(`<code>${ADMIN}</code>`);

    // Logs: one line per poll with stable keys; the token never appears.
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'polled source' && l.sourceId && l.status && typeof l.ms === 'number')).toBe(true);
    expect(lines.some((l) => l.msg === 'admin action' && l.adminId === ADMIN && l.action === 'pollnow')).toBe(true);
    expect(lines.some((l) => l.msg === 'serving /metrics and /healthz')).toBe(true);
    expect(out).not.toContain(TOKEN.split(':')[1]);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${metricsUrl}/healthz`)).rejects.toThrow();
  });
});
