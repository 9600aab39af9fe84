import { placeIdForEnglish } from './pipeline/english-names.js';
import type { Gazetteer } from './pipeline/gazetteer.js';
import { normalizeArabic } from './pipeline/normalize.js';
import { resolveTopic, TOPIC_NAMES } from './pipeline/topics.js';
import { keywordKey } from './matcher/keywords.js';
import type { ChatProfile, Locale, TopicId } from './types.js';

/** What a `/subscribe` argument means. */
export type Target = { kind: 'topic'; id: TopicId } | { kind: 'place'; id: string } | { kind: 'keyword'; id: string };

export const MAX_SUBSCRIPTIONS = 100;

/**
 * A topic name (Arabic or English), else a place from the gazetteer (ال optional, common
 * spellings), else a keyword. Undefined when the text is too short to be a useful keyword.
 */
export function resolveTarget(input: string, gaz: Gazetteer): Target | undefined {
  const text = input.trim().replace(/\s+/g, ' ');
  if (!text) return undefined;
  const topic = resolveTopic(text);
  if (topic) return { kind: 'topic', id: topic };
  const place = gaz.lookup(text)[0]?.id ?? placeIdForEnglish(text);
  if (place && gaz.get(place)) return { kind: 'place', id: place };
  const key = keywordKey(text);
  if (key.replace(/\s/g, '').length < 2) return undefined;
  return { kind: 'keyword', id: text };
}

export function targetName(t: Target, locale: Locale, gaz: Gazetteer): string {
  if (t.kind === 'topic') return TOPIC_NAMES[t.id][locale];
  if (t.kind === 'place') return gaz.get(t.id)?.name ?? t.id;
  return t.id;
}

/** Does the profile follow this target? (keywords compare normalized) */
export function follows(p: ChatProfile, t: Target): boolean {
  if (t.kind === 'topic') return p.topics.includes(t.id);
  if (t.kind === 'place') return p.places.includes(t.id);
  const key = keywordKey(t.id);
  return p.keywords.some((k) => keywordKey(k) === key);
}

export function countSubscriptions(p: ChatProfile): number {
  return p.topics.length + p.places.length + p.keywords.length;
}

/** Add (true) or remove (false) a target; returns whether anything changed. Mutates `p`. */
export function toggleTarget(p: ChatProfile, t: Target, on: boolean): boolean {
  if (follows(p, t) === on) return false;
  if (t.kind === 'topic') p.topics = on ? [...p.topics, t.id] : p.topics.filter((x) => x !== t.id);
  else if (t.kind === 'place') p.places = on ? [...p.places, t.id] : p.places.filter((x) => x !== t.id);
  else {
    const key = keywordKey(t.id);
    p.keywords = on ? [...p.keywords, t.id] : p.keywords.filter((k) => keywordKey(k) !== key);
  }
  return true;
}

/** Case- and form-insensitive comparison used by /removefeed and friends. */
export const sameText = (a: string, b: string) => normalizeArabic(a.trim()) === normalizeArabic(b.trim());
