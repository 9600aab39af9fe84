/**
 * Story fingerprints: group reports of the same event from different outlets.
 *
 * A fingerprint is a MinHash signature (128 32-bit values) of the set of content terms of the headline and
 * the start of the lead: normalized words, clitics and the article stripped, light suffix stemming, stop
 * words and generic news vocabulary (وزير، رئيس، أعلن، قتلى، عشرات ...) removed, so what is left is mostly
 * names, places and the specific nouns of the event; numbers (tolls, magnitudes, scores; not years) are
 * terms too. `similarity` estimates the Jaccard similarity of the two sets; two reports are the same story at
 * `SAME_STORY` or above. The threshold is tuned on composed pairs (test/pipeline/story.test.ts): 9 tuning
 * pairs of the same event in two outlets' wording scored 0.21–0.59 (exact Jaccard), 9 pairs of different
 * events on the same topic or place 0.05–0.17; a rate hike vs a rate hold by the same central bank scored
 * 0.28 (same vocabulary but the verb; such decisions are weeks apart, so the caller's one-day window separates
 * them). On 6 held-out pairs written afterwards, 4 were right; the misses were a same-event pair worded with
 * almost no shared names (0.10) and two award stories sharing the ceremony, city and a player's name (0.25).
 * Bag-of-words fingerprints group reports that share names, places and numbers; use them within a day.
 * Pure and synchronous.
 */
import { MEMO_MAX_LENGTH, normalizeArabic } from './normalize.ts';
import { contentTerms, lightStem, normWords, STOP_WORDS } from './sentences.ts';

/** Number of MinHash values in a fingerprint. */
export const FINGERPRINT_SIZE = 128;
/** Words of the lead used (the first sentences carry the event). */
export const LEAD_WORDS = 45;
/** Similarity at or above which two fingerprints are the same story. */
export const SAME_STORY = 0.2;

const EMPTY = 0xffffffff;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS: Uint32Array = (() => {
  const s = new Uint32Array(FINGERPRINT_SIZE);
  let x = 0x9e3779b9;
  for (let i = 0; i < FINGERPRINT_SIZE; i++) {
    x = fmix32(x + 0x6d2b79f5 + i);
    s[i] = x;
  }
  return s;
})();

/** Terms that are too generic to identify an event even after stop-word removal. */
const GENERIC = new Set(
  contentTerms(
    'مصادر مصدر رسمي رسمية مسؤول مسؤولون مسؤولين وكالة وكالات أنباء الأنباء تقرير تقارير بيان وسائل إعلام الإعلام ' +
      'صحيفة موقع مراسل خبر الخبر عاجل جديد جديدة أخرى آخر الأخيرة الأخير مساء صباح فجر ليل ليلة اليوم الماضي المقبل ' +
      'حاليا حالياً بشأن إطار ضمن أجل مثل شمال جنوب شرق غرب وسط أكثر أقل أول الأول الثاني الثالث نحو قرابة حوالي ' +
      // Generic news vocabulary: who/what kind of actor, counting words, reporting and deciding verbs.
      'وزير وزيرة وزارة رئيس رئيسة الرئيس حكومة الحكومة دولة الدولة دول البلاد البلد بلاده مدينة المدينة منطقة المنطقة ' +
      'قطاع القطاع ولاية محافظة إقليم عاصمة العاصمة لجنة اللجنة مجلس هيئة إدارة سلطات السلطات جهات الجهات ' +
      'أعلن أعلنت قرر قررت أفاد أفادت ذكر ذكرت أوضح أوضحت تابع تابعت أشارت أكدت نقلت كشف كشفت وصل وصلت بدأ بدأت ' +
      'أجرى أجرت جرى جرت شهد شهدت تشهد أسفر أسفرت أدى أدت ارتفع ارتفاع تراجع زيادة رفع خفض قرار القرار خطوة ' +
      'عدد العدد عشرات مئات آلاف الآلاف ألف مليون مليار نسبة بنسبة بالمئة المئة المائة درجة درجات مرة المرة توالي التوالي ' +
      'شخص شخصا أشخاص الأشخاص بينهم بينها جميع كافة عدة مختلف عام أعوام سنوات أيام ساعات دقائق الأسبوع الشهر ' +
      'قوة بقوة إصابة إصابات أصيب أصيبوا جريح جرحى قتيل قتلى مقتل سقوط حصيلة ضحايا ' +
      'زيارة اجتماع لقاء اتصال اتفاق بيان تصريح تصريحات مؤتمر صحفي الصحفي دون بسبب إثر عقب جراء لأول وذلك'),
);

const NUMBER = /\d+(?:[.,٫]\d+)?/g;

