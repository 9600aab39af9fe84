import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '../../src/sources/errors.js';
import { extractArticleText, fetchFullText, needsFullText } from '../../src/sources/full-text.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';

const article = readFileSync(new URL('../fixtures/feeds/article.html', import.meta.url), 'utf8');

describe('extractArticleText', () => {
  it('extracts the article paragraphs without navigation, scripts, sidebars or footer', () => {
    const text = extractArticleText(article, 'https://site.example/lb/elections')!;
    expect(text).toBeDefined();
    const paras = text.split('\n\n');
    expect(paras.some((p) => p.startsWith('شهدت المحافظات اللبنانية يوم الأحد'))).toBe(true);
    expect(paras.some((p) => p.startsWith('وفي الجنوب، جرت عمليات الاقتراع'))).toBe(true);
    expect(text).not.toMatch(/الأكثر قراءة|جميع الحقوق|tracking|document\.write|الرئيسية/);
  });

  it('returns undefined for pages without an article', () => {
    expect(extractArticleText('<html><body><a href="/">الرئيسية</a></body></html>', 'https://x.example/')).toBeUndefined();
    expect(extractArticleText('', 'https://x.example/')).toBeUndefined();
  });
});

describe('needsFullText', () => {
  it('fetches only for teaser items of sources without full text', () => {
    expect(needsFullText({ fullText: false }, { text: 'موجز قصير' })).toBe(true);
    expect(needsFullText({ fullText: true }, { text: 'موجز قصير' })).toBe(false);
    expect(needsFullText({ fullText: false }, { text: 'ن'.repeat(2000) })).toBe(false);
  });
});

describe('fetchFullText', () => {
  let srv: FeedServer;
  beforeAll(async () => {
    srv = await startFeedServer({
      '/article': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: article },
      '/image': { headers: { 'content-type': 'image/jpeg' }, body: Buffer.alloc(100) },
      '/slow': () => {},
    });
  });
  afterAll(() => srv.close());

  it('fetches and extracts', async () => {
    const text = await fetchFullText(`${srv.url}/article`, { trusted: true });
    expect(text).toContain('انتخابات');
  });

  it('undefined for non-HTML', async () => {
    await expect(fetchFullText(`${srv.url}/image`, { trusted: true })).resolves.toBeUndefined();
  });

  it('same bounds and SSRF rule as feeds', async () => {
    const blocked = await fetchFullText(`${srv.url}/article`, { trusted: false }).catch((e: unknown) => e);
    expect((blocked as FeedError).code).toBe('blocked_address');
    const slow = await fetchFullText(`${srv.url}/slow`, { trusted: true, limits: { totalTimeoutMs: 200 } }).catch((e: unknown) => e);
    expect((slow as FeedError).code).toBe('timeout');
  });
});
