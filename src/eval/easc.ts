/**
 * Evaluation of the summarizer and the topic tagger on EASC (Essex Arabic Summaries Corpus).
 *
 *   npx tsx src/eval/easc.ts /work/shared/eval
 *
 * Reads `<folder>/easc/easc.jsonl` (one JSON object a line: id, topic, title, article, summaries[5]).
 * The data is read from the given folder and never copied into the repository.
 *
 * Summaries: ROUGE-1/2/L F1 averaged over the 5 references, the summary cut at each reference's word count
 * (see rouge.ts for the normalization), then averaged over articles. Baselines computed by the same code:
 * - lead: the first whole sentences that fit within the reference length (the README's Lead, 52.0/44.2/47.3);
 * - leadCut: the first sentences with the last one cut at the budget (same filling rule as the system).
 * The system is also scored with whole sentences only (`systemWhole`) for a like-for-like comparison with lead.
 *
 * Topics: top-1 accuracy of `tagTopics` against EASC's topic mapped to our ids (tourism counts as culture
 * or economy).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanParagraphs, splitSentences } from '../pipeline/sentences.ts';
import { fingerprint } from '../pipeline/story.ts';
import { scoreSentences, summarize, DEFAULT_WEIGHTS, type ScoreWeights } from '../pipeline/summarize.ts';
import { tagTopics } from '../pipeline/topics.ts';
import type { TopicId } from '../types.ts';
import { rougeMulti, rougeTokens, type RougeScores } from './rouge.ts';

export interface EascRecord {
  id: string;
  topic: string;
  title: string;
  article: string;
  summaries: string[];
}

export async function readEasc(folder: string): Promise<EascRecord[]> {
  const raw = await readFile(join(folder, 'easc', 'easc.jsonl'), 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EascRecord);
}

/**
 * EASC topic → the ids that count as correct. EASC has no security topic: its "politics" articles include
 * wars and arrests, which our taxonomy files under security; `EASC_TOPIC_MAP_LENIENT` also accepts that.
 */
export const EASC_TOPIC_MAP: Record<string, TopicId[]> = {
  'art and music': ['culture'],
  environment: ['environment'],
  politics: ['politics'],
  finance: ['economy'],
  health: ['health'],
  'science and technology': ['technology'],
  tourisms: ['culture', 'economy'],
  sport: ['sports'],
  religion: ['religion'],
  education: ['education'],
};

export const EASC_TOPIC_MAP_LENIENT: Record<string, TopicId[]> = {
  ...EASC_TOPIC_MAP,
  politics: ['politics', 'security'],
};

function mean(xs: RougeScores[]): RougeScores {
  const s = { r1: 0, r2: 0, rl: 0 };
  for (const x of xs) {
    s.r1 += x.r1;
    s.r2 += x.r2;
    s.rl += x.rl;
  }
  const n = xs.length || 1;
  return { r1: s.r1 / n, r2: s.r2 / n, rl: s.rl / n };
}

function rawSentences(article: string): string[] {
  return article
    .split(/\n+/)
    .flatMap((l) => splitSentences(l.trim()))
    .filter(Boolean);
}

/** First whole sentences that fit within `budget` words (nothing cut). */
export function leadWhole(sentences: readonly string[], budget: number): string {
  const out: string[] = [];
  let n = 0;
  for (const s of sentences) {
    const w = rougeTokens(s).length;
    if (n + w > budget) break;
    out.push(s);
    n += w;
  }
  return out.join(' ');
}

/** Sentences in document order, skipping those that do not fit, until `budget` (the packing of systemWhole). */
export function leadPacked(sentences: readonly string[], budget: number): string {
  const out: string[] = [];
  let n = 0;
  for (const s of sentences) {
    const w = rougeTokens(s).length;
    if (n + w > budget) continue;
    out.push(s);
    n += w;
  }
  return out.join(' ');
}

/** First sentences with the last one cut at `budget` words. */
export function leadCut(sentences: readonly string[], budget: number): string {
  return rougeTokens(sentences.join(' ')).slice(0, budget).join(' ');
}

/** System summary with whole sentences only: ranked sentences that fit within the budget. */
function systemWhole(title: string, article: string, budget: number, weights: ScoreWeights): string {
  const scored = scoreSentences(title, article, weights).sort((a, b) => b.score - a.score);
  const picked = [];
  let n = 0;
  for (const s of scored) {
    if (n + s.words > budget) continue;
    picked.push(s);
    n += s.words;
  }
  return picked
    .sort((a, b) => a.index - b.index)
    .map((s) => s.text)
    .join(' ');
}

/** ROUGE F1 as fractions in 0..1 (the printed table shows them × 100). */
export interface SummaryEval {
  system: RougeScores;
  lead: RougeScores;
  leadCut: RougeScores;
  systemWhole: RougeScores;
  /** Lead with the same packing as systemWhole (skips sentences that do not fit). */
  leadPacked: RougeScores;
  n: number;
}

