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
const TASHKEEL = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
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
const LETTERS = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'g');
const INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Strip bidi marks and zero-width characters only (safe for display text). */
export function stripInvisible(s: string): string {
  return s.replace(BIDI_AND_ZERO_WIDTH, '');
}

/** Full matching normalization of a string (see the rules above). Length may change. */
export function normalizeArabic(s: string): string {
  return s
    .normalize('NFKC')
    .replace(BIDI_AND_ZERO_WIDTH, '')
    .replace(TASHKEEL, '')
    .replace(LETTERS, (c) => LETTER_MAP[c] ?? c)
    .replace(INDIC_DIGITS, (c) => String((c.charCodeAt(0) & 0xf) % 10))
    .toLowerCase();
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

const CONJ = ['و', 'ف'];
const PREP = ['ب', 'ك', 'ل'];

/**
 * Readings of a normalized word with clitic prefixes removed, the word as written first.
 * Conjunction (و ف), then preposition (ب ك ل), then the article (ال); لل is ل + ال.
 * A reading keeps at least two letters. Example: وبالعراق → وبالعراق, بالعراق, العراق, عراق.
 */
export function cliticVariants(word: string): string[] {
  const out = [word];
  const add = (w: string) => {
    if (w.length >= 2 && !out.includes(w)) out.push(w);
  };
  const stems = [word];
  if (CONJ.includes(word[0]!) && word.length > 2) stems.push(word.slice(1));
  for (const s of [...stems]) {
    if (s.startsWith('لل') && s.length > 3) stems.push('ال' + s.slice(2));
    else if (PREP.includes(s[0]!) && s.length > 2) stems.push(s.slice(1));
  }
  for (const s of stems) {
    add(s);
    if (s.startsWith('ال') && s.length > 3) add(s.slice(2));
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
