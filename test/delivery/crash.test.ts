import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BotApiEmulator } from '../helpers/bot-api-emulator.js';
import { spawnScript } from '../helpers/process.js';

const TOKEN = '777:CRASH-token';
const CHATS = 3000;
const ADMIN = 9_999_999;
/** Sender concurrency (64) + the outbox's cap on unflushed deletes (2 × 500): the most one crash may repeat. */
const DUPLICATE_BOUND_PER_CRASH = 64 + 2 * 500;

const startWorker = (env: Record<string, string>) => spawnScript('test/delivery/fixtures/broadcast-worker.ts', env, 'worker');

async function until(pred: () => boolean, timeoutMs: number, what: string, output: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- worker output ---\n${output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('crash safety: a real process killed with SIGKILL mid-broadcast', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabaa-crash-'));
  let emu: BotApiEmulator | undefined;
  let worker: ReturnType<typeof startWorker> | undefined;
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and repeats at most what was in flight or not yet flushed', async () => {
    // A little latency keeps many requests in flight at the moment of the kill.
    emu = await BotApiEmulator.start({ token: TOKEN, keepMessages: false, validate: false, latencyMs: 3 });
    const env = {
      STORE_FILE: join(dir, 'crash.sqlite'),
      API_ROOT: emu.apiRoot,
      TOKEN,
      CHATS: String(CHATS),
      GLOBAL_RATE: '600',
      ADMIN_CHAT: String(ADMIN),
    };
    const received = () => [...emu!.countByChat()].filter(([c]) => c !== ADMIN).reduce((a, [, n]) => a + n, 0);

    // Run 1: killed early, while the audience may still be expanding into the outbox.
    worker = startWorker(env);
    await until(() => received() >= 300, 30_000, '300 messages', worker.output);
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe(-1); // killed by a signal
    const afterFirst = received();

    // Run 2: resumes, killed again in the middle of sending.
    worker = startWorker(env);
    await until(() => received() >= afterFirst + 1000, 30_000, '1000 more messages', worker.output);
    worker.child.kill('SIGKILL');
    await worker.exited;

    // Run 3: resumes and finishes; the admin gets the final report.
    worker = startWorker(env);
    await until(() => (emu!.countByChat().get(ADMIN) ?? 0) >= 1, 60_000, 'the final report', worker.output);
    expect(worker.output()).toMatch(/"resumed":1/);

    const counts = emu.countByChat();
    const missing = Array.from({ length: CHATS }, (_, i) => i + 1).filter((c) => !counts.get(c));
    const duplicates = [...counts].filter(([c]) => c !== ADMIN).reduce((a, [, n]) => a + (n - 1), 0);
    // Reported in the test output: the measured duplicate count of two crashes.
    console.info(`crash test: ${CHATS} chats, 2 SIGKILLs, ${duplicates} duplicates (bound ${2 * DUPLICATE_BOUND_PER_CRASH})`);
    expect(missing).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(2 * DUPLICATE_BOUND_PER_CRASH);
    // The final report counts every chat as sent (counters are rebuilt from the outbox after a crash).
    expect(emu.stats().accepted).toBe(received() + (counts.get(ADMIN) ?? 0));
    worker.child.kill('SIGKILL');
    await worker.exited;
  }, 120_000);
});
