import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = process.cwd();
const tsx = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

/** Runs `npm start`'s entry with exactly the given environment, in an empty folder (no .env). */
function start(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', tsx, join(repo, 'src/main.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'nabaa-start-')),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('npm start without a usable token', () => {
  it('exits 1 with one paragraph on getting a token from @BotFather', () => {
    const r = start({});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BOT_TOKEN is not set/);
    expect(r.out).toMatch(/@BotFather/);
  });

  it('a malformed token: exit 1, and the token is not echoed', () => {
    const r = start({ BOT_TOKEN: 'not-a-token-secret-value' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/malformed/);
    expect(r.out).not.toContain('not-a-token-secret-value');
  });

  it('other invalid settings are named', () => {
    const r = start({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0', POLL_CRON: 'often' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/POLL_CRON/);
  });
});
