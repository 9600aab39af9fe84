/**
 * The Bot API emulator in a child process, for benchmarks: the process being measured (outbox +
 * sender) then neither serves HTTP nor pays for the emulator's memory, as with the real Telegram.
 *
 * Parent side: `const emu = await EmulatorProcess.start(opts)`; `emu.apiRoot`, `await emu.stats()`,
 * `await emu.chatSummary(from, to, extra)`, `await emu.acceptedTimes()`, `await emu.close()`.
 * Child side: this file run with an IPC channel (fork) answers those calls from a BotApiEmulator.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChatCountSummary, EmulatorOptions, EmulatorStats } from '../test/helpers/bot-api-emulator.js';

type Call = { id: number; cmd: 'stats' | 'summary' | 'times' | 'close'; args?: unknown[] };
type Answer = { id: number; ok: boolean; value?: unknown; error?: string };
/** Options that cross the process boundary (no Maps or functions). */
export type ChildEmulatorOptions = Omit<EmulatorOptions, 'failChats' | 'clock'>;

const SELF = fileURLToPath(import.meta.url);

export class EmulatorProcess {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly apiRoot: string,
  ) {
    child.on('message', (m: Answer) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error));
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`emulator process exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(opts: ChildEmulatorOptions): Promise<EmulatorProcess> {
    const child = fork(SELF, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, NABAA_EMULATOR_CHILD: JSON.stringify(opts) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const apiRoot = await new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { apiRoot: string }).apiRoot));
      child.once('exit', (code) => reject(new Error(`emulator process exited (${code})`)));
    });
    return new EmulatorProcess(child, apiRoot);
  }

  private call<T>(cmd: Call['cmd'], ...args: unknown[]): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, args } satisfies Call);
    });
  }

  stats(): Promise<EmulatorStats> {
    return this.call('stats');
  }

  /** Accepted sends per chat over chats from..to (and `extra` ids counted separately). */
  chatSummary(from: number, to: number, extra: number[] = []): Promise<ChatCountSummary> {
    return this.call('summary', from, to, extra);
  }

  /** Accept times (ms) of every recorded message (needs keepMessages). */
  acceptedTimes(): Promise<number[]> {
    return this.call('times');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.call('close').catch(() => undefined);
    await exited;
  }
}

// ------------------------------------------------------------------ child
if (process.env.NABAA_EMULATOR_CHILD && process.send) {
  const { BotApiEmulator } = await import('../test/helpers/bot-api-emulator.js');
  const emu = await BotApiEmulator.start(JSON.parse(process.env.NABAA_EMULATOR_CHILD) as EmulatorOptions);
  process.on('message', (m: Call) => {
    const answer = (value: unknown) => process.send!({ id: m.id, ok: true, value } satisfies Answer);
    try {
      if (m.cmd === 'stats') return answer(emu.stats());
      if (m.cmd === 'summary') {
        const [from, to, extra] = m.args as [number, number, number[]];
        return answer(emu.chatCountSummary(from, to, extra));
      }
      if (m.cmd === 'times') return answer(emu.messages().map((x) => x.at));
      if (m.cmd === 'close') {
        void emu.close().then(() => {
          answer(true);
          process.disconnect();
          process.exit(0);
        });
      }
    } catch (err) {
      process.send!({ id: m.id, ok: false, error: String(err) } satisfies Answer);
    }
  });
  // The parent died: do not linger.
  process.on('disconnect', () => process.exit(0));
  process.send({ apiRoot: emu.apiRoot });
}
