import type { Analysis } from '../types.js';
import { type Gazetteer, loadGazetteer } from './gazetteer.js';
import { words } from './normalize.js';
import { mostSpecific, tagPlaces } from './places.js';
import { fingerprint } from './story.js';
import { cleanParagraphs, summarize } from './summarize.js';
import { tagTopics } from './topics.js';

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
  const mentions = tagPlaces(text, gaz);
  const ids = [...new Set(mentions.map((m) => m.id))];
  const placeIds = [...new Set(ids.flatMap((id) => gaz.ancestors(id)))];
  const { topics, scores } = tagTopics({ title: input.title, text: body, categories: input.categories, url: input.url });
  return {
    summary: summarize(input.title, input.text),
    topics,
    topicScores: scores,
    places: mostSpecific(ids, gaz),
    placeIds,
    tokens: words(text).slice(0, MAX_TOKENS),
    fingerprint: fingerprint(input.title, paragraphs[0] ?? ''),
  };
}
