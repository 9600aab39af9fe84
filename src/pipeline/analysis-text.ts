/**
 * An analysis as text: how it crosses threads and how an article stores it.
 *
 * Tokens travel as one space-separated string (tokens never contain spaces): cloning or serializing one
 * string is far cheaper than hundreds of short ones. A worker also serializes the other analysis fields of
 * the stored article (`storedMembers`), so the main thread, which writes the store, does not. Both are
 * remembered by the tokens array made on arrival, which every article built from that analysis shares:
 * an article's analysis fields are never changed after the pipeline (only its story fields are).
 */
import type { Analysis } from '../types.js';
import { fingerprintToText } from './story.js';

const texts = new WeakMap<readonly string[], string>();
const members = new WeakMap<readonly string[], string>();

export function tokensToText(tokens: readonly string[]): string {
  return texts.get(tokens) ?? tokens.join(' ');
}

export function tokensFromText(text: string): string[] {
  const tokens = text ? text.split(' ') : [];
  texts.set(tokens, text);
  return tokens;
}

/** The analysis fields of a stored article: tokens as text, the fingerprint as base64 (see story.ts). */
export type StoredAnalysis = Omit<Analysis, 'tokens' | 'fingerprint'> & { tokens: string; fingerprint: string };

export function storedAnalysis(a: Analysis): StoredAnalysis {
  const out: Record<keyof Analysis, unknown> = {
    summary: a.summary,
    topics: a.topics,
    topicScores: a.topicScores,
    places: a.places,
    placeIds: a.placeIds,
    tokens: tokensToText(a.tokens),
    fingerprint: fingerprintToText(a.fingerprint),
  };
  return out as StoredAnalysis;
}

/**
 * `storedAnalysis(a)` without its tokens, as JSON object members (no braces), serialized once: on the
 * worker, as a rule (the tokens text crosses anyway and is added where the article is written).
 */
export function storedMembers(a: Analysis): string {
  let m = members.get(a.tokens);
  if (m === undefined) {
    const { tokens, ...rest } = storedAnalysis(a);
    m = JSON.stringify(rest).slice(1, -1);
  }
  return m;
}

/** An analysis as a worker sends it: tokens as text, and its stored members already serialized. */
export type WireAnalysis = Omit<Analysis, 'tokens'> & { tokens: string; stored: string };

export function toWire(a: Analysis): WireAnalysis {
  return { ...a, tokens: tokensToText(a.tokens), stored: storedMembers(a) };
}

export function fromWire({ stored, ...a }: WireAnalysis): Analysis {
  const tokens = tokensFromText(a.tokens);
  members.set(tokens, stored);
  return { ...a, tokens };
}
