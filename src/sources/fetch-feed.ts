/** Fetch a feed or an HTML page under the same bounds; see http.ts for the mechanics. */
import { boundedGet, boundedGetRaw, type FetchOptions, type FetchResult, type RawFetchResult } from './http.js';

export {
  ConcurrencyLimiter,
  DEFAULT_LIMITS,
  DEFAULT_USER_AGENT,
  type FetchLimits,
  type FetchOptions,
  type FetchResult,
  type RawBody,
  type RawFetchResult,
  decodeRaw,
} from './http.js';
export type { AddressPolicy, LookupFn, LookupAddress } from './ssrf.js';
export { FeedError, type FeedErrorCode } from './errors.js';

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';
export const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** Conditional GET of a feed. Throws FeedError. */
export async function fetchFeed(url: string, opts: FetchOptions): Promise<FetchResult> {
  return boundedGet(url, opts, FEED_ACCEPT);
}

/** `fetchFeed` with the body left compressed and undecoded, for a parser on another thread (see decodeRaw). */
export async function fetchFeedRaw(url: string, opts: FetchOptions): Promise<RawFetchResult> {
  return boundedGetRaw(url, opts, FEED_ACCEPT);
}

/** Same bounds, for HTML pages (discovery, full text). */
export async function fetchText(url: string, opts: FetchOptions): Promise<FetchResult> {
  return boundedGet(url, opts, HTML_ACCEPT);
}
