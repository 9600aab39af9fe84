/** Child processes of the real program (or a test fixture script) for process-level tests. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Everything it printed so far (the last 100 KB or more). */
  output(): string;
  /** Exit code; -1 when killed by a signal. */
  exited: Promise<number | null>;
}

/** `node --import tsx <script>` from the repository root with exactly this environment (plus PATH and HOME). */
export function spawnScript(script: string, env: Record<string, string>, name = script): Proc {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const add = (d: Buffer) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
  return { name, child, output: () => out, exited };
}

/** The real program, as `npm start` runs it. */
export function spawnNabaa(name: string, env: Record<string, string>): Proc {
  return spawnScript('src/main.ts', env, name);
}
