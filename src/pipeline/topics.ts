/**
 * Multi-label topic tagging.
 *
 * Evidence, summed per topic:
 *  - the lexicon (data/topic-lexicon.ts): weighted news terms matched on normalized, clitic-stripped,
 *    article-insensitive words and phrases; a term repeated counts with diminishing returns (1 + ln n);
 *    headline hits count three times;
 *  - the feed's own categories (Arabic or English names) and the URL's path sections (/sport/, /economy/ ...).
 * Raw evidence becomes a score in 0..1: a saturating function of the evidence (its scale grows with the text
 * length) times (0.5 + 0.5 × share of the strongest topic's evidence). A topic is listed at score ≥ 0.3 with at
 * least a fifth of the strongest topic's evidence, or when the feed's category or URL names it; an article
 * may get several topics (politics and security at once). Pure and synchronous.
 */
import { TOPIC_IDS, type TopicId } from '../types.ts';
import { cliticVariants, dropArticle, nameKey, normalizeArabic } from './normalize.ts';
import { normWords } from './sentences.ts';
import { SECTION_TOPICS, TOPIC_LEXICON } from './data/topic-lexicon.ts';

export const TOPIC_NAMES: Record<TopicId, { ar: string; en: string }> = {
  politics: { ar: 'سياسة', en: 'Politics' },
  security: { ar: 'أمن', en: 'Security' },
  economy: { ar: 'اقتصاد', en: 'Economy' },
  humanitarian: { ar: 'شؤون إنسانية', en: 'Humanitarian' },
  health: { ar: 'صحة', en: 'Health' },
  sports: { ar: 'رياضة', en: 'Sports' },
  technology: { ar: 'علوم وتكنولوجيا', en: 'Science & Technology' },
  culture: { ar: 'ثقافة وفنون', en: 'Culture & Arts' },
  environment: { ar: 'بيئة ومناخ', en: 'Environment & Climate' },
  education: { ar: 'تعليم', en: 'Education' },
  religion: { ar: 'دين', en: 'Religion' },
  society: { ar: 'مجتمع', en: 'Society' },
};

/** Names people type for each topic (Arabic singular/plural/adjective forms and English). */
const TOPIC_ALIASES: Record<TopicId, string[]> = {
  politics: ['سياسة', 'سياسات', 'سياسي', 'سياسية', 'السياسة', 'شؤون سياسية', 'politics', 'political', 'policy'],
  security: ['أمن', 'الأمن', 'أمني', 'أمنية', 'شؤون أمنية', 'عسكري', 'عسكرية', 'دفاع', 'حروب', 'security', 'military', 'defense', 'defence', 'war'],
  economy: ['اقتصاد', 'اقتصادي', 'اقتصادية', 'الاقتصاد', 'مال', 'أعمال', 'مال وأعمال', 'مال واعمال', 'أسواق', 'economy', 'economics', 'economic', 'business', 'finance', 'markets'],
  humanitarian: ['شؤون إنسانية', 'إنسانية', 'إنساني', 'الشؤون الإنسانية', 'إغاثة', 'لاجئين', 'لاجئون', 'humanitarian', 'aid', 'refugees', 'relief'],
  health: ['صحة', 'الصحة', 'صحي', 'صحية', 'طب', 'الطب', 'صحة وطب', 'health', 'medicine', 'medical', 'healthcare'],
  sports: ['رياضة', 'الرياضة', 'رياضات', 'الرياضات', 'رياضي', 'رياضية', 'sport', 'sports', 'football'],
  technology: ['علوم وتكنولوجيا', 'تكنولوجيا', 'التكنولوجيا', 'تقنية', 'تقنيات', 'التقنية', 'علوم', 'العلوم', 'علم', 'تكنولوجيا وعلوم', 'علوم وتقنية', 'technology', 'tech', 'science', 'sciences', 'science & technology', 'science and technology', 'sci-tech'],
  culture: ['ثقافة وفنون', 'ثقافة', 'الثقافة', 'ثقافات', 'فنون', 'الفنون', 'فن', 'الفن', 'ثقافي', 'ثقافية', 'ثقافة وفن', 'culture', 'cultural', 'arts', 'art', 'culture & arts', 'culture and arts', 'entertainment'],
  environment: ['بيئة ومناخ', 'بيئة', 'البيئة', 'بيئي', 'بيئية', 'مناخ', 'المناخ', 'environment', 'environmental', 'climate', 'environment & climate', 'environment and climate'],
  education: ['تعليم', 'التعليم', 'تعليمي', 'تربية', 'التربية', 'تربية وتعليم', 'education', 'educational', 'schools'],
  religion: ['دين', 'الدين', 'أديان', 'الأديان', 'ديني', 'دينية', 'شؤون دينية', 'religion', 'religions', 'religious', 'faith'],
  society: ['مجتمع', 'المجتمع', 'مجتمعات', 'اجتماعي', 'اجتماعية', 'شؤون اجتماعية', 'society', 'social', 'community'],
};

