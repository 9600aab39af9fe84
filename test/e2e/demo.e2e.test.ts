import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HASAKAH_ITEM } from '../fixtures/articles.js';

describe('npm run demo', () => {
  it('runs the whole journey offline and prints the alerts as received', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain(HASAKAH_ITEM.title);
    expect(out).toContain('وصلك لأنك تتابع: الحسكة');
    expect(out).toMatch(/Done in \d+(\.\d)? s/);
  }, 60_000);
});
