import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_PATH } from '../fixtures/seed.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { fastTokenize, mostSpecific, tagPlaces, tagTokenSpans } from '../../src/pipeline/places.js';
import { tokenize } from '../../src/pipeline/normalize.js';

const gaz = loadGazetteer();
const ids = (text: string) => tagPlaces(text, gaz).map((m) => m.id);
const texts = (text: string) => tagPlaces(text, gaz).map((m) => m.text);

describe('tagPlaces', () => {
  it.each<[string, string[]]>([
    ['قصفت طائرات حربية بلدة الباغوز في ريف دير الزور الشرقي صباح اليوم.', ['x:baghouz', 'x:sy-dy-east']],
    ['وصلت قافلة مساعدات إلى مخيم الهول بريف الحسكة الجنوبي.', ['x:al-hol', 'SY-HA']],
    ['التقى الوزير نظيره الأمريكي في واشنطن أمس.', ['gn:4140963']],
    ['وقالت بريطانيا والمملكة المتحدة وفرنسا في بيان مشترك', ['GB', 'GB', 'FR']],
    ['أعلنت الولايات المتحدة عن عقوبات جديدة على إيران.', ['US', 'IR']],
    ['وتشهد أوروبا موجة حر بينما تعاني أفريقيا من الجفاف.', ['x:europe', 'x:africa']],
    ['ارتفعت أسعار النفط بسبب التوتر في الشرق الأوسط ومنطقة الخليج.', ['x:middle-east', 'x:gulf']],
    ['استشهد ثلاثة فلسطينيين في رفح جنوب قطاع غزة.', ['x:rafah', 'PS-GZZ']],
    ['وتواصل الاستيطان في الضفة الغربية والجولان المحتل.', ['PS-WBK', 'x:golan']],
    ['نزح الآلاف من الفاشر في شمال دارفور.', ['x:fasher', 'SD-DN']],
    ['عاد الهدوء إلى بغداد والموصل بعد أيام من التوتر في العراق.', ['gn:98182', expect.stringMatching(/^gn:/), 'IQ']],
  ] as [string, string[]][])('%s', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it.each([
    'قال مراسل قناة الجزيرة إن الاجتماع انتهى دون اتفاق.',
    'كان الاجتماع طويلا وقد استمر سنة كاملة.',
    'قال أسامة بن لادن في تسجيل صوتي',
    'وصل صباح الأحمد إلى القاعة مع قوة من الحرس.',
    'زارت جدته المستشفى صباح اليوم.',
    'أكدت مصادر في البلاد أن الإطار العام للاتفاق جاهز بشأن المسألة.',
  ])('no place in: %s', (text) => {
    expect(ids(text)).toEqual([]);
  });

  it('handles clitics and gives offsets of the name without the clitic', () => {
    const text = 'وصل الوفد بالعراق ثم وسوريا وللعراق';
    const ms = tagPlaces(text, gaz);
    expect(ms.map((m) => m.id)).toEqual(['IQ', 'SY', 'IQ']);
    expect(ms.map((m) => m.text)).toEqual(['العراق', 'سوريا', 'للعراق']);
    for (const m of ms) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  it('keeps the trigger word outside the span (as the NER corpora do)', () => {
    expect(texts('أعلن محافظ محافظة حمص حظر التجول في مدينة حلب.')).toEqual(['حمص', 'حلب']);
    expect(ids('اشتباكات في ريف حلب الشمالي')).toEqual(['SY-HL']);
    expect(ids('انفجار في مدينة حلب')).toEqual(['gn:170063']);
  });

  it('longest match wins for multi-word names', () => {
    expect(texts('تقع الولايات المتحدة الأمريكية في أمريكا الشمالية')).toEqual([
      'الولايات المتحدة الأمريكية',
      'أمريكا الشمالية',
    ]);
    expect(ids('عادت قوات إلى شمال شرق سوريا')).toEqual(['x:sy-northeast']);
  });

  it('does not join names across punctuation', () => {
    expect(ids('سافر إلى جنوب. أفريقيا بعيدة')).toEqual(['x:africa']);
  });

  it('resolves Oman / Amman by context', () => {
    expect(ids('وصل الوزير إلى سلطنة عمان في زيارة رسمية.')).toEqual(['OM']);
    expect(ids('وصل الملك إلى الأردن ثم عقد اجتماعا في عمان مع الحكومة الأردنية.')).toEqual(['JO', 'gn:250441']);
  });

  it('weak names need context', () => {
    // "صور" (pictures / Tyre): tagged when Lebanon is around or after مدينة
    expect(ids('نشرت الصحيفة صور الاجتماع')).toEqual([]);
    expect(ids('قصف إسرائيلي على مدينة صور').length).toBe(1);
  });

  it('ignores cities used as football clubs in sports context', () => {
    expect(ids('فاز ريال مدريد على برشلونة في الدوري بهدفين')).toEqual([]);
    expect(ids('عقد المؤتمر في مدريد بحضور وزراء الخارجية')).toHaveLength(1);
  });

  it('tags the seed article places', () => {
    const text = readFileSync(SEED_PATH, 'utf8');
    const found = new Set(ids(text));
    for (const id of ['SY', 'x:baghouz', 'SY-HA', 'x:al-hol', 'x:sy-jazira', 'x:sy-northeast', 'x:sy-dy-east', 'gn:4140963', 'gn:5128581', 'IQ', 'FR', 'x:euphrates', 'GB', 'US'])
      expect(found, id).toContain(id);
  });
});

describe('tagTokenSpans', () => {
  it('returns token spans, clitics included, punctuation tokens break names', () => {
    const toks = ['زار', 'الوزير', 'بالعراق', 'و', 'الولايات', 'المتحدة', '.', 'ثم', 'عاد'];
    expect(tagTokenSpans(toks, gaz)).toEqual([
      { start: 2, end: 3, id: 'IQ' },
      { start: 4, end: 6, id: 'US' },
    ]);
  });
});

describe('fastTokenize', () => {
  const same = (text: string) => expect(fastTokenize(text)).toEqual(tokenize(text));

  it('gives exactly the tokens of normalize.tokenize', () => {
    same(readFileSync(SEED_PATH, 'utf8'));
    same('قالَ المُتحدّثُ إنّ «الهدنة» صامدة—حتى الآن… والـــــــحرب؟ لا! U.S. 2024/11/29 ٣٤٥ كم، e-mail');
    same('كلمة\u200cبنصف فاصل و\u200dوصل، \u200fعلامة اتجاه، وكلمةٌ طويلةٌ جداًجداًجداًجداً مستشفياتهم');
    same('astral 𝐀𝐁𝐂 letters 𝟘𝟙 digits, emoji 😀🇸🇾 and CJK 漢字 with 𠀀 ext-B');
    same('lone \ud800 high and \udc00 low surrogates, \ud800x and x\udc00');
    same('');
    same('   ،،،  ...  ');
  });

  it('gives the same tokens from random text, with its memo of short words full and cleared', () => {
    const pool = ['ا', 'ب', 'ل', 'و', 'ة', 'ى', 'ي', 'أ', 'ـ', 'َ', 'ّ', ' ', ' ', '،', '.', '1', '٣', 'x', 'Q', '\u200c', '😀', '𝐀', '\ud800', '-', '\n'];
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let round = 0; round < 40; round++) {
      let text = '';
      for (let k = 0; k < 400; k++) text += pool[rand(pool.length)];
      same(text);
    }
    // more distinct short words than the memo holds
    const many = Array.from({ length: 70_000 }, (_, k) => `ك${k.toString(36)}`).join(' ');
    same(many);
    same(many);
  });
});

describe('mostSpecific', () => {
  it('drops ancestors of other mentioned places and keeps first-mention order', () => {
    const refs = mostSpecific(['SY', 'x:baghouz', 'SY-DY', 'FR', 'x:baghouz', 'x:middle-east'], gaz);
    expect(refs.map((r) => r.id)).toEqual(['x:baghouz', 'FR']);
    expect(refs[0]!.path).toEqual(['سوريا', 'دير الزور', 'الباغوز']);
  });

  it('keeps unrelated places', () => {
    expect(mostSpecific(['IQ', 'x:europe'], gaz).map((r) => r.id)).toEqual(['IQ', 'x:europe']);
  });
});
