/** The digest message: pure rendering of held items to Telegram HTML. */
import { escapeHtml, link, MAX_TEXT, type Translate, truncate, visibleLength } from '../delivery/render.js';
import type { Locale } from '../types.js';
import type { HeldItem } from './buffer.js';

export interface DigestParts {
  items: readonly HeldItem[];
  locale: Locale;
  groupBy: 'topic' | 'place';
  topicName: (id: string) => string;
}

const SUMMARY_CHARS = 160;

/**
 * One message listing the items grouped by topic or place (groups in order of their newest item,
 * items newest first), each a linked headline, its outlet and a short summary. Items that do not
 * fit Telegram's limit are counted in a closing line.
 */
export function renderDigest(p: DigestParts, t: Translate): string {
  const other = t(p.locale, 'digest-other');
  const groups = new Map<string, HeldItem[]>();
  const sorted = [...p.items].sort((a, b) => b.at - a.at);
  for (const it of sorted) {
    const key = p.groupBy === 'place' ? (it.place ?? other) : it.topic ? p.topicName(it.topic) : other;
    groups.set(key, [...(groups.get(key) ?? []), it]);
  }
  const head = `<b>${escapeHtml(t(p.locale, 'digest-header', { count: p.items.length }))}</b>`;
  const out = [head];
  let used = visibleLength(head);
  let shown = 0;
  const reserve = 80;
  for (const [name, items] of groups) {
    const title = `\n${p.groupBy === 'place' ? '📍' : '🏷'} <b>${escapeHtml(name)}</b>`;
    let titled = false;
    for (const it of items) {
      const entry = [`• ${link(it.url, truncate(it.title, 200))} — ${escapeHtml(it.sourceName)}`];
      if (it.summary) entry.push(escapeHtml(truncate(it.summary, SUMMARY_CHARS)));
      const text = (titled ? '' : `${title}\n`) + entry.join('\n');
      const len = visibleLength(text) + 1;
      if (used + len > MAX_TEXT - reserve) continue;
      out.push(text);
      used += len;
      titled = true;
      shown++;
    }
  }
  if (shown < p.items.length) out.push(`\n${escapeHtml(t(p.locale, 'digest-more', { count: p.items.length - shown }))}`);
  return out.join('\n');
}
