import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeMulti, rougeN, rougeTokens } from '../../src/eval/rouge.ts';
import { leadCut, leadWhole } from '../../src/eval/easc.ts';

describe('rougeTokens', () => {
  it.each([
    ['أحمد ذهب إلى المدرسة', ['احمد', 'ذهب', 'الي', 'المدرسه']],
    ['مُحَمَّدٌ رسولُ الله', ['محمد', 'رسول', 'الله']],
    ['قال، إن الوضع؛ مستقر؟ نعم.', ['قال', 'ان', 'الوضع', 'مستقر', 'نعم']],
    ['«الخلافة» (داعش) - ٢٠١٤', ['الخلافه', 'داعش', '2014']],
    ['\u200fمرحبا\u200e بكم', ['مرحبا', 'بكم']],
    ['', []],
  ])('%s', (text, tokens) => {
    expect(rougeTokens(text)).toEqual(tokens);
  });
});

describe('ROUGE scores', () => {
  it.each([
    // [candidate, reference, r1, r2, rl]
    ['ا ب ج د', 'ا ب ج د', 1, 1, 1],
    ['ا ب ج د', 'ه و ز ح', 0, 0, 0],
    ['ا ب ج د', 'ا ب ه د', 0.75, 1 / 3, 0.75],
    ['ا ا ا', 'ا ب', 0.4, 0, 0.4],
    ['د ج ب ا', 'ا ب ج د', 1, 0, 0.25],
    ['ا ب', 'ا ب ج د', 2 / 3, 0.5, 2 / 3],
  ])('%s | %s', (cand, ref, r1, r2, rl) => {
    const s = rouge(cand, ref);
    expect(s.r1).toBeCloseTo(r1, 6);
    expect(s.r2).toBeCloseTo(r2, 6);
    expect(s.rl).toBeCloseTo(rl, 6);
  });

  it('normalizes both sides the same way', () => {
    expect(rouge('أعلنت الحكومةُ، إنّ الموازنة جاهزة.', 'اعلنت الحكومه ان الموازنه جاهزه').r1).toBe(1);
  });

  it('rougeN on empty input is 0', () => {
    expect(rougeN([], ['ا'], 1)).toBe(0);
    expect(rougeN(['ا'], [], 2)).toBe(0);
  });

  it('lcsLength', () => {
    expect(lcsLength(['ا', 'ب', 'ج', 'د', 'ه'], ['ب', 'د', 'ه', 'ا'])).toBe(3);
    expect(lcsLength([], ['ا'])).toBe(0);
  });
});

describe('rougeMulti', () => {
  it('averages over references, cutting the candidate at each reference length', () => {
    const refs = ['ا ب', 'ا ب ج د'];
    const seen: number[] = [];
    const s = rougeMulti((n) => {
      seen.push(n);
      return 'ا ب ج د ه و';
    }, refs);
    expect(seen).toEqual([2, 4]);
    expect(s.r1).toBe(1);
    expect(s.r2).toBe(1);
    expect(s.rl).toBe(1);
  });

  it('no references gives zeros', () => {
    expect(rougeMulti(() => 'ا', [])).toEqual({ r1: 0, r2: 0, rl: 0 });
  });
});

describe('Lead baselines', () => {
  const sents = ['ا ب ج.', 'د ه و ز.', 'ح ط.'];
  it('leadWhole keeps only whole sentences that fit', () => {
    expect(leadWhole(sents, 2)).toBe('');
    expect(leadWhole(sents, 6)).toBe('ا ب ج.');
    expect(leadWhole(sents, 7)).toBe('ا ب ج. د ه و ز.');
  });
  it('leadCut cuts the last sentence at the budget', () => {
    expect(leadCut(sents, 5)).toBe('ا ب ج د ه');
  });
});
