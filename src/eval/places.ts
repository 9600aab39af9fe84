/**
 * Place-tagging evaluation on public NER corpora (read from the folder given on the command line,
 * never copied into the repo):
 *   ner/anercorp-test.txt   "token TAG" lines, blank line between sentences; gold = LOC spans.
 *   ner/newsfane-gold.txt   "token<TAB>tag" lines (CRLF, U+200E marks), no sentence breaks; gold =
 *                           the geographic place classes (see NEWSFANE_PLACE_CLASSES).
 *
 * Scoring (as in the eval README): same normalization on both sides (alef forms, ى, ة, diacritics,
 * tatweel, bidi marks), Arabic punctuation (، ؛ ؟) stripped from tokens, exact token-span match.
 * Precision = matched / predicted spans, recall = matched / gold spans.
 *
 * Run: npx tsx src/eval/places.ts /work/shared/eval
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadGazetteer, type Gazetteer } from '../pipeline/gazetteer.js';
import { normalizeArabic } from '../pipeline/normalize.js';
import { tagTokenSpans } from '../pipeline/places.js';

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  gold: number;
  predicted: number;
  correct: number;
}

/** NewsFANE fine classes that are geographic places (GPE and natural locations). */
export const NEWSFANE_GPE_CLASSES = ['Nation', 'State-or-Province', 'County-or-District', 'Population-Center'];
export const NEWSFANE_PLACE_CLASSES = [
  ...NEWSFANE_GPE_CLASSES,
  'GPE-Cluster',
  'Continent',
  'Water-Body',
  'Land-Region-Natural',
];

interface Doc {
  tokens: string[];
  /** gold spans as "start:end" with their tag */
  gold: Map<string, string>;
}

const PUNCT = /[،؛؟]/g;
const clean = (t: string) => normalizeArabic(t.replace(PUNCT, ''));

/** BIO tags to spans (an I- tag that does not continue a span starts one). */
function spans(tags: string[], keep: (cls: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  let start = -1;
  let cls = '';
  const close = (end: number) => {
    if (start >= 0 && keep(cls)) out.set(`${start}:${end}`, cls);
    start = -1;
  };
  tags.forEach((t, i) => {
    if (t.startsWith('B-') || (t.startsWith('I-') && t.slice(2) !== cls) || (t.startsWith('I-') && start < 0)) {
      close(i);
      start = i;
      cls = t.slice(2);
    } else if (!t.startsWith('I-')) close(i);
  });
  close(tags.length);
  return out;
}

export function readAnercorp(text: string): Doc[] {
  const docs: Doc[] = [];
  let toks: string[] = [];
  let tags: string[] = [];
  const flush = () => {
    if (toks.length) docs.push({ tokens: toks, gold: spans(tags, (c) => c === 'LOC') });
    toks = [];
    tags = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      flush();
      continue;
    }
    const sp = line.lastIndexOf(' ');
    toks.push(clean(line.slice(0, sp)));
    tags.push(line.slice(sp + 1).trim());
  }
  flush();
  return docs;
}

export function readNewsfane(text: string, classes = NEWSFANE_PLACE_CLASSES): Doc[] {
  const keep = new Set(classes);
  const toks: string[] = [];
  const tags: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/[\u200e\u200f\ufeff]/g, '');
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    toks.push(clean(line.slice(0, tab)));
    tags.push(line.slice(tab + 1).trim() || 'O');
  }
  return [{ tokens: toks, gold: spans(tags, (c) => keep.has(c)) }];
}

export interface EvalDetail extends Prf {
  fp: Map<string, number>;
  fn: Map<string, number>;
}

/** Our place kinds that the NewsFANE GPE classes cover (not regions, continents, waters, areas, crossings). */
const GPE_KINDS = new Set(['country', 'governorate', 'city', 'town', 'village', 'camp']);

/** `keep`: which of our tagged places count as predictions (all by default). */
export function score(docs: Doc[], gaz: Gazetteer = loadGazetteer(), keep: (id: string) => boolean = () => true): EvalDetail {
  let gold = 0;
  let predicted = 0;
  let correct = 0;
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const d of docs) {
    const pred = new Set(
      tagTokenSpans(d.tokens, gaz)
        .filter((s) => keep(s.id))
        .map((s) => `${s.start}:${s.end}`),
    );
    gold += d.gold.size;
    predicted += pred.size;
    const text = (k: string) => {
      const [a, b] = k.split(':').map(Number);
      return d.tokens.slice(a, b).join(' ');
    };
    for (const k of pred) if (d.gold.has(k)) correct++;
      else inc(fp, text(k));
    for (const k of d.gold.keys()) if (!pred.has(k)) inc(fn, text(k));
  }
  const precision = predicted ? correct / predicted : 0;
  const recall = gold ? correct / gold : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, gold, predicted, correct, fp, fn };
}

const strip = ({ fp: _fp, fn: _fn, ...rest }: EvalDetail): Prf => rest;

export async function evalPlaces(folder: string): Promise<{ anercorp: Prf; newsfane: Prf; newsfaneGpe: Prf; newsfaneGpeKinds: Prf }> {
  const gaz = loadGazetteer();
  const aner = readFileSync(join(folder, 'ner', 'anercorp-test.txt'), 'utf8');
  const nf = readFileSync(join(folder, 'ner', 'newsfane-gold.txt'), 'utf8');
  return {
    anercorp: strip(score(readAnercorp(aner), gaz)),
    newsfane: strip(score(readNewsfane(nf), gaz)),
    newsfaneGpe: strip(score(readNewsfane(nf, NEWSFANE_GPE_CLASSES), gaz)),
    // Like for like: only our places of the kinds those four classes cover count as predictions.
    newsfaneGpeKinds: strip(score(readNewsfane(nf, NEWSFANE_GPE_CLASSES), gaz, (id) => GPE_KINDS.has(gaz.get(id)?.kind ?? ''))),
  };
}

async function main() {
  const folder = process.argv[2] ?? '/work/shared/eval';
  const verbose = process.argv.includes('--errors');
  const t0 = performance.now();
  const res = await evalPlaces(folder);
  const ms = performance.now() - t0;
  const f = (x: number) => x.toFixed(3);
  console.log('corpus                         gold  pred  P      R      F1');
  for (const [name, r] of Object.entries(res))
    console.log(
      `${name.padEnd(30)} ${String(r.gold).padStart(5)} ${String(r.predicted).padStart(5)}  ${f(r.precision)}  ${f(r.recall)}  ${f(r.f1)}`,
    );
  console.log(`(${ms.toFixed(0)} ms)`);
  console.log(JSON.stringify(res));
  if (verbose) {
    const gaz = loadGazetteer();
    const top = (m: Map<string, number>) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, 80).map(([k, v]) => `${k}×${v}`).join('  ');
    const a = score(readAnercorp(readFileSync(join(folder, 'ner', 'anercorp-test.txt'), 'utf8')), gaz);
    const n = score(readNewsfane(readFileSync(join(folder, 'ner', 'newsfane-gold.txt'), 'utf8')), gaz);
    console.log('\nANERcorp FP:', top(a.fp), '\n\nANERcorp FN:', top(a.fn));
    console.log('\nNewsFANE FP:', top(n.fp), '\n\nNewsFANE FN:', top(n.fn));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
