import { describe, expect, it } from 'vitest';
import { tokensFromText, tokensToText } from '../../src/pipeline/token-text.ts';

describe('tokens as one string', () => {
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
});
