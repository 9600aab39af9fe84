/**
 * Full article text for teaser-only feeds: fetch the page under the same bounds and SSRF rule as feeds,
 * then extract the article with @mozilla/readability over a linkedom document.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { FeedItem, Source } from '../types.js';
import { fetchText, type FetchOptions } from './fetch-feed.js';
import { htmlToText } from './html-text.js';

/** Below this many characters an item's text is treated as a teaser. */
export const TEASER_MAX_CHARS = 600;
/** Extractions shorter than this are treated as failures (nav pages, paywalls, consent walls). */
export const MIN_ARTICLE_CHARS = 200;
/** Pages larger than this are not worth parsing for one article. */
const MAX_HTML_CHARS = 3_000_000;

/** Whether the poller should fetch the page for `item` (per source on/off + a teaser check). */
export function needsFullText(source: Pick<Source, 'fullText'>, item: Pick<FeedItem, 'text'>): boolean {
  return !source.fullText && item.text.length < TEASER_MAX_CHARS;
}

/** Readable article text of an HTML page, paragraphs joined by "\n\n"; undefined when none is found. */
export function extractArticleText(html: string, url: string): string | undefined {
  if (!html || html.length > MAX_HTML_CHARS) return undefined;
  try {
    const { document } = parseHTML(html);
    // Readability resolves links against the document URL; linkedom has none, so add a <base>.
    if (document.head && !document.querySelector('base[href]')) {
      const base = document.createElement('base');
      base.setAttribute('href', url);
      document.head.appendChild(base);
    }
    const reader = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
      charThreshold: MIN_ARTICLE_CHARS,
    });
    const article = reader.parse();
    const text = htmlToText(article?.content ?? '');
    if (text.length >= MIN_ARTICLE_CHARS) return text;
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fetch `url` and extract the article. Fetch failures throw FeedError (like fetchFeed); a page without a
 * readable article gives undefined.
 */
export async function fetchFullText(url: string, opts: FetchOptions): Promise<string | undefined> {
  const { etag: _e, lastModified: _l, ...rest } = opts;
  const res = await fetchText(url, rest);
  if (res.status !== 'ok') return undefined;
  if (res.contentType && !/html|xml|text\/plain/i.test(res.contentType)) return undefined;
  return extractArticleText(res.body, res.url);
}
