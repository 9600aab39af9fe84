/**
 * The command line, as tests outside the repo use it (issue 2's outside contract): `nabaa analyze --jsonl`
 * reads {"title","text","url"} lines and writes {"summary","topics","places"} lines, a bad line gives
 * {"error"} and the rest go on; `preview` prints a feed's alerts; `eval` says what a corpus folder lacks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeJsonl, preview, runCli } from '../src/cli.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM, rss } from './fixtures/articles.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nabaa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function sink(): { write(s: string): boolean; text: () => string } {
  let buf = '';
  return { write: (s: string) => ((buf += s), true), text: () => buf };
}

async function analyzeLines(lines: string[]): Promise<Array<Record<string, unknown>>> {
  const out = sink();
  await analyzeJsonl(Readable.from([lines.join('\n')]), out);
  return out
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('nabaa analyze --jsonl', () => {
  it('writes one {summary, topics, places} line per article, places with their path from the country down', async () => {
    const [hasakah, football] = await analyzeLines([
      JSON.stringify({ title: HASAKAH_ITEM.title, text: HASAKAH_ITEM.text, url: HASAKAH_ITEM.link }),
      JSON.stringify({ title: FOOTBALL_ITEM.title, text: FOOTBALL_ITEM.text }),
    ]);
    expect(Object.keys(hasakah!).sort()).toEqual(['places', 'summary', 'topics']);
    expect(hasakah!.summary).toMatch(/^قال مصدر أمني في الحسكة إن سيارة مفخخة انفجرت/);
    expect(hasakah!.topics).toContain('security');
    // "مدينة الحسكة": the city, under its governorate (the same name is shown once).
    expect(hasakah!.places).toContainEqual({ id: expect.any(String), name: 'الحسكة', kind: 'city', path: ['سوريا', 'الحسكة'] });
    expect((football!.topics as string[])[0]).toBe('sports');
    // Places named in the text (مصر); «المنتخب المغربي» names Morocco by its adjective, which reaches
    // Morocco's followers but is not a place mention.
    expect((football!.places as Array<{ name: string }>).map((p) => p.name)).toEqual(['مصر']);
  });

  it('answers a bad line with {"error"} naming the line, skips blank lines and goes on', async () => {
    const out = await analyzeLines(['{not json', '', '   ', JSON.stringify({ title: 5, text: HASAKAH_ITEM.text }), '[]']);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ error: expect.stringMatching(/^line 1: /) });
    // A title that is not a string is read as none: the text alone is analyzed.
    expect(out[1]!.summary).toMatch(/الحسكة/);
    // Valid JSON without the fields: an empty analysis, not a crash.
    expect(out[2]).toEqual({ summary: '', topics: [], places: [] });
  });

  it('works as a command: stdin to stdout, exit code 0', () => {
    const input = `${JSON.stringify({ title: HASAKAH_ITEM.title, text: HASAKAH_ITEM.text })}\n`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'analyze', '--jsonl'], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).places.map((p: { path: string[] }) => p.path)).toContainEqual(['سوريا', 'الحسكة']);
  });
});

describe('nabaa usage errors', () => {
  function stderr(): () => string {
    let buf = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((buf += String(s)), true));
    return () => buf;
  }

  it('analyze without --jsonl, preview without a target, an unknown command: exit 2 with what to type', async () => {
    const err = stderr();
    expect(await runCli(['analyze'])).toBe(2);
    expect(await runCli(['preview'])).toBe(2);
    expect(await runCli(['frobnicate'])).toBe(2);
    expect(err()).toContain('nabaa analyze --jsonl < articles.jsonl');
    expect(err()).toContain('preview needs a feed URL or file');
    expect(err()).toContain('unknown command: frobnicate');
  });

  it('eval names the corpus files a folder lacks instead of failing on the first read', async () => {
    const err = stderr();
    expect(await runCli(['eval', join(dir, 'nowhere')])).toBe(2);
    expect(err()).toMatch(/has no ner\/anercorp-test\.txt, ner\/newsfane-gold\.txt, easc\/easc\.jsonl/);
  });
});

describe('nabaa preview', () => {
  it('prints the Arabic alert of every item of a feed file, or JSON lines with --json', async () => {
    const file = join(dir, 'feed.xml');
    writeFileSync(file, rss([{ ...HASAKAH_ITEM, date: new Date(Date.UTC(2026, 10, 29)) }, { ...FOOTBALL_ITEM, date: new Date(Date.UTC(2026, 10, 29)) }], 'أخبار المثال'));
    const html = sink();
    await preview(file, false, html);
    expect(html.text()).toContain('<a href="https://news.example/syria/hasakah-blast">');
    expect(html.text()).toContain('أخبار المثال');
    expect(html.text()).toMatch(/2 items\n$/);
    const json = sink();
    await preview(file, true, json);
    const items = json.text().trim().split('\n').map((l) => JSON.parse(l));
    expect(items.map((i) => i.url)).toEqual([HASAKAH_ITEM.link, FOOTBALL_ITEM.link]);
    expect(items[1].topics[0]).toBe('sports');
  });
});
