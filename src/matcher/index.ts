import type { Analysis, ChatProfile, TopicId } from '../types.js';
import { findKeywords, indexByFirstWord, type KeywordIndex, keywordKey } from './keywords.js';

/** Why an article reaches a chat: the first subscription of the chat it matched. */
export type MatchReason =
  | { kind: 'place'; id: string }
  | { kind: 'topic'; id: TopicId }
  | { kind: 'keyword'; id: string };

type Subs = Pick<ChatProfile, 'id' | 'topics' | 'places' | 'keywords'>;

/**
 * Inverted index from topic / place / keyword to chat ids. Pure and in memory; built from all
 * profiles at start and kept current by `set` / `remove` whenever a profile changes.
 * Only chats that should receive alerts (active, not deactivated) belong in it.
 */
export class MatchIndex {
  private readonly byTopic = new Map<string, Set<number>>();
  private readonly byPlace = new Map<string, Set<number>>();
  private readonly byKeyword = new Map<string, Set<number>>();
  private readonly current = new Map<number, Subs>();
  private firstWords: KeywordIndex | undefined;

  get size(): number {
    return this.current.size;
  }

  /** Replace what a chat follows (call with the new profile after every change). */
  set(profile: ChatProfile): void {
    this.remove(profile.id);
    if (!profile.active || profile.deactivated) return;
    const subs: Subs = {
      id: profile.id,
      topics: [...profile.topics],
      places: [...profile.places],
      keywords: profile.keywords.map(keywordKey).filter(Boolean),
    };
    this.current.set(profile.id, subs);
    for (const t of subs.topics) add(this.byTopic, t, profile.id);
    for (const p of subs.places) add(this.byPlace, p, profile.id);
    for (const k of subs.keywords) add(this.byKeyword, k, profile.id);
    if (subs.keywords.length) this.firstWords = undefined;
  }

  remove(chatId: number): void {
    const old = this.current.get(chatId);
    if (!old) return;
    this.current.delete(chatId);
    for (const t of old.topics) del(this.byTopic, t, chatId);
    for (const p of old.places) del(this.byPlace, p, chatId);
    for (const k of old.keywords) del(this.byKeyword, k, chatId);
    if (old.keywords.length) this.firstWords = undefined;
  }

  /** Chats that follow one of the article's places (or an ancestor), topics or keywords. */
  match(a: Pick<Analysis, 'placeIds' | 'topics' | 'tokens'>): Map<number, MatchReason> {
    const out = new Map<number, MatchReason>();
    const give = (ids: Set<number> | undefined, reason: MatchReason) => {
      for (const id of ids ?? []) if (!out.has(id)) out.set(id, reason);
    };
    // Most specific reason first: places, then keywords, then topics. (Most places of an article have no
    // follower: no reason object for them.)
    for (const p of a.placeIds) {
      const ids = this.byPlace.get(p);
      if (ids) give(ids, { kind: 'place', id: p });
    }
    if (this.byKeyword.size) {
      this.firstWords ??= indexByFirstWord(this.byKeyword.keys());
      for (const k of findKeywords(a.tokens, this.firstWords)) give(this.byKeyword.get(k), { kind: 'keyword', id: k });
    }
    for (const t of a.topics) give(this.byTopic.get(t), { kind: 'topic', id: t });
    return out;
  }

  /** Chats in a segment (for broadcasts): everyone indexed, or followers of a topic or place. */
  audience(segment?: { topic?: TopicId; place?: string; placeWithin?: (id: string) => boolean }): number[] {
    if (!segment) return [...this.current.keys()];
    const ids = new Set<number>();
    if (segment.topic) for (const id of this.byTopic.get(segment.topic) ?? []) ids.add(id);
    if (segment.place) {
      for (const [p, chats] of this.byPlace) {
        if (p === segment.place || segment.placeWithin?.(p)) for (const id of chats) ids.add(id);
      }
    }
    return [...ids];
  }

  /** Followers per topic and per place id. */
  counts(): { topics: Map<string, number>; places: Map<string, number>; keywords: number } {
    const sizes = (m: Map<string, Set<number>>) => new Map([...m].map(([k, v]) => [k, v.size]));
    return { topics: sizes(this.byTopic), places: sizes(this.byPlace), keywords: this.byKeyword.size };
  }
}

function add(m: Map<string, Set<number>>, key: string, id: number) {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(id);
}

function del(m: Map<string, Set<number>>, key: string, id: number) {
  const s = m.get(key);
  if (!s) return;
  s.delete(id);
  if (s.size === 0) m.delete(key);
}
