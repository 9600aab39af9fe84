/**
 * A country named by its adjective reaches the country's followers (place ids), where the adjective agrees
 * with the noun before it; family names and fixed phrases do not. Sentences written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { demonymCountries } from '../../src/pipeline/demonyms.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { analyze } from '../../src/pipeline/pipeline.js';
import { fastTokenize, hasNonSpace } from '../../src/pipeline/places.js';

function countries(text: string): string[] {
  const toks = fastTokenize(text);
  return demonymCountries(toks, (i) => !hasNonSpace(text, toks[i - 1]!.end, toks[i]!.start));
}

describe('countries named by their adjective', () => {
  it.each([
    ['تأهل المنتخب المغربي إلى نصف النهائي', ['MA']],
    ['قصف الجيش السوري مواقع في الريف', ['SY']],
    ['قالت مصادر فرنسية إن الوزيرة ستزور واشنطن', ['FR']],
    ['انتشرت قوات أمريكية قرب الحدود', ['US']],
    // ألمانية starts like the article ال but is the indefinite adjective.
    ['وصلت قوات ألمانية وفرنسية إلى الميناء', ['DE', 'FR']],
    ['صرح وزير الخارجية الأميركي في مؤتمر صحفي', ['US']],
    ['التقى رئيس الوزراء العراقي بوفد من رجال الأعمال', ['IQ']],
    ['أعلن جيش الاحتلال الإسرائيلي عن عملية', ['IL']],
    ['ارتفع سعر الليرة التركية أمام الدولار', ['TR']],
    ['عاد مئات اللاجئين السوريين واللبنانيين إلى قراهم', ['SY', 'LB']],
    ['التقى مسؤولون عراقيون وإيرانيون في بغداد', ['IQ', 'IR']],
    ['دعا للجيش اللبناني بالتوفيق', ['LB']],
    ['وأكدت السلطات الليبية والتونسية فتح المعبر', ['LY', 'TN']],
    // "Counterpart" with a pronoun is definite without ال.
    ['بحث الوزير مع نظيره المصري ونظيرته الفرنسية الملف', ['EG', 'FR']],
  ])('%s → %j', (text, ids) => {
    expect(countries(text)).toEqual(ids);
  });

  it.each([
    // Family names: the adjective with ال after a first name without it.
    ['قال محمد المصري إن الاجتماع انتهى', 'a family name after a first name'],
    ['وصل أسامة المصري إلى المطار', 'a family name after a first name ending in ة'],
    ['استقبل محمد شياع السوداني الوفد', 'the Iraqi prime minister\'s family name'],
    ['وقال السوداني إن الحكومة ماضية في خطتها', 'a family name after a verb'],
    // تركي is also a first name.
    ['التقى الأمير تركي الفيصل بالسفير', 'a first name after a title'],
    ['وصل تركي إلى الرياض', 'a first name without ال'],
    // Not a country.
    ['هبت عاصفة فوق المحيط الهندي', 'the Indian Ocean'],
    ['ارتفع سعر الفول السوداني', 'peanuts'],
    ['تخرج في الجامعة الأميركية في بيروت', 'the American University of Beirut'],
    // An adjective never stands after a full stop or a comma.
    ['انتهت المباراة. المصري يتقدم بشكوى', 'a full stop between'],
    ['المغربي', 'nothing before it'],
  ])('%s: none (%s)', (text) => {
    expect(countries(text)).toEqual([]);
  });

  it('adds the country to what followers match, not to the places shown', () => {
    const a = analyze(
      {
        title: 'المنتخب المغربي يتأهل إلى نصف نهائي كأس أفريقيا',
        text: 'تأهل المنتخب المغربي لكرة القدم إلى الدور نصف النهائي بعد فوزه على نظيره المصري بهدفين مقابل هدف في مباراة أقيمت في أبيدجان.',
      },
      loadGazetteer(),
    );
    expect(a.placeIds).toEqual(expect.arrayContaining(['MA', 'EG']));
    // Morocco's ancestors come with it: a follower of North Africa or the Arab world gets it too.
    expect(a.placeIds).toEqual(expect.arrayContaining(loadGazetteer().ancestors('MA')));
    expect(a.places.map((p) => p.name)).not.toContain('المغرب');
  });
});