/** Key for names: normalized words, ال dropped, punctuation and "&"/"and"/و-joins unified. */
function aliasKey(s: string): string {
  return nameKey(s.replace(/[&+_/-]+/g, ' و ').replace(/\band\b/gi, ' و '))
    .replace(/ و(?=\S)/g, ' و ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ALIAS_INDEX: Map<string, TopicId> = (() => {
  const m = new Map<string, TopicId>();
  for (const id of TOPIC_IDS) {
    m.set(id, id);
    for (const a of [...TOPIC_ALIASES[id], TOPIC_NAMES[id].ar, TOPIC_NAMES[id].en]) {
      const k = aliasKey(a);
      if (k && !m.has(k)) m.set(k, id);
    }
  }
  return m;
})();

/**
 * Topic id from what a user typed: an id ("sports"), an Arabic or English name ("رياضة", "الرياضة",
 * "رياضات", "Sports"), with or without ال, a hash sign or a leading و/ب/ل.
 */
export function resolveTopic(input: string): TopicId | undefined {
  const raw = input.trim().replace(/^[#/]+/, '');
  if (!raw) return undefined;
  const key = aliasKey(raw);
  if (!key) return undefined;
  const tries = [key, key.replace(/_/g, ' ')];
  const ws = key.split(' ');
  if (ws.length === 1) {
    for (const v of cliticVariants(key)) tries.push(dropArticle(v));
    // Plural or feminine forms: رياضات → رياضه, اقتصاديه → اقتصادي.
    for (const v of [...tries]) {
      if (v.endsWith('ات') && v.length > 4) tries.push(v.slice(0, -2) + 'ه', v.slice(0, -2));
      if (v.endsWith('يه') && v.length > 4) tries.push(v.slice(0, -1), v.slice(0, -2) + 'ه');
      if (v.endsWith('ي') && v.length > 3) tries.push(v.slice(0, -1) + 'ه', v.slice(0, -1));
      if (v.endsWith('s') && v.length > 3) tries.push(v.slice(0, -1));
    }
  }
  for (const t of tries) {
    const id = ALIAS_INDEX.get(t);
    if (id) return id;
  }
  // A section name ("مال وأعمال", "middleeast") resolves too.
  return SECTION_INDEX.get(key);
}

// ---------------------------------------------------------------------------------------------------------
// Lexicon index

interface Hit {
  topic: TopicId;
  weight: number;
}
interface Phrase {
  rest: string[];
  key: string;
  hits: Hit[];
}

const SINGLE = new Map<string, { key: string; hits: Hit[] }>();
const PHRASES = new Map<string, Phrase[]>();

function addHit(hits: Hit[], topic: TopicId, weight: number): void {
  const h = hits.find((x) => x.topic === topic);
  if (h) h.weight = Math.max(h.weight, weight);
  else hits.push({ topic, weight });
}

for (const topic of TOPIC_IDS) {
  for (const [term, weight] of Object.entries(TOPIC_LEXICON[topic])) {
    const parts = termKey(term).split(' ').filter(Boolean);
    if (parts.length === 0) continue;
    const key = parts.join(' ');
    if (parts.length === 1) {
      const e = SINGLE.get(key) ?? { key, hits: [] };
      addHit(e.hits, topic, weight);
      SINGLE.set(key, e);
    } else {
      const list = PHRASES.get(parts[0]!) ?? [];
      let p = list.find((x) => x.key === key);
      if (!p) {
        p = { rest: parts.slice(1), key, hits: [] };
        list.push(p);
        list.sort((a, b) => b.rest.length - a.rest.length); // longest phrase first
      }
      addHit(p.hits, topic, weight);
      PHRASES.set(parts[0]!, list);
    }
  }
}

const SECTION_INDEX: Map<string, TopicId> = (() => {
  const m = new Map<string, TopicId>();
  for (const [name, id] of Object.entries(SECTION_TOPICS)) m.set(aliasKey(name), id);
  return m;
})();

/** ال dropped when at least three letters remain (so الله stays الله, not له). */
function noArticle(w: string): string {
  return w.startsWith('ال') && w.length > 4 ? w.slice(2) : w;
}

/** Lexicon key of a term: normalized words, ال dropped from each (see `noArticle`). */
function termKey(term: string): string {
  return normWords(term).map(noArticle).join(' ');
}

/** Article-insensitive readings of a normalized token (clitics stripped), the token itself first. */
function wordReadings(norm: string): string[] {
  const out: string[] = [];
  for (const v of cliticVariants(norm)) {
    const d = noArticle(v);
    if (d.length >= 2 && !out.includes(d)) out.push(d);
  }
  return out;
}

/**
 * Suffix-stripped fallbacks for a reading that matched nothing (plural, feminine, pronoun suffixes, and the
 * accusative tanween of a nisba adjective: اقتصادياً، سياسياً، صحياً → اقتصادي، سياسي، صحي).
 */
function suffixFallbacks(w: string): string[] {
  const out: string[] = [];
  if (w.endsWith('يا') && w.length >= 5) out.push(w.slice(0, -1));
  const m = /(?:ات|ون|ين|يه|ها|هم|ه)$/.exec(w);
  if (m && w.length - m[0].length >= 3) {
    const stem = w.slice(0, -m[0].length);
    out.push(stem);
    if (m[0] === 'ات' || m[0] === 'يه') out.push(stem + 'ه', stem + 'يه');
    if (m[0] === 'ين' || m[0] === 'ون') out.push(stem + 'ين', stem + 'ي');
  }
  return out;
}

/** What the lexicon knows about one normalized word (cached across calls). */
interface WordInfo {
  readings: string[];
  /** Phrases that can start with this word (from all its readings, longest first per reading). */
  phrases: Phrase[] | undefined;
  /** The single-word entry it matches (exactly, or through a suffix fallback at 0.7 weight). */
  single: { key: string; hits: Hit[] } | undefined;
}

const WORD_CACHE = new Map<string, WordInfo>();
const WORD_CACHE_MAX = 100_000;

function wordInfo(w: string): WordInfo {
  let info = WORD_CACHE.get(w);
  if (info) return info;
  const readings = wordReadings(w);
  let phrases: Phrase[] | undefined;
  for (const r of readings) {
    const list = PHRASES.get(r);
    if (list) phrases = phrases ? [...phrases, ...list] : list;
  }
  let single: WordInfo['single'];
  for (const r of readings) {
    const e = SINGLE.get(r);
    if (e) {
      single = e;
      break;
    }
  }
  if (!single) {
    outer: for (const r of readings) {
      for (const f of suffixFallbacks(r)) {
        const e = SINGLE.get(f);
        if (e) {
          single = { key: e.key, hits: e.hits.map((h) => ({ topic: h.topic, weight: h.weight * 0.7 })) };
          break outer;
        }
      }
    }
  }
  info = { readings, phrases, single };
  if (WORD_CACHE.size >= WORD_CACHE_MAX) WORD_CACHE.clear();
  WORD_CACHE.set(w, info);
  return info;
}

/** Matched lexicon entries (by key) with counts, for the normalized words of one text. */
function lexiconCounts(toks: readonly string[]): Map<string, { hits: Hit[]; count: number }> {
  const infos = toks.map(wordInfo);
  const counts = new Map<string, { hits: Hit[]; count: number }>();
  const add = (key: string, hits: Hit[]) => {
    const e = counts.get(key);
    if (e) e.count++;
    else counts.set(key, { hits, count: 1 });
  };
  for (let i = 0; i < toks.length; i++) {
    const info = infos[i]!;
    // Phrases first (longest match).
    let matched = 0;
    if (info.phrases) {
      for (const p of info.phrases) {
        if (i + p.rest.length >= toks.length) continue;
        let ok = true;
        for (let k = 0; k < p.rest.length; k++) {
          const want = p.rest[k]!;
          if (noArticle(toks[i + 1 + k]!) !== want && !infos[i + 1 + k]!.readings.includes(want)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          add(p.key, p.hits);
          matched = p.rest.length + 1;
          break;
        }
      }
    }
    if (matched) {
      i += matched - 1;
      continue;
    }
    if (info.single) add(info.single.key, info.single.hits);
  }
  return counts;
}

/** Topic ids named by feed categories and URL path sections. */
export function sectionTopics(categories: readonly string[] = [], url?: string): TopicId[] {
  const out: TopicId[] = [];
  const push = (id: TopicId | undefined) => {
    if (id && !out.includes(id)) out.push(id);
  };
  for (const c of categories) {
    for (const part of c.split(/\s*[,،/|>»›]\s*/)) {
      const k = aliasKey(part);
      const id = SECTION_INDEX.get(k) ?? resolveTopic(part);
      if (id) push(id);
      // "أخبار الرياضة", "رياضة عالمية", "سياسة واقتصاد": the words that name a topic.
      else if (k.includes(' ')) for (const w of k.split(' ')) if (w.length > 2) push(resolveTopic(w));
    }
  }
  if (url) {
    let path = url;
    try {
      path = decodeURIComponent(new URL(url).pathname);
    } catch {
      /* not a URL: use as is */
    }
    const segs = path.split('/').filter(Boolean).slice(0, 4); // sections come first, the slug last
    for (const seg of segs) push(segmentTopic(seg));
  }
  return out;
}

const SEGMENT_TOPICS = new Map<string, TopicId | null>();

/** Topic named by one URL path segment (memoized: sites reuse a handful of section names). */
function segmentTopic(seg: string): TopicId | undefined {
  if (seg.length > 40) return undefined;
  let id = SEGMENT_TOPICS.get(seg);
  if (id === undefined) {
    id = null;
    if (!/^\d+$/.test(seg)) {
      const s = normalizeArabic(seg);
      id = SECTION_INDEX.get(aliasKey(s)) ?? SECTION_INDEX.get(s) ?? resolveTopic(s.replace(/[-_]/g, ' ')) ?? null;
    }
    if (SEGMENT_TOPICS.size >= 10_000) SEGMENT_TOPICS.clear();
    SEGMENT_TOPICS.set(seg, id);
  }
  return id ?? undefined;
}

export interface TopicInput {
  title: string;
  text: string;
  /**
   * The normalized words of the title and of the text's first `maxTextChars` characters, when the caller
   * has them already (the pipeline's one tokenization of the article; the same words as normWords).
   */
  words?: { title: readonly string[]; text: readonly string[] };
  categories?: readonly string[];
  url?: string;
}

export interface TopicResult {
  /** Topics sorted by score, descending. */
  topics: TopicId[];
  scores: Partial<Record<TopicId, number>>;
}

/** Tuning of the tagger. */
export const TOPIC_TUNING = {
  titleWeight: 3,
  /** Raw evidence that a feed category or URL section adds. */
  sectionWeight: 8,
  /** Saturation scale of raw evidence (score = 1 - exp(-raw / scale)). */
  scale: 10,
  /** Minimum score for a topic to be listed. */
  minScore: 0.3,
  /** Minimum ratio to the strongest topic's raw evidence for a secondary topic. */
  minRatio: 0.2,
  /** Text body words used (long texts are capped so evidence stays comparable). */
  maxTextChars: 6000,
} as const;

/** Raw evidence per topic (`sections`: the topics named by categories and URL, if already computed). */
export function topicEvidence(
  input: TopicInput,
  sections: readonly TopicId[] = sectionTopics(input.categories, input.url),
): Record<TopicId, number> {
  const raw = Object.fromEntries(TOPIC_IDS.map((t) => [t, 0])) as Record<TopicId, number>;
  const addCounts = (counts: Map<string, { hits: Hit[]; count: number }>, mult: number) => {
    for (const { hits, count } of counts.values()) {
      const f = mult * (1 + Math.log(count));
      for (const h of hits) raw[h.topic] += h.weight * f;
    }
  };
  addCounts(lexiconCounts(input.words?.title ?? normWords(input.title)), TOPIC_TUNING.titleWeight);
  addCounts(lexiconCounts(input.words?.text ?? normWords(input.text.slice(0, TOPIC_TUNING.maxTextChars))), 1);
  for (const id of sections) raw[id] += TOPIC_TUNING.sectionWeight;
  return raw;
}

export function tagTopics(input: TopicInput): TopicResult {
  const sectionList = sectionTopics(input.categories, input.url);
  const raw = topicEvidence(input, sectionList);
  const sections = new Set(sectionList);
  let top = 0;
  for (const t of TOPIC_IDS) top = Math.max(top, raw[t]);
  const scores: Partial<Record<TopicId, number>> = {};
  if (top <= 0) return { topics: [], scores };
  // Length-aware scale: long texts accumulate more incidental evidence.
  const words = Math.min(input.text.length, TOPIC_TUNING.maxTextChars) / 6;
  const scale = TOPIC_TUNING.scale * (1 + words / 400);
  const candidates: TopicId[] = [];
  for (const t of TOPIC_IDS) {
    if (raw[t] <= 0) continue;
    const abs = 1 - Math.exp(-raw[t] / scale);
    const rel = raw[t] / top;
    const score = Math.round(abs * (0.5 + 0.5 * rel) * 1000) / 1000;
    if (score <= 0) continue;
    scores[t] = score;
    if (sections.has(t) || (score >= TOPIC_TUNING.minScore && rel >= TOPIC_TUNING.minRatio)) candidates.push(t);
  }
  // The strongest topic is listed even below the minimum score when it has some evidence (a short teaser).
  const best = TOPIC_IDS.reduce((a, b) => (raw[b] > raw[a] ? b : a));
  if (!candidates.includes(best) && (scores[best] ?? 0) >= 0.15) candidates.push(best);
  candidates.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || raw[b] - raw[a]);
  return { topics: candidates, scores };
}
