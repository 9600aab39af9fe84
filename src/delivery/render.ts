import type { Article, Locale } from '../types.js';

/** Telegram's limit on message text, counted after entity parsing. */
export const MAX_TEXT = 4096;

/** Translate function (Fluent): pure given its message files. */
export type Translate = (locale: Locale, key: string, vars?: Record<string, string | number>) => string;

/** Escape text for Telegram HTML parse mode. */
export function escapeHtml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s; // most text has none: one scan instead of four replaces
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
const NEEDS_ESCAPE = /[&<>"]/;

/** An href is safe when it is http(s); quotes are escaped by escapeHtml. */
export function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function link(url: string, label: string): string {
  const href = safeHref(url);
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>` : escapeHtml(label);
}

/** Length of HTML text as Telegram counts it (tags removed, entities decoded). */
export function visibleLength(html: string): number {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&(lt|gt|amp|quot);/g, 'x').length;
}

/** Cut plain text to at most `max` characters at a word boundary, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

export interface AlertParts {
  article: Pick<Article, 'title' | 'summary' | 'url' | 'sourceName' | 'places' | 'topics'>;
  locale: Locale;
  /** Display name of what the chat follows that matched ("الحسكة", "أمن", "داعش"). */
  reason?: string;
  topicName: (id: string) => string;
}

/**
 * The parts of an alert that do not depend on why it reached a chat, for one article and language: an
 * article that alerts many chats is rendered once per language (`alertFrame`), then once per reason
 * (`alertText`).
 */
export interface AlertFrame {
  head: string;
  /** Places and topics ('' when neither). */
  meta: string;
  source: string;
  /** The summary as written, and escaped whole. */
  summary: string;
  summaryHtml: string;
  /** Visible length of head, meta and source with the line breaks between them. */
  fixedLength: number;
}

export function alertFrame(p: Omit<AlertParts, 'reason'>, t: Translate): AlertFrame {
  const { article: a, locale } = p;
  const places = a.places.slice(0, 3).map((pl) => pl.path.join(' › '));
  const meta: string[] = [];
  if (places.length) meta.push(`📍 ${escapeHtml(places.join('، '))}`);
  if (a.topics.length) meta.push(`🏷 ${escapeHtml(a.topics.slice(0, 3).map(p.topicName).join('، '))}`);
  const frame = {
    head: `<b>${escapeHtml(truncate(a.title, 300))}</b>`,
    meta: meta.join('  '),
    source: `${escapeHtml(t(locale, 'alert-source'))}: ${link(a.url, a.sourceName)}`,
    summary: a.summary,
    summaryHtml: a.summary ? escapeHtml(a.summary) : '',
  };
  const fixed = [frame.head, frame.meta, frame.source].filter(Boolean);
  return { ...frame, fixedLength: visibleLength(fixed.join('\n')) };
}

/** The line that says why an alert arrived (what the chat follows that matched), as HTML. */
export function whyLine(locale: Locale, what: string, t: Translate): string {
  return `<i>${escapeHtml(t(locale, 'alert-why', { what }))}</i>`;
}

/**
 * The alert as Telegram HTML: headline, summary, where and what, why it arrived (`why`: a `whyLine`, or ''),
 * source link. Every interpolated string is escaped; the whole fits MAX_TEXT (the summary gives way first).
 */
export function alertText(f: AlertFrame, why: string, whyLength = visibleLength(why)): string {
  const tail = [f.meta, why, f.source].filter(Boolean);
  const room = MAX_TEXT - (f.fixedLength + (why ? whyLength + 1 : 0)) - 4;
  const summary = f.summary.length <= room ? f.summaryHtml : f.summary ? escapeHtml(truncate(f.summary, Math.max(0, room))) : '';
  return [f.head, summary, '', ...tail].filter((x, i) => x !== '' || i === 2).join('\n');
}

/** `alertText` of one article for one reason (`p.reason`, a display name), in one go. */
export function renderAlert(p: AlertParts, t: Translate): string {
  return alertText(alertFrame(p, t), p.reason ? whyLine(p.locale, p.reason, t) : '');
}

/** A short entry for /latest lists: headline linked, source, and the summary's first words. */
export function renderEntry(a: Pick<Article, 'title' | 'url' | 'sourceName' | 'summary'>, extra?: string): string {
  const lines = [`• ${link(a.url, truncate(a.title, 200))} — ${escapeHtml(a.sourceName)}`];
  if (a.summary) lines.push(escapeHtml(truncate(a.summary, 220)));
  if (extra) lines.push(extra);
  return lines.join('\n');
}
