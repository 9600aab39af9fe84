/**
 * Feed discovery for `/addfeed <url>`: the URL may be a feed already, or a site's page that announces
 * its feeds with <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">. Candidates are
 * fetched and parsed (with the same bounds and SSRF rule) before one is returned.
 */
import { Parser } from 'htmlparser2';
import { FeedError } from './errors.js';
import { fetchFeed, fetchText, type FetchOptions } from './fetch-feed.js';
import { cleanPlainText } from './html-text.js';
import { parseFeed } from './parse-feed.js';

export interface FeedLink {
  href: string;
  type: string;
  title?: string;
}

const FEED_TYPES = /^application\/(?:rss\+xml|atom\+xml|rdf\+xml|feed\+json|json)$|^text\/xml$|^application\/xml$/i;
const TYPE_RANK: Record<string, number> = {
  'application/rss+xml': 0,
  'application/atom+xml': 1,
  'application/rdf+xml': 2,
  'application/feed+json': 3,
  'application/json': 4,
};
const COMMENTS = /comment|تعليق|تعليقات/i;

/** Common feed paths tried when a page announces none. */
export const COMMON_FEED_PATHS = ['/feed', '/rss', '/rss.xml', '/feed.xml', '/atom.xml'];
/** Max candidates fetched for one discovery. */
const MAX_CANDIDATES = 4;

/** Feed links announced in an HTML page, resolved against <base href> or the page URL, best first. */
export function findFeedLinks(html: string, pageUrl: string): FeedLink[] {
  const raw: { href: string; type: string; title: string }[] = [];
  let baseHref: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'base' && baseHref === undefined && attrs['href']) baseHref = attrs['href'];
        if (name !== 'link' || !attrs['href']) return;
        const rel = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
        const type = (attrs['type'] ?? '').trim().toLowerCase();
        if (rel.includes('alternate') && FEED_TYPES.test(type)) raw.push({ href: attrs['href'], type, title: attrs['title'] ?? '' });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html.slice(0, 1_000_000));
  parser.end();

  let base = pageUrl;
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl).href;
    } catch {
      /* keep the page URL */
    }
  }
  const out: FeedLink[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    let href: string;
    try {
      const u = new URL(r.href.trim(), base);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
      u.hash = '';
      href = u.href;
    } catch {
      continue;
    }
    if (seen.has(href)) continue;
    seen.add(href);
    const title = cleanPlainText(r.title, { singleLine: true });
    out.push({ href, type: r.type, ...(title ? { title } : {}) });
  }
  const rank = (l: FeedLink) => (COMMENTS.test(l.title ?? '') || COMMENTS.test(l.href) ? 10 : 0) + (TYPE_RANK[l.type] ?? 5);
  return out
    .map((l, i) => ({ l, i }))
    .sort((a, b) => rank(a.l) - rank(b.l) || a.i - b.i)
    .map(({ l }) => l);
}

function tryParse(body: string, url: string): { title?: string } | undefined {
  try {
    const feed = parseFeed(body, { sourceId: 'discover', baseUrl: url });
    return feed.title ? { title: feed.title } : {};
  } catch {
    return undefined;
  }
}

/**
 * Find the feed for `url` (a feed or a page). Throws FeedError: the fetch's error for the page itself,
 * or 'not_feed' when the page announces no working feed.
 */
export async function discoverFeed(url: string, opts: FetchOptions): Promise<{ feedUrl: string; title?: string }> {
  const page = await fetchText(url, { ...opts, etag: undefined, lastModified: undefined } as FetchOptions);
  if (page.status !== 'ok') throw new FeedError('not_feed', 'unexpected 304 for discovery');

  const direct = tryParse(page.body, page.url);
  if (direct) return { feedUrl: page.url, ...direct };

  let candidates: FeedLink[] = findFeedLinks(page.body, page.url);
  const announced = candidates.length > 0;
  if (!announced) {
    const origin = new URL(page.url).origin;
    candidates = COMMON_FEED_PATHS.map((p) => ({ href: origin + p, type: '' }));
  }
  let lastError: unknown;
  for (const c of candidates.slice(0, announced ? MAX_CANDIDATES : COMMON_FEED_PATHS.length)) {
    try {
      const res = await fetchFeed(c.href, { ...opts, etag: undefined, lastModified: undefined } as FetchOptions);
      if (res.status !== 'ok') continue;
      const parsed = tryParse(res.body, res.url);
      if (!parsed) continue;
      const title = parsed.title ?? c.title;
      return { feedUrl: res.url, ...(title ? { title } : {}) };
    } catch (e) {
      lastError = e;
      // An SSRF block or a timeout on an announced feed is worth reporting as such.
      if (e instanceof FeedError && e.code === 'blocked_address') throw e;
    }
  }
  throw new FeedError('not_feed', announced ? 'the announced feeds could not be read' : 'no feed found on this page', {
    ...(lastError !== undefined ? { cause: lastError } : {}),
  });
}
