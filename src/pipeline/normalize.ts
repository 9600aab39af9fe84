/**
 * Arabic normalization for matching. Display text always keeps its original form; these functions
 * only produce keys. Rules, in order:
 *  1. Unicode NFKC (presentation forms and ligatures such as ﻻ become plain letters).
 *  2. Bidi controls (LRM, RLM, ALM, embeddings, isolates) and zero-width characters are removed.
 *  3. Tashkeel (harakat, tanween, shadda, sukun, superscript alef, Quranic marks) and tatweel are removed.
 *  4. Alef forms أ إ آ ٱ → ا; ى → ي; ة → ه.
 *  5. Persian/Urdu letters: ی ې → ي, ک → ك, ۀ ہ ە → ه, گ → ك is NOT done (گ is a distinct sound in names).
 *  6. Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹) digits → 0-9.
 *  7. Lower-case for Latin text.
 */

const BIDI_AND_ZERO_WIDTH = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\u061C\uFEFF\u00AD]/g;
const LETTER_MAP: Record<string, string> = {
  'أ': 'ا',
  'إ': 'ا',
  'آ': 'ا',
  'ٱ': 'ا',
  'ٲ': 'ا',
  'ٳ': 'ا',
  'ى': 'ي',
  'ة': 'ه',
  'ی': 'ي',
  'ې': 'ي',
  'ک': 'ك',
  'ۀ': 'ه',
  'ہ': 'ه',
  'ە': 'ه',
};

/**
 * One table for rules 2–7 over the BMP: -1 keeps the character, 0 drops it, anything else is the
 * replacement code unit. A single pass over the string is several times faster than a chain of
 * regex replacements, and normalization runs on every token of every article.
 */
const TABLE = (() => {
  const t = new Int32Array(0x10000).fill(-1);
  const drop = (from: number, to = from) => {
    for (let c = from; c <= to; c++) t[c] = 0;
  };
  drop(0x200b, 0x200f); // zero-width, LRM, RLM
  drop(0x202a, 0x202e); // embeddings and overrides
  drop(0x2060, 0x2069); // word joiner, isolates
  drop(0x061c); // Arabic letter mark
  drop(0xfeff); // BOM / zero-width no-break space
  drop(0x00ad); // soft hyphen
  drop(0x0610, 0x061a); // Quranic and honorific marks
  drop(0x064b, 0x065f); // harakat, tanween, shadda, sukun
  drop(0x0670); // superscript alef
  drop(0x06d6, 0x06dc);
  drop(0x06df, 0x06e8);
  drop(0x06ea, 0x06ed);
  drop(0x0640); // tatweel
  for (const [from, to] of Object.entries(LETTER_MAP)) t[from.charCodeAt(0)] = to.charCodeAt(0);
  for (let i = 0; i < 10; i++) {
    t[0x0660 + i] = 0x30 + i; // Arabic-Indic digits
    t[0x06f0 + i] = 0x30 + i; // Extended Arabic-Indic digits
  }
  for (let c = 0x41; c <= 0x5a; c++) t[c] = c + 32; // Latin A-Z
  return t;
})();

/** Characters NFKC may change: outside ASCII/Latin-1 and the main Arabic block (presentation forms, ligatures...). */
const NEEDS_NFKC = /[^\u0000-\u00ff\u0600-\u06ff\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Strip bidi marks and zero-width characters only (safe for display text). */
export function stripInvisible(s: string): string {
  return s.replace(BIDI_AND_ZERO_WIDTH, '');
}

/** Full matching normalization of a string (see the rules above). Length may change. */
export function normalizeArabic(input: string): string {
  const s = NEEDS_NFKC.test(input) ? input.normalize('NFKC') : input;
  let out: string | undefined;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const m = TABLE[code]!;
    if (m === -1) continue;
    out = (out ?? '') + s.slice(start, i) + (m === 0 ? '' : String.fromCharCode(m));
    start = i + 1;
  }
  const res = out === undefined ? s : out + s.slice(start);
  // Latin letters outside A-Z (É, Ä ...) lower-case through the slow path only when present.
  return /[^\u0000-\u007f\u0600-\u06ff]/.test(res) ? res.toLowerCase() : res;
}

export interface Token {
  /** The token as written in the text. */
  raw: string;
  /** Normalized form. */
  norm: string;
  start: number;
  end: number;
}

// A word: letters, marks (tashkeel), digits, plus invisible joiners that normalization removes.
const WORD = /[\p{L}\p{M}\p{N}\u200B-\u200F\u0640]+/gu;

/** Split text into word tokens with offsets into the original string. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const norm = normalizeArabic(m[0]);
    if (norm) out.push({ raw: m[0], norm, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Normalized word list of a text (no offsets). */
export function words(text: string): string[] {
  return tokenize(text).map((t) => t.norm);
}

const VARIANTS = new Map<string, string[]>();
const VARIANTS_MAX = 100_000;
/**
 * Longest word kept as a memo key: V8 makes longer substrings views into their whole text, so a
 * long key would keep an article's text alive (words that long are rare and not memoized).
 */
export const MEMO_MAX_LENGTH = 12;

/**
 * Readings of a normalized word with clitic prefixes removed, the word as written first.
 * Conjunction (و ف), then preposition (ب ك ل), then the article (ال); لل is ل + ال.
 * A reading keeps at least two letters. Example: وبالعراق → وبالعراق, بالعراق, العراق, عراق.
 * Memoized (it runs on every token of every article): the array returned is shared, do not modify it.
 */
export function cliticVariants(word: string): string[] {
  if (word.length > MEMO_MAX_LENGTH) return computeVariants(word);
  let out = VARIANTS.get(word);
  if (out === undefined) {
    out = computeVariants(word);
    if (VARIANTS.size >= VARIANTS_MAX) VARIANTS.clear();
    VARIANTS.set(word, out);
  }
  return out;
}

function addVariant(out: string[], w: string): void {
  if (w.length >= 2 && !out.includes(w)) out.push(w);
}

function computeVariants(word: string): string[] {
  const out = [word];
  const stems = [word];
  const c0 = word[0];
  if ((c0 === 'و' || c0 === 'ف') && word.length > 2) stems.push(word.slice(1));
  for (let i = 0, n = stems.length; i < n; i++) {
    const s = stems[i]!;
    const f = s[0];
    if (s.startsWith('لل') && s.length > 3) stems.push('ال' + s.slice(2));
    else if ((f === 'ب' || f === 'ك' || f === 'ل') && s.length > 2) stems.push(s.slice(1));
  }
  for (const s of stems) {
    addVariant(out, s);
    if (s.startsWith('ال') && s.length > 3) addVariant(out, s.slice(2));
  }
  return out;
}

/** The word without a leading ال (used for article-insensitive keys). */
export function dropArticle(word: string): string {
  return word.startsWith('ال') && word.length > 3 ? word.slice(2) : word;
}

/** Article-insensitive key of a multi-word name: normalized words, ال dropped from each word. */
export function nameKey(name: string): string {
  return words(name).map(dropArticle).join(' ');
}