export async function evalSummaries(
  folder: string,
  summarizer: (title: string, article: string, budget: number) => string = (t, a, b) =>
    summarize(t, a, { budgetWords: b }),
): Promise<SummaryEval> {
  const rows = await readEasc(folder);
  const sys: RougeScores[] = [];
  const lead: RougeScores[] = [];
  const lcut: RougeScores[] = [];
  const whole: RougeScores[] = [];
  const packed: RougeScores[] = [];
  for (const r of rows) {
    const sents = rawSentences(r.article);
    sys.push(rougeMulti((n) => summarizer(r.title, r.article, n), r.summaries));
    lead.push(rougeMulti((n) => leadWhole(sents, n), r.summaries));
    lcut.push(rougeMulti((n) => leadCut(sents, n), r.summaries));
    whole.push(rougeMulti((n) => systemWhole(r.title, r.article, n, DEFAULT_WEIGHTS), r.summaries));
    packed.push(rougeMulti((n) => leadPacked(sents, n), r.summaries));
  }
  return {
    system: mean(sys),
    lead: mean(lead),
    leadCut: mean(lcut),
    systemWhole: mean(whole),
    leadPacked: mean(packed),
    n: rows.length,
  };
}

export interface TopicEval {
  /** Top-1 accuracy with EASC_TOPIC_MAP. */
  accuracy: number;
  /** Top-1 accuracy with EASC_TOPIC_MAP_LENIENT (politics may be security). */
  accuracyLenient: number;
  /** Share of articles whose gold topic is among the predicted topics (any rank). */
  recallAny: number;
  n: number;
  /** gold EASC topic → predicted top topic → count. */
  confusion: Record<string, Record<string, number>>;
  errors: { id: string; gold: string; predicted: TopicId[] }[];
}

export async function evalTopics(folder: string): Promise<TopicEval> {
  const rows = await readEasc(folder);
  let ok = 0;
  let okLenient = 0;
  let any = 0;
  const confusion: Record<string, Record<string, number>> = {};
  const errors: TopicEval['errors'] = [];
  for (const r of rows) {
    const gold = EASC_TOPIC_MAP[r.topic] ?? [];
    const { topics } = tagTopics({ title: r.title, text: r.article });
    const top = topics[0] ?? 'none';
    const row = (confusion[r.topic] ??= {});
    row[top] = (row[top] ?? 0) + 1;
    if (gold.includes(top as TopicId)) ok++;
    if ((EASC_TOPIC_MAP_LENIENT[r.topic] ?? []).includes(top as TopicId)) okLenient++;
    else errors.push({ id: r.id, gold: r.topic, predicted: topics });
    if (topics.some((t) => gold.includes(t))) any++;
  }
  return { accuracy: ok / (rows.length || 1), accuracyLenient: okLenient / (rows.length || 1), recallAny: any / (rows.length || 1), n: rows.length, confusion, errors };
}

/**
 * Cost of summarize + tagTopics + fingerprint per article, as the pipeline calls them (cleanParagraphs first,
 * then summarize on the same text), in CPU milliseconds (process CPU time, so other load on the machine
 * matters less than with wall time).
 */
export async function timeEasc(folder: string, rounds = 5): Promise<{ perArticleMs: number; articles: number }> {
  const rows = await readEasc(folder);
  const run = (r: EascRecord, k: number) => {
    const title = k ? `${r.title} ${k}` : r.title; // a different title defeats the one-entry cleaning memo
    const paras = cleanParagraphs(title, r.article);
    summarize(title, r.article);
    tagTopics({ title, text: paras.join('\n\n') });
    fingerprint(title, paras[0] ?? '');
  };
  for (const r of rows) run(r, 0); // warm-up
  const c0 = process.cpuUsage();
  let n = 0;
  for (let k = 1; k <= rounds; k++) {
    for (const r of rows) {
      run(r, k);
      n++;
    }
  }
  const c = process.cpuUsage(c0);
  return { perArticleMs: (c.user + c.system) / 1000 / n, articles: n };
}

async function main(): Promise<void> {
  const folder = resolve(process.argv[2] ?? '/work/shared/eval');
  const s = await evalSummaries(folder);
  const t = await evalTopics(folder);
  const f = (x: number) => (x * 100).toFixed(1).padStart(6);
  const line = (name: string, r: RougeScores) => `${name.padEnd(36)}${f(r.r1)}${f(r.r2)}${f(r.rl)}`;
  console.log(`EASC summaries (n=${s.n}), ROUGE F1 x100, cut at each reference's length`);
  console.log(`${'system'.padEnd(36)}${'R-1'.padStart(6)}${'R-2'.padStart(6)}${'R-L'.padStart(6)}`);
  console.log(line('Nabaa (budget, last sentence cut)', s.system));
  console.log(line('Lead, last sentence cut', s.leadCut));
  console.log(line('Nabaa (whole sentences only)', s.systemWhole));
  console.log(line('Lead, whole sentences, packed', s.leadPacked));
  console.log(line('Lead (whole sentences, README)', s.lead));
  console.log();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `EASC topics (n=${t.n}): top-1 accuracy ${pct(t.accuracy)} (tourism = culture or economy), ` +
      `${pct(t.accuracyLenient)} if politics may also be security; gold among the tags ${pct(t.recallAny)}`,
  );
  for (const [gold, row] of Object.entries(t.confusion)) {
    const cells = Object.entries(row)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}:${v}`)
      .join(' ');
    console.log(`  ${gold.padEnd(24)}${cells}`);
  }
  const timing = await timeEasc(folder);
  const avgChars = (await readEasc(folder)).reduce((a, r) => a + r.article.length, 0) / (t.n || 1);
  console.log(
    `\ncleanParagraphs+summarize+tagTopics+fingerprint: ${timing.perArticleMs.toFixed(3)} CPU ms/article ` +
      `(EASC articles, ${Math.round(avgChars)} chars on average)`,
  );
  console.log(
    JSON.stringify({ summaries: s, topics: { accuracy: t.accuracy, accuracyLenient: t.accuracyLenient, recallAny: t.recallAny, n: t.n, confusion: t.confusion }, timing }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
