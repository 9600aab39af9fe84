/**
 * ROUGE-1, ROUGE-2 and ROUGE-L (F1) for Arabic text.
 *
 * Both sides are normalized the same way: `normalizeArabic` (alef forms → ا, ى → ي, ة → ه, no tashkeel
 * or tatweel, no bidi marks), Arabic punctuation (، ؛ ؟) and other punctuation stripped, then split into
 * word tokens. No stemming, no stop-word removal.
 */
import { words } from '../pipeline/normalize.ts';

export interface RougeScores {
  r1: number;
  r2: number;
  rl: number;
}

/** Scoring tokens of a text: normalized words, punctuation (including ، ؛ ؟) removed. */
export function rougeTokens(text: string): string[] {
  return words(text.replace(/[،؛؟]/g, ' '));
}

function f1(overlap: number, candLen: number, refLen: number): number {
  if (overlap === 0 || candLen === 0 || refLen === 0) return 0;
  const p = overlap / candLen;
  const r = overlap / refLen;
  return (2 * p * r) / (p + r);
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/** ROUGE-N F1 between two token lists (clipped n-gram counts). */
export function rougeN(cand: readonly string[], ref: readonly string[], n: number): number {
  const c = ngramCounts(cand, n);
  const r = ngramCounts(ref, n);
  let overlap = 0;
  for (const [k, v] of c) overlap += Math.min(v, r.get(k) ?? 0);
  return f1(overlap, Math.max(0, cand.length - n + 1), Math.max(0, ref.length - n + 1));
}

/** Length of the longest common subsequence (O(n·m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ai === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** ROUGE-L F1 (LCS over the whole texts). */
export function rougeL(cand: readonly string[], ref: readonly string[]): number {
  return f1(lcsLength(cand, ref), cand.length, ref.length);
}

/** All three scores between a candidate and one reference (token lists or raw text). */
export function rouge(cand: string | readonly string[], ref: string | readonly string[]): RougeScores {
  const c = typeof cand === 'string' ? rougeTokens(cand) : cand;
  const r = typeof ref === 'string' ? rougeTokens(ref) : ref;
  return { r1: rougeN(c, r, 1), r2: rougeN(c, r, 2), rl: rougeL(c, r) };
}

/**
 * Scores averaged over several references. `candidateFor(refWordCount)` returns the candidate summary for a
 * reference of that length (the evaluation cuts the system summary at each reference's word count); the
 * candidate is also cut to that many scoring tokens.
 */
export function rougeMulti(
  candidateFor: (refWords: number) => string,
  references: readonly string[],
): RougeScores {
  const sum = { r1: 0, r2: 0, rl: 0 };
  if (references.length === 0) return sum;
  for (const refText of references) {
    const ref = rougeTokens(refText);
    const cand = rougeTokens(candidateFor(ref.length)).slice(0, ref.length);
    const s = rouge(cand, ref);
    sum.r1 += s.r1;
    sum.r2 += s.r2;
    sum.rl += s.rl;
  }
  const n = references.length;
  return { r1: sum.r1 / n, r2: sum.r2 / n, rl: sum.rl / n };
}
