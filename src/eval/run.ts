import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evalSummaries, evalTopics } from './easc.js';
import { evalPlaces } from './places.js';

type Out = { write(s: string): unknown };

/** The files `runEval` reads, laid out as in ../shared/eval (see its README). */
export const CORPUS_FILES = ['ner/anercorp-test.txt', 'ner/newsfane-gold.txt', 'easc/easc.jsonl'] as const;

/** The corpus files missing from `folder`. */
export function missingCorpora(folder: string): string[] {
  return CORPUS_FILES.filter((f) => !existsSync(join(folder, f)));
}

/** `npm run eval -- <folder>`: places, summaries and topics on the public corpora; a table, then JSON. */
export async function runEval(folder: string, out: Out): Promise<number> {
  const t0 = performance.now();
  const places = await evalPlaces(folder);
  const summaries = await evalSummaries(folder);
  const topics = await evalTopics(folder);
  const f = (x: number) => x.toFixed(3);
  const pct = (x: number) => (100 * x).toFixed(1);
  /** An accuracy with its count, never rounded up to a target it misses. */
  const frac = (x: number) => `${Math.round(x * topics.n)}/${topics.n} = ${(Math.floor(x * 10_000) / 10_000).toFixed(4)}`;
  const label: Record<keyof typeof places, string> = {
    anercorp: 'ANERcorp LOC',
    newsfane: 'NewsFANE places (8 classes)',
    newsfaneGpe: 'NewsFANE GPE (4 classes)',
    newsfaneGpeKinds: '  same, our GPE kinds only',
  };
  const targeted = new Set(['anercorp', 'newsfane']);
  const rows = [
    'Places (exact span)             gold   pred   P      R      F1     target',
    ...Object.entries(places).map(
      ([name, r]) =>
        `${label[name as keyof typeof places].padEnd(30)} ${String(r.gold).padStart(5)} ${String(r.predicted).padStart(6)}   ${f(r.precision)}  ${f(r.recall)}  ${f(r.f1)}  ${targeted.has(name) ? '≥ 0.82' : ''}`,
    ),
    '',
    `Summaries, EASC (${summaries.n} articles, word budget = reference)   R-1    R-2    R-L`,
    `  Nabaa                                                 ${pct(summaries.system.r1)}   ${pct(summaries.system.r2)}   ${pct(summaries.system.rl)}`,
    `  Lead (same code)                                      ${pct(summaries.lead.r1)}   ${pct(summaries.lead.r2)}   ${pct(summaries.lead.rl)}`,
    '',
    `Topics, EASC: top-1 accuracy ${frac(topics.accuracy)} (any rank ${f(topics.recallAny)}); target ≥ 0.85`,
    `  with EASC politics also accepting our security (EASC has no security topic): ${frac(topics.accuracyLenient)}`,
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  ];
  out.write(`${rows.join('\n')}\n\n`);
  const json = {
    places,
    summaries: { system: summaries.system, lead: summaries.lead, n: summaries.n },
    topics: { accuracy: topics.accuracy, accuracyLenient: topics.accuracyLenient, recallAny: topics.recallAny, n: topics.n, confusion: topics.confusion },
  };
  out.write(`${JSON.stringify(json)}\n`);
  return 0;
}
