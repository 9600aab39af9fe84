/**
 * Countries named by their adjective: «المنتخب المغربي», «الجيش السوري», «مصادر فرنسية», «قوات أمريكية».
 * A report about a country's team, army or officials often never names the country itself; followers of
 * the country (and of its regions) should still get it. These add to the article's place ids (what
 * followers match), not to its place mentions (what is shown and what the place evaluation scores).
 *
 * The adjective is also a family name («محمد المصري», «محمد شياع السوداني»); an adjective agrees in
 * definiteness with the noun it follows and a name does not, so it counts only where they agree:
 * «الرئيس السوري» (both with ال) and «مصادر فرنسية» (neither), not «محمد المصري» or «الأمير تركي».
 * تركي is also a first name: it needs ال, or a feminine or plural form. Pure and synchronous.
 */
import { normalizeArabic } from './normalize.js';

/** Country id → the masculine singular adjective as written (spelling variants included). */
const DEMONYMS: Record<string, string[]> = {
  SY: ['سوري'],
  IQ: ['عراقي'],
  LB: ['لبناني'],
  JO: ['أردني'],
  PS: ['فلسطيني'],
  EG: ['مصري'],
  SA: ['سعودي'],
  YE: ['يمني'],
  LY: ['ليبي'],
  SD: ['سوداني'],
  TN: ['تونسي'],
  DZ: ['جزائري'],
  MA: ['مغربي'],
  MR: ['موريتاني'],
  AE: ['إماراتي'],
  QA: ['قطري'],
  KW: ['كويتي'],
  BH: ['بحريني'],
  OM: ['عماني'],
  SO: ['صومالي'],
  IR: ['إيراني'],
  TR: ['تركي'],
  IL: ['إسرائيلي'],
  US: ['أمريكي', 'أميركي'],
  RU: ['روسي'],
  FR: ['فرنسي'],
  GB: ['بريطاني'],
  DE: ['ألماني'],
  CN: ['صيني'],
  IN: ['هندي'],
  JP: ['ياباني'],
  UA: ['أوكراني'],
  PK: ['باكستاني'],
  AF: ['أفغاني'],
  IT: ['إيطالي'],
  ES: ['إسباني'],
  ET: ['إثيوبي'],
};

/** Masculine singular forms that are also common first names: they count only with ال. */
const ALSO_FIRST_NAMES = new Set(['تركي']);

interface Form {
  id: string;
  /** The adjective without و/ف and ال, normalized (سوري، سوريه، سوريين ...). */
  word: string;
  definite: boolean;
}

/** A normalized word without ال (or لل after ل), and whether it carries the article. */
function article(w: string): { word: string; definite: boolean } {
  if (w.startsWith('لل') && w.length > 4) return { word: w.slice(2), definite: true };
  // ب، ك، ل before the article (بالجيش، كالرئيس).
  if ((w[0] === 'ب' || w[0] === 'ك' || w[0] === 'ل') && w.startsWith('ال', 1) && w.length > 4) w = w.slice(1);
  if (w.startsWith('ال') && w.length > 3) return { word: w.slice(2), definite: true };
  return { word: w, definite: false };
}

/** Readings of a normalized word: as written, then without a leading و or ف (فرنسي is not ف + رنسي). */
function readings(norm: string): Array<{ word: string; definite: boolean }> {
  const out = [article(norm)];
  if ((norm[0] === 'و' || norm[0] === 'ف') && norm.length > 3) out.push(article(norm.slice(1)));
  return out;
}

/**
 * Every written form, normalized, with what it reads as: the inflections (سوري، سوريه (سورية)، سوريون،
 * سوريين، سوريات) with و/ف and the article (ال، لل، بال، كال), so a token is looked up once as it is (and
 * ألمانية, which starts like an article, still reads as the indefinite adjective). A first name's form
 * (تركي) only with ال.
 */
const FORMS: Map<string, Form> = (() => {
  const m = new Map<string, Form>();
  for (const conj of ['', 'و', 'ف']) {
    for (const art of ['', 'ال', 'لل', 'بال', 'كال']) {
      for (const [id, bases] of Object.entries(DEMONYMS)) {
        for (const written of bases) {
          const base = normalizeArabic(written);
          for (const word of [base, ...['ه', 'ون', 'ين', 'ات'].map((x) => base + x)]) {
            if (!art && word === base && ALSO_FIRST_NAMES.has(written)) continue;
            m.set(conj + art + word, { id, word, definite: art !== '' });
          }
        }
      }
    }
  }
  return m;
})();

/**
 * Whether the word before the adjective is definite: with ال, or "counterpart" with a pronoun
 * («نظيره المصري», «نظيرتها الفرنسية»), the usual definite noun without ال in news; another adjective
 * of the table («قوات ألمانية وفرنسية») as the table reads it.
 */
function definiteNoun(norm: string): boolean {
  const form = FORMS.get(norm);
  if (form) return form.definite;
  return readings(norm).some((r) => r.definite || r.word.startsWith('نظير') || r.word.startsWith('نظرا'));
}

/**
 * Noun and adjective that name no country (normalized, without ال): the Indian Ocean, peanuts, tamarind, and
 * the American Universities of Beirut and Cairo.
 */
const NOT_A_COUNTRY = new Set(['محيط هندي', 'تمر هندي', 'جوز هندي', 'فول سوداني', 'جامعه امريكيه', 'جامعه اميركيه']);

const [YA, HA, NUN, TA, WAW, ALEF] = [...'يهنتوا'].map((c) => c.charCodeAt(0));

/** Whether a normalized word ends as an adjective form can (ي، يه، يون، يين، يات): a test before the lookups. */
function adjectiveEnding(w: string): boolean {
  const n = w.length;
  const last = w.charCodeAt(n - 1);
  if (last === YA) return true;
  if (last === HA) return w.charCodeAt(n - 2) === YA;
  if (last === NUN) return (w.charCodeAt(n - 2) === WAW || w.charCodeAt(n - 2) === YA) && w.charCodeAt(n - 3) === YA;
  if (last === TA) return w.charCodeAt(n - 2) === ALEF && w.charCodeAt(n - 3) === YA;
  return false;
}

/**
 * Country ids named by an adjective that agrees with the word before it, in order of first mention.
 * `toks`: the text's tokens (normalized forms); `joined(i)`: whether token i follows token i − 1 with
 * nothing but spaces between (an adjective never stands after a full stop or a comma).
 */
export function demonymCountries(toks: ReadonlyArray<{ norm: string }>, joined: (i: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = 1; i < toks.length; i++) {
    const norm = toks[i]!.norm;
    if (norm.length < 4 || !adjectiveEnding(norm)) continue;
    const form = FORMS.get(norm);
    if (!form || out.includes(form.id) || !joined(i)) continue;
    const { word, definite } = form;
    const prev = toks[i - 1]!.norm;
    if (definiteNoun(prev) !== definite || prev.length < 2 || /\d/.test(prev)) continue;
    if (NOT_A_COUNTRY.has(`${article(prev).word} ${word}`)) continue;
    out.push(form.id);
  }
  return out;
}
