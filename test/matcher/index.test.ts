import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_PATH } from '../fixtures/seed.js';
import { MatchIndex } from '../../src/matcher/index.js';
import { findKeywords, indexByFirstWord, keywordKey } from '../../src/matcher/keywords.js';
import { cliticVariants, words } from '../../src/pipeline/normalize.js';
import type { ChatProfile } from '../../src/types.js';

const profile = (id: number, p: Partial<ChatProfile>): ChatProfile => ({
  id,
  type: 'private',
  locale: 'ar',
  active: true,
  strikes: 0,
  topics: [],
  places: [],
  keywords: [],
  createdAt: 0,
  ...p,
});

describe('keywords', () => {
  it.each([
    ['داعش', 'هجوم جديد لداعش في البادية', true],
    ['داعش', 'قال إن وداعش ما زالت تنشط', true],
    ['داعش', 'الدواعش', false],
    ['سد النهضة', 'مفاوضات بشأن سد النهضة الإثيوبي', true],
    ['سد النهضة', 'وبسد النهضة تتعلق المفاوضات', true],
    ['سد النهضة', 'سد آخر على النهر', false],
    ['إسرائيل', 'قصفت اسرائيل مواقع', true],
    ['Gaza', 'news from gaza today', true],
  ])('%s in "%s" → %s', (kw, text, expected) => {
    const key = keywordKey(kw);
    expect(findKeywords(words(text), indexByFirstWord([key])).has(key)).toBe(expected);
  });

  it('finds a key exactly where one of a token\'s clitic readings is its first word', () => {
    // Every word of the seed article, as written and with clitic prefixes, against keys made of its words.
    const seed = words(readFileSync(SEED_PATH, 'utf8'));
    const vocabulary = [...new Set(seed)];
    const prefixes = ['', 'و', 'ف', 'ب', 'ل', 'ك', 'ال', 'وال', 'بال', 'لل', 'ولل', 'وب', 'فل', 'وبال', 'فلل'];
    const tokens = vocabulary.flatMap((w, i) => [w, prefixes[i % prefixes.length]! + w, prefixes[(i * 7) % prefixes.length]! + w]);
    const keys = vocabulary.filter((_, i) => i % 3 === 0);
    const index = indexByFirstWord(keys);
    for (const [i, token] of tokens.entries()) {
      const expected = keys.filter((k) => cliticVariants(token).includes(k)).sort();
      expect([...findKeywords([token], index)].sort(), `${i}: ${token}`).toEqual(expected);
    }
  });
});

describe('MatchIndex', () => {
  const article = { placeIds: ['SY', 'SY-DY', 'x:baghuz'], topics: ['security' as const], tokens: words('معركة الباغوز ضد داعش') };

  it('matches places with ancestors, topics and keywords, most specific reason first', () => {
    const idx = new MatchIndex();
    idx.set(profile(1, { places: ['SY'] }));
    idx.set(profile(2, { topics: ['security'] }));
    idx.set(profile(3, { keywords: ['داعش'], topics: ['security'] }));
    idx.set(profile(4, { places: ['IQ'], topics: ['sports'] }));
    const m = idx.match(article);
    expect([...m.keys()].sort()).toEqual([1, 2, 3]);
    expect(m.get(1)).toEqual({ kind: 'place', id: 'SY' });
    expect(m.get(2)).toEqual({ kind: 'topic', id: 'security' });
    expect(m.get(3)).toEqual({ kind: 'keyword', id: 'داعش' });
  });

  it('leaves out paused and deactivated chats, and follows profile changes', () => {
    const idx = new MatchIndex();
    idx.set(profile(1, { places: ['SY'], active: false }));
    idx.set(profile(2, { places: ['SY'], deactivated: 'blocked' }));
    idx.set(profile(3, { places: ['SY'] }));
    expect([...idx.match(article).keys()]).toEqual([3]);
    idx.set(profile(3, { places: ['IQ'] }));
    expect(idx.match(article).size).toBe(0);
    idx.set(profile(1, { places: ['SY'] }));
    expect([...idx.match(article).keys()]).toEqual([1]);
    idx.remove(1);
    expect(idx.size).toBe(1);
  });

  it('finds broadcast audiences by topic and by place including places inside it', () => {
    const idx = new MatchIndex();
    idx.set(profile(1, { places: ['SY-DY'] }));
    idx.set(profile(2, { topics: ['sports'] }));
    idx.set(profile(3, { places: ['IQ'] }));
    expect(idx.audience().sort()).toEqual([1, 2, 3]);
    expect(idx.audience({ topic: 'sports' })).toEqual([2]);
    expect(idx.audience({ place: 'SY', placeWithin: (id) => id.startsWith('SY') })).toEqual([1]);
  });
});
