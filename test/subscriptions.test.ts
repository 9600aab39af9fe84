import { describe, expect, it } from 'vitest';
import { englishKey, placeIdForEnglish } from '../src/pipeline/english-names.js';
import { loadGazetteer } from '../src/pipeline/gazetteer.js';
import { resolveTarget } from '../src/subscriptions.js';

const gaz = loadGazetteer();

describe('resolveTarget: what /subscribe understands', () => {
  it.each([
    ['رياضة', { kind: 'topic', id: 'sports' }],
    ['sports', { kind: 'topic', id: 'sports' }],
    ['الاقتصاد', { kind: 'topic', id: 'economy' }],
    ['الحسكة', { kind: 'place', id: 'SY-HA' }],
    ['حسكة', { kind: 'place', id: 'SY-HA' }],
    ['دير الزور', { kind: 'place', id: 'SY-DY' }],
    ['سورية', { kind: 'place', id: 'SY' }],
    ['أمريكا', { kind: 'place', id: 'US' }],
    ['الباغوز', { kind: 'place', id: 'x:baghouz' }],
    ['Syria', { kind: 'place', id: 'SY' }],
    ['united states', { kind: 'place', id: 'US' }],
    ['Middle East', { kind: 'place', id: 'x:middle-east' }],
    ['داعش', { kind: 'keyword', id: 'داعش' }],
    ['Hezbollah', { kind: 'keyword', id: 'Hezbollah' }],
  ])('%s', (input, expected) => {
    expect(resolveTarget(input, gaz)).toEqual(expected);
  });

  it('English city names resolve to the city inside its country', () => {
    const id = resolveTarget('Damascus', gaz);
    expect(id?.kind).toBe('place');
    expect(gaz.path(id!.id)).toEqual(expect.arrayContaining(['سوريا', 'دمشق']));
    expect(gaz.path(placeIdForEnglish('Hasakah')!)[0]).toBe('سوريا'); // "al" is optional
  });

  it('a single letter is not a keyword', () => {
    expect(resolveTarget('و', gaz)).toBeUndefined();
  });

  it('englishKey folds case, accents and punctuation', () => {
    expect(englishKey('  Deir ez-Zor ')).toBe('deir ez zor');
    expect(englishKey('Lòria')).toBe('loria');
  });
});
