import { describe, expect, it } from 'vitest';
import { fromWire, storedAnalysis, storedMembers, tokensFromText, tokensToText, toWire } from '../../src/pipeline/analysis-text.ts';
import { analyze } from '../../src/pipeline/pipeline.ts';
import { seedArticle } from '../fixtures/seed.ts';

describe('an analysis as text', () => {
  it('round-trips, empty included', () => {
    for (const tokens of [[], ['داعش'], ['دير', 'الزور', '2024', 'سوريا']]) {
      const text = tokensToText(tokens);
      expect(text).toBe(tokens.join(' '));
      expect(tokensFromText(text)).toEqual(tokens);
    }
  });

  it('gives back the very string an array was made from, and joins any other array', () => {
    const text = `دمشق ${'حلب '.repeat(50)}`.trim();
    const tokens = tokensFromText(text);
    expect(tokensToText(tokens)).toBe(text);
    const copy = [...tokens];
    expect(tokensToText(copy)).toBe(text);
  });

  it('crosses threads whole, with the stored members serialized once by the sender', () => {
    const a = analyze(seedArticle());
    const wire = structuredClone(toWire(a));
    const back = fromWire(wire);
    expect(back).toEqual(a);
    expect(storedMembers(back)).toBe(wire.stored);
    const { tokens, ...rest } = storedAnalysis(a);
    expect(JSON.parse(`{${wire.stored}}`)).toEqual(JSON.parse(JSON.stringify(rest)));
    expect(tokens).toBe(wire.tokens);
  });
});