/**
 * Readings of one normalized word for matching across outlets: its light stem, and when it starts with a
 * bare preposition or conjunction (ب ل ك و ف without ال) the stem of the rest as well, so "بملاطية" meets
 * "ملاطية" (a word whose first letter is part of the root just adds one unmatched reading).
 */
function storyReadings(w: string): readonly string[] {
  if (w.length > MEMO_MAX_LENGTH) return computeReadings(w);
  let r = READINGS.get(w);
  if (r === undefined) {
    r = computeReadings(w);
    if (READINGS.size >= 100_000) READINGS.clear();
    READINGS.set(w, r);
  }
  return r;
}

const READINGS = new Map<string, readonly string[]>();

function computeReadings(w: string): string[] {
  if (w.length < 2 || STOP_WORDS.has(w) || /^\d/.test(w)) return [];
  const out: string[] = [];
  const add = (x: string) => {
    let st = lightStem(x);
    // Accusative tanween alef: زلزالا → زلزال.
    if (st.length >= 5 && st.endsWith('ا')) st = st.slice(0, -1);
    if (st.length >= 2 && !STOP_WORDS.has(st) && !GENERIC.has(st) && !out.includes(st)) out.push(st);
  };
  add(w);
  if (/^[وف][بلك]?[^ا]/.test(w) || /^[بلك][^ال]/.test(w)) {
    const rest = w.replace(/^[وف]?[بلك]?/, '');
    if (rest.length >= 4 && rest !== w) add(rest);
  }
  return out;
}

/** `words`: the text's normalized words when the caller has them (the same as normWords gives). */
function addTerms(set: Set<string>, text: string, limit: number, words?: readonly string[]): void {
  const norm = normalizeArabic(text);
  let n = 0;
  for (const w of words ?? normWords(norm)) {
    if (n >= limit) break;
    const rs = storyReadings(w);
    if (rs.length) n++;
    for (const r of rs) set.add(r);
  }
  // Numbers (tolls, magnitudes, scores) identify events; years do not.
  for (const m of norm.matchAll(NUMBER)) {
    const x = m[0].replace(/[,٫]/g, '.');
    if (x.length >= 2 && !/^(?:19|20)\d\d$/.test(x)) set.add(`n${x}`);
  }
}

/** The set of terms a fingerprint is computed from. */
export function storyTerms(title: string, lead: string, words?: StoryWords): string[] {
  const set = new Set<string>();
  addTerms(set, title, 1000, words?.title);
  addTerms(set, lead, LEAD_WORDS, words?.lead);
  return [...set];
}

/** The normalized words of the headline and the lead, when the caller has tokenized them already. */
export interface StoryWords {
  title: readonly string[];
  lead: readonly string[];
}

/**
 * MinHash signature of the headline and lead (see the module comment). A typed array: 128 values above
 * 2^31 would be 128 boxed numbers in a plain array, and it crosses threads as one block.
 */
export function fingerprint(title: string, lead: string, words?: StoryWords): Uint32Array {
  const sig = new Uint32Array(FINGERPRINT_SIZE).fill(EMPTY);
  for (const term of storyTerms(title, lead, words)) {
    const h = fnv1a(term);
    for (let i = 0; i < FINGERPRINT_SIZE; i++) {
      const v = fmix32(h ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of two fingerprints, 0..1 (empty fingerprints are similar to nothing). */
export function similarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  let empty = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === EMPTY && b[i] === EMPTY) empty++;
    else if (a[i] === b[i]) same++;
  }
  return empty === n ? 0 : same / n;
}

/** Whether two fingerprints are the same story. */
export function sameStory(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return similarity(a, b) >= SAME_STORY;
}

/** A fingerprint as stored: its values as 32-bit little-endian words in base64 (684 characters, not ~1,300). */
export function fingerprintToText(fp: Uint32Array): string {
  // The array's own bytes are already little-endian on little-endian machines (all but a few).
  if (LITTLE_ENDIAN) return Buffer.from(fp.buffer, fp.byteOffset, fp.byteLength).toString('base64');
  const bytes = Buffer.alloc(fp.length * 4);
  for (let i = 0; i < fp.length; i++) bytes.writeUInt32LE(fp[i]!, i * 4);
  return bytes.toString('base64');
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** A stored fingerprint: base64 text, or the plain array earlier versions stored. */
export function fingerprintFromStored(stored: string | readonly number[] | undefined): Uint32Array {
  if (stored === undefined) return new Uint32Array(0);
  if (typeof stored !== 'string') return Uint32Array.from(stored);
  const bytes = Buffer.from(stored, 'base64');
  const fp = new Uint32Array(bytes.length >>> 2);
  for (let i = 0; i < fp.length; i++) fp[i] = bytes.readUInt32LE(i * 4);
  return fp;
}
