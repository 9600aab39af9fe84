import type { Analysis } from '../types.js';
import { type Gazetteer, loadGazetteer } from './gazetteer.js';
import { demonymCountries } from './demonyms.js';
import { fastTokenize, hasNonSpace, mostSpecific, tagPlacesTokens, type TextToken } from './places.js';
import { fingerprint } from './story.js';
import { cleanParagraphs, summarize } from './summarize.js';
import { tagTopics, TOPIC_TUNING } from './topics.js';

export interface AnalyzeInput {
  title: string;
  text: string;
  url?: string;
  categories?: string[];
}

/** Tokens kept for keyword matching: the title and the first part of the body. */
const MAX_TOKENS = 1500;

/**
 * The whole Arabic pipeline for one article: clean the body, tag places and topics, summarize,
 * fingerprint. Pure: no I/O (the gazetteer is loaded once, synchronously), no clock.
 */
export function analyze(input: AnalyzeInput, gaz: Gazetteer = loadGazetteer()): Analysis {
  const paragraphs = cleanParagraphs(input.title, input.text);
  const body = paragraphs.join('\n\n');
  const text = `${input.title}\n\n${body}`;
  // One tokenization of the article, shared by the place tagger and the keyword tokens
  // (fastTokenize gives exactly normalize.tokenize's tokens).
  const toks = fastTokenize(text);
  const mentions = tagPlacesTokens(text, toks, gaz);
  const ids = [...new Set(mentions.map((m) => m.id))];
  // Followers of a country also match a report that names it only by its adjective («الجيش السوري»).
  const countries = demonymCountries(toks, (i) => !hasNonSpace(text, toks[i - 1]!.end, toks[i]!.start));
  const placeIds = [...new Set([...ids, ...countries].flatMap((id) => gaz.ancestors(id)))];
  const words = articleWords(toks, input.title.length, paragraphs[0]?.length ?? 0);
  const { topics, scores } = tagTopics({ title: input.title, text: body, words, categories: input.categories, url: input.url });
  return {
    summary: summarize(input.title, input.text),
    topics,
    topicScores: scores,
    places: mostSpecific(ids, gaz),
    placeIds,
    tokens: keywordTokens(toks),
    fingerprint: fingerprint(input.title, paragraphs[0] ?? '', words),
  };
}

/**
 * From the article's tokens, the words the topic tagger and the story fingerprint read: the title's, the
 * body's first TOPIC_TUNING.maxTextChars characters', and the lead's (the first paragraph).
 */
function articleWords(toks: readonly TextToken[], titleLength: number, leadLength: number): { title: string[]; text: string[]; lead: string[] } {
  const title: string[] = [];
  const text: string[] = [];
  const lead: string[] = [];
  const bodyStart = titleLength + 2; // after the title and '\n\n'
  const end = bodyStart + TOPIC_TUNING.maxTextChars;
  for (const t of toks) {
    if (t.start < titleLength) title.push(t.norm);
    else if (t.start >= bodyStart) {
      if (t.start < end) text.push(t.norm);
      if (t.start < bodyStart + leadLength) lead.push(t.norm);
    }
  }
  return { title, text, lead };
}

function keywordTokens(toks: readonly { norm: string }[]): string[] {
  const n = Math.min(toks.length, MAX_TOKENS);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = toks[i]!.norm;
  return out;
}
