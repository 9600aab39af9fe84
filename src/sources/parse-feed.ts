/**
 * Feed text → FeedItem[] with feedsmith (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed). Titles and texts are
 * cleaned to plain text, links resolved and restricted to http(s), dates parsed or left undefined.
 */
import { createHash } from 'node:crypto';
import {
  DetectError,
  type AnyFeed,
  parseFeed as smithParse,
  type AtomFeed,
  type JsonFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import type { FeedItem } from '../types.js';
import { canonicalUrl } from './canonical-url.js';
import { FeedError } from './errors.js';
import { cleanPlainText, htmlToText } from './html-text.js';

export interface ParsedFeed {
  title?: string;
  link?: string;
  items: FeedItem[];
}

export interface ParseContext {
  sourceId: string;
  /** The feed's own URL (final URL after redirects); relative links resolve against it. */
  baseUrl: string;
}

/** Max items taken from one document (feeds with thousands of entries are archives, not news). */
export const MAX_ITEMS = 500;

export function parseFeed(body: string, ctx: ParseContext): ParsedFeed {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text) throw new FeedError('not_feed', 'empty document');
  let parsed: AnyFeed<string>;
  try {
    parsed = smithParse<string>(text, { maxItems: MAX_ITEMS });
  } catch (e) {
    if (e instanceof DetectError) {
      // Something that starts like XML and mentions a feed root is a broken feed, not "no feed".
      if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]/i.test(text)) {
        throw new FeedError('bad_xml', 'malformed feed document', { cause: e });
      }
      if (/^[[{]/.test(text)) {
        try {
          JSON.parse(text);
        } catch (je) {
          throw new FeedError('bad_xml', 'malformed JSON document', { cause: je });
        }
      }
      throw new FeedError('not_feed', 'not an RSS, Atom, RDF or JSON feed', { cause: e });
    }
    throw new FeedError('bad_xml', `malformed feed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  switch (parsed.format) {
    case 'rss':
      return fromRss(parsed.feed, ctx);
    case 'atom':
      return fromAtom(parsed.feed, ctx);
    case 'rdf':
      return fromRdf(parsed.feed, ctx);
    case 'json':
      return fromJson(parsed.feed, ctx);
  }
}

// ---------------------------------------------------------------------------------------------
// Format mappers

interface RawItem {
  title?: string;
  /** HTML-ish fields, in preference order for equal length. */
  contents: (string | undefined)[];
  /** Already plain text (JSON Feed content_text). */
  plain?: string;
  link?: string;
  guid?: string;
  date?: string;
  categories: (string | undefined)[];
  base: string;
}

function resolveBase(base: string | undefined, parent: string): string {
  if (!base) return parent;
  try {
    return new URL(base, parent).href;
  } catch {
    return parent;
  }
}

/**
 * RSS has no xml:base convention; relative item links are relative to the site, so the channel's
 * absolute <link> is a better base than the feed URL (which may live on a feed host).
 */
function siteBase(xmlBase: string | undefined, channelLink: string | undefined, ctx: ParseContext): string {
  if (xmlBase) return resolveBase(xmlBase, ctx.baseUrl);
  const site = channelLink?.trim();
  if (site && /^https?:\/\//i.test(site)) return resolveBase(site, ctx.baseUrl);
  return ctx.baseUrl;
}

function fromRss(feed: RssFeed.Feed<string>, ctx: ParseContext): ParsedFeed {
  const base = siteBase(feed.xml?.base, feed.link, ctx);
  const items = (feed.items ?? []).map(
    (it): RawItem => ({
      title: it.title ?? it.dc?.titles?.[0],
      contents: [it.content?.encoded, it.description, it.dc?.descriptions?.[0]],
      link: it.link ?? (it.guid?.isPermaLink !== false ? it.guid?.value : undefined),
      guid: it.guid?.value,
      date: it.pubDate ?? it.dc?.dates?.[0] ?? it.atom?.published ?? it.atom?.updated,
      categories: [...(it.categories ?? []).map((c) => c.name), ...(it.dc?.subjects ?? [])],
      base: resolveBase(it.xml?.base, base),
    }),
  );
  return finish(feed.title, feed.link, items, ctx, base);
}

function fromRdf(feed: RdfFeed.Feed<string>, ctx: ParseContext): ParsedFeed {
  const base = siteBase(feed.xml?.base, feed.link, ctx);
  const items = (feed.items ?? []).map(
    (it): RawItem => ({
      title: it.title ?? it.dc?.titles?.[0],
      contents: [it.content?.encoded, it.description, it.dc?.descriptions?.[0]],
      link: it.link ?? it.rdf?.about,
      guid: it.rdf?.about,
      date: it.dc?.dates?.[0],
      categories: [...(it.dc?.subjects ?? [])],
      base: resolveBase(it.xml?.base, base),
    }),
  );
  return finish(feed.title, feed.link, items, ctx, base);
}

function atomText(t: AtomFeed.Text | AtomFeed.Content | undefined): string | undefined {
  return t?.value;
}

function atomLink(links: AtomFeed.Link<string>[] | undefined): string | undefined {
  if (!links?.length) return undefined;
  const alternates = links.filter((l) => !l.rel || l.rel === 'alternate');
  const html = alternates.find((l) => !l.type || /html/i.test(l.type));
  return (html ?? alternates[0] ?? links.find((l) => l.rel !== 'self' && l.rel !== 'enclosure'))?.href;
}

function fromAtom(feed: AtomFeed.Feed<string>, ctx: ParseContext): ParsedFeed {
  const base = resolveBase(feed.xml?.base, ctx.baseUrl);
  const items = (feed.entries ?? []).map((e): RawItem => {
    const entryBase = resolveBase(e.xml?.base, base);
    return {
      title: atomText(e.title),
      contents: [atomText(e.content), atomText(e.summary)],
      link: atomLink(e.links),
      guid: e.id,
      date: e.published ?? e.updated ?? e.dc?.dates?.[0],
      categories: (e.categories ?? []).map((c) => c.label ?? c.term),
      base: entryBase,
    };
  });
  return finish(atomText(feed.title), atomLink(feed.links), items, ctx, base);
}

function fromJson(feed: JsonFeed.Feed<string>, ctx: ParseContext): ParsedFeed {
  const base = siteBase(undefined, feed.home_page_url, ctx);
  const items = (feed.items ?? []).map(
    (it): RawItem => ({
      title: it.title,
      contents: [it.content_html, it.summary],
      plain: it.content_text,
      link: it.url ?? it.external_url,
      guid: it.id === undefined || it.id === null ? undefined : String(it.id),
      date: it.date_published ?? it.date_modified,
      categories: it.tags ?? [],
      base,
    }),
  );
  return finish(feed.title, feed.home_page_url, items, ctx, base);
}

// ---------------------------------------------------------------------------------------------

/** Absolute http(s) URL or undefined (javascript:, data:, mailto:... are dropped). */
export function resolveHttpUrl(href: string | undefined, base: string): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    const u = new URL(h, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

function finish(
  title: string | undefined,
  link: string | undefined,
  raw: RawItem[],
  ctx: ParseContext,
  base: string,
): ParsedFeed {
  const feedLink = resolveHttpUrl(link, base);
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const item = toItem(r, ctx);
    if (!item || seen.has(item.guid)) continue;
    seen.add(item.guid);
    items.push(item);
  }
  const feedTitle = htmlToText(title, { singleLine: true });
  return {
    ...(feedTitle ? { title: feedTitle } : {}),
    ...(feedLink ? { link: feedLink } : {}),
    items,
  };
}

function toItem(r: RawItem, ctx: ParseContext): FeedItem | undefined {
  const guidRaw = r.guid?.trim();
  const url = resolveHttpUrl(r.link, r.base) ?? (guidRaw ? resolveHttpUrl(guidRaw, r.base) : undefined);
  // An item with no link anywhere cannot be sent as an alert.
  if (!url) return undefined;
  const title = htmlToText(r.title, { singleLine: true });
  // content:encoded / content_html when longer than the description / summary.
  let text = '';
  for (const c of r.contents) {
    const t = htmlToText(c);
    if (t.length > text.length) text = t;
  }
  const plain = cleanPlainText(r.plain);
  if (plain.length > text.length) text = plain;
  if (!title && !text) return undefined;
  const guid = guidRaw ? guidRaw.slice(0, 1000) : canonicalUrl(url);
  const categories = [
    ...new Set(r.categories.map((c) => htmlToText(c, { singleLine: true })).filter((c) => c.length > 0)),
  ];
  const publishedAt = parseDate(r.date);
  return {
    sourceId: ctx.sourceId,
    guid,
    url,
    title: title || firstWords(text),
    text,
    ...(publishedAt !== undefined ? { publishedAt } : {}),
    categories,
  };
}

function firstWords(text: string, max = 120): string {
  const line = text.split('\n')[0] ?? '';
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const sp = cut.lastIndexOf(' ');
  return `${sp > 40 ? cut.slice(0, sp) : cut}…`;
}

/** A stable fallback id for an item (used by callers that need one without a URL). */
export function itemHash(parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: [RegExp, string][] = [
  // Levantine / Iraqi names first (two-word names before their one-word parts).
  [/كانون\s+الثاني|كانون\s+الثانى/g, 'Jan'],
  [/كانون\s+الأول|كانون\s+الاول/g, 'Dec'],
  [/تشرين\s+الثاني|تشرين\s+الثانى/g, 'Nov'],
  [/تشرين\s+الأول|تشرين\s+الاول/g, 'Oct'],
  [/شباط/g, 'Feb'],
  [/آذار|اذار/g, 'Mar'],
  [/نيسان/g, 'Apr'],
  [/أيار|ايار/g, 'May'],
  [/حزيران/g, 'Jun'],
  [/تموز/g, 'Jul'],
  [/أيلول|ايلول/g, 'Sep'],
  [/(^|[\s,،/-])آب(?=$|[\s,،/-])/g, '$1Aug'],
  // Egyptian / Gulf / Maghrebi / Algerian names.
  [/يناير|جانفي|جانفييه/g, 'Jan'],
  [/فبراير|فيفري|فبرایر/g, 'Feb'],
  [/مارس/g, 'Mar'],
  [/أبريل|ابريل|إبريل|أفريل|افريل/g, 'Apr'],
  [/مايو|ماي(?![\p{L}])/gu, 'May'],
  [/يونيو|يونيه|جوان/g, 'Jun'],
  [/يوليو|يوليه|يوليوز|جويلية|جويليه/g, 'Jul'],
  [/أغسطس|اغسطس|غشت|أوت|اوت/g, 'Aug'],
  [/سبتمبر|شتنبر/g, 'Sep'],
  [/أكتوبر|اكتوبر/g, 'Oct'],
  [/نوفمبر|نونبر/g, 'Nov'],
  [/ديسمبر|دجنبر/g, 'Dec'],
];
const WEEKDAYS = /(?:يوم\s+)?(?:الأحد|الاحد|الإثنين|الاثنين|الأثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|الجمعه|السبت)/g;
const TZ_ABBR: Record<string, string> = {
  AST: '+0300', // Arabia Standard Time (the Gulf's usage, not Atlantic)
  ARST: '+0300',
  MSK: '+0300',
  EEST: '+0300',
  EET: '+0200',
  CAT: '+0200',
  EAT: '+0300',
  CEST: '+0200',
  CET: '+0100',
  WEST: '+0100',
  WET: '+0000',
  BST: '+0100',
  GST: '+0400',
  IRST: '+0330',
  TRT: '+0300',
};

function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

function sane(t: number): number | undefined {
  if (!Number.isFinite(t)) return undefined;
  // Before 1995 or after 2200: a placeholder or a broken generator.
  if (t < 788_918_400_000 || t > 7_258_118_400_000) return undefined;
  return t;
}

/** RFC 822 / ISO 8601 / common variants, with Arabic digits and Arabic month names; undefined otherwise. */
export function parseDate(raw: string | Date | undefined | null): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw instanceof Date) return sane(raw.getTime());
  let s = asciiDigits(String(raw)).replace(/[\u200e\u200f\u061c]/g, '').trim();
  if (!s) return undefined;

  if (/[\u0600-\u06ff]/.test(s)) {
    s = s.replace(WEEKDAYS, ' ');
    for (const [re, en] of MONTHS) s = s.replace(re, en);
    // ص / م after a time are AM / PM.
    s = s.replace(/(\d{1,2}:\d{2}(?::\d{2})?)\s*ص(?![\p{L}])/gu, '$1 AM').replace(/(\d{1,2}:\d{2}(?::\d{2})?)\s*م(?![\p{L}])/gu, '$1 PM');
    s = s.replace(/[،,]/g, ' ').replace(/\s*-\s*(?=\d{1,2}:\d{2})/, ' ').replace(/\s+/g, ' ').trim();
  }
  // Day-first numeric dates (the Arab world's usage): dd/mm/yyyy [time].
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)$/.exec(s);
  if (dmy) {
    const [, d, m, y, rest] = dmy;
    s = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}${rest && rest.trim() ? `T${rest.trim()}` : ''}`;
  }
  // Named zones V8 does not know.
  s = s.replace(/\b([A-Z]{3,4})$/, (z) => TZ_ABBR[z] ?? z);

  // No zone at all: read as UTC, not as this server's local time.
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}|\b(?:GMT|UTC|UT|[ECMP][SD]T)(?:[+-]\d{1,4})?)\s*$/i.test(s);
  if (!hasZone) {
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(s)) s = `${s.replace(' ', 'T')}Z`;
    else if (/^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)? ?(?:AM|PM)$/i.test(s)) {
      // ISO-ish with AM/PM: let the generic path handle it.
      s = `${s.replace('T', ' ')} GMT`;
    } else if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) s = `${s} GMT`;
  }
  return sane(Date.parse(s));
}
