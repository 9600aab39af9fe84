import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFeed, findFeedLinks } from '../../src/sources/discover.js';
import { FeedError } from '../../src/sources/errors.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

describe('findFeedLinks', () => {
  it('finds rss/atom links, resolves against <base>, ranks comment feeds last', () => {
    const links = findFeedLinks(fixture('homepage.html'), 'https://site.example/ar/index.html');
    expect(links.map((l) => l.href)).toEqual([
      'https://site.example/ar/rss/latest.xml',
      'https://site.example/atom.xml',
      'https://site.example/ar/comments/feed',
    ]);
    expect(links[0]!.title).toBe('موقع الأخبار - آخر الأخبار');
  });

  it('resolves relative hrefs against the page URL without <base>, accepts feed+json, ignores others', () => {
    const html = `<html><head>
      <link rel="alternate" type="application/feed+json" href="feed.json">
      <link rel="alternate" hreflang="en" href="/en/">
      <link rel="stylesheet" type="text/css" href="/x.css">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <LINK REL="Alternate" TYPE="application/atom+xml" HREF="../atom">
    </head></html>`;
    expect(findFeedLinks(html, 'https://n.example/section/page').map((l) => l.href)).toEqual([
      'https://n.example/atom',
      'https://n.example/section/feed.json',
    ]);
  });
});

describe('discoverFeed', () => {
  let srv: FeedServer;
  beforeAll(async () => {
    srv = await startFeedServer({
      '/feed.xml': { headers: { 'content-type': 'application/rss+xml' }, body: fixture('rss2.xml') },
      '/site/': {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<!doctype html><html><head><title>x</title>
          <link rel="alternate" type="application/rss+xml" title="تعليقات" href="comments.xml">
          <link rel="alternate" type="application/rss+xml" title="broken" href="/nope.xml">
          <link rel="alternate" type="application/atom+xml" title="الأخبار" href="../atom.xml"></head><body></body></html>`,
      },
      '/atom.xml': { headers: { 'content-type': 'application/atom+xml' }, body: fixture('atom.xml') },
      '/plain/': { headers: { 'content-type': 'text/html' }, body: '<html><head><title>لا شيء</title></head></html>' },
    });
  });
  afterAll(() => srv.close());

  const opts = { trusted: false, allowPrivate: true } as const;

  it('returns a feed URL as is', async () => {
    await expect(discoverFeed(`${srv.url}/feed.xml`, opts)).resolves.toEqual({
      feedUrl: `${srv.url}/feed.xml`,
      title: 'أخبار الشرق & الغرب',
    });
  });

  it('discovers the announced feed from a homepage, skipping broken candidates', async () => {
    await expect(discoverFeed(`${srv.url}/site/`, opts)).resolves.toEqual({
      feedUrl: `${srv.url}/atom.xml`,
      title: 'نشرة الأخبار المغاربية',
    });
  });

  it('falls back to common paths, then not_feed', async () => {
    srv.setRoute('/rss.xml', { body: fixture('rss1.rdf') });
    await expect(discoverFeed(`${srv.url}/plain/`, opts)).resolves.toMatchObject({ feedUrl: `${srv.url}/rss.xml` });
    const other = await startFeedServer({ '/': { headers: { 'content-type': 'text/html' }, body: '<html></html>' } });
    try {
      const err = await discoverFeed(`${other.url}/`, opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeedError);
      expect((err as FeedError).code).toBe('not_feed');
    } finally {
      await other.close();
    }
  });

  it('applies the SSRF rule to untrusted URLs', async () => {
    const err = await discoverFeed(`${srv.url}/site/`, { trusted: false }).catch((e: unknown) => e);
    expect((err as FeedError).code).toBe('blocked_address');
  });
});
