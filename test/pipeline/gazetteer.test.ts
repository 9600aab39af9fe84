import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';

const gaz = loadGazetteer();

describe('gazetteer data', () => {
  it('loads once, quickly, with thousands of places', () => {
    expect(gaz.size).toBeGreaterThan(3000);
    expect(loadGazetteer()).toBe(gaz);
  });

  it.each([
    ['SY', 'سوريا', 'country'],
    ['GB', 'بريطانيا', 'country'],
    ['SY-DY', 'دير الزور', 'governorate'],
    ['LB-AK', 'عكار', 'governorate'],
    ['LB-BH', 'بعلبك الهرمل', 'governorate'],
    ['x:iq-krd', 'إقليم كردستان', 'governorate'],
    ['x:baghouz', 'الباغوز', 'village'],
    ['x:al-hol', 'مخيم الهول', 'camp'],
    ['x:middle-east', 'الشرق الأوسط', 'region'],
    ['x:europe', 'أوروبا', 'continent'],
    ['x:euphrates', 'نهر الفرات', 'water'],
  ])('%s is %s (%s)', (id, name, kind) => {
    const p = gaz.get(id);
    expect(p?.name).toBe(name);
    expect(p?.kind).toBe(kind);
    expect(p?.src).toMatch(/^(iso|iso2|gn|overlay)(\+(overlay|gn))?$/);
  });

  it.each([
    ['x:baghouz', ['سوريا', 'دير الزور', 'الباغوز']],
    ['x:al-hol', ['سوريا', 'الحسكة', 'مخيم الهول']],
    ['x:sy-dy-east', ['سوريا', 'دير الزور', 'ريف دير الزور الشرقي']],
    ['x:sy-jazira', ['سوريا', 'الجزيرة السورية']],
    ['SY', ['سوريا']],
    ['LB-AK', ['لبنان', 'عكار']],
  ])('path(%s)', (id, path) => {
    expect(gaz.path(id)).toEqual(path);
  });

  it('ancestors include the place, parents, country and containing regions', () => {
    const a = gaz.ancestors('x:baghouz');
    expect(a[0]).toBe('x:baghouz');
    for (const id of ['SY-DY', 'SY', 'x:sy-dy-east', 'x:sy-jazira', 'x:sy-northeast', 'x:middle-east', 'x:arab-world', 'x:levant'])
      expect(a).toContain(id);
    expect(gaz.ancestors('x:sy-jazira')).toContain('SY');
    expect(gaz.ancestors('AE')).toEqual(expect.arrayContaining(['x:gulf', 'x:middle-east', 'x:arab-world']));
    expect(gaz.ancestors('MA')).toEqual(expect.arrayContaining(['x:maghreb', 'x:africa', 'x:arab-world']));
    expect(gaz.ancestors('FR')).toContain('x:europe');
    expect(gaz.ancestors('IQ-AR')).toContain('x:iq-krd');
  });

  it.each([
    ['سوريا', 'SY'],
    ['سورية', 'SY'],
    ['بريطانيا', 'GB'],
    ['المملكة المتحدة', 'GB'],
    ['أمريكا', 'US'],
    ['اميركا', 'US'],
    ['الولايات المتحدة الأمريكية', 'US'],
    ['العراق', 'IQ'],
    ['عراق', 'IQ'],
    ['بالعراق', 'IQ'],
    ['وسوريا', 'SY'],
    ['محافظة حمص', 'SY-HI'],
    ['ديرالزور', 'SY-DY'],
    ['الباغوز', 'x:baghouz'],
    ['باغوز', 'x:baghouz'],
    ['الشرق الاوسط', 'x:middle-east'],
    ['كردستان العراق', 'x:iq-krd'],
    ['عكار', 'LB-AK'],
    ['SY-DY', 'SY-DY'],
  ])('lookup(%s) finds %s', (q, id) => {
    expect(gaz.lookup(q).map((p) => p.id)).toContain(id);
  });

  it('lookup of an unknown word is empty', () => {
    expect(gaz.lookup('كلمةغيرموجودة')).toEqual([]);
    expect(gaz.lookup('')).toEqual([]);
  });

  it('lookup of a shared name lists the bigger unit first', () => {
    const ids = gaz.lookup('حلب').map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['SY-HL', 'gn:170063']));
  });

  it.each([
    ['سوري', 'SY'],
    ['الباغو', 'x:baghouz'],
    ['دير الز', 'SY-DY'],
    ['بريطانا', 'GB'],
  ])('suggest(%s) offers %s', (q, id) => {
    expect(gaz.suggest(q, 10).map((p) => p.id)).toContain(id);
  });

  it('toRef gives name, kind and path', () => {
    expect(gaz.toRef('x:baghouz')).toEqual({
      id: 'x:baghouz',
      name: 'الباغوز',
      kind: 'village',
      path: ['سوريا', 'دير الزور', 'الباغوز'],
    });
  });

  it('Washington is the US capital, not a small town', () => {
    const w = gaz.lookup('واشنطن');
    expect(w.some((p) => gaz.ancestors(p.id).includes('US-DC'))).toBe(true);
  });
});
