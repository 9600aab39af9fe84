import { cliticVariants, words } from '../pipeline/normalize.js';

/** Normalized key of a keyword or phrase as a user typed it (`"داعش"`, `"سد النهضة"`). */
export function keywordKey(keyword: string): string {
  return words(keyword).join(' ');
}

/**
 * Keys by every written form of their first word: the word itself and the word with clitic prefixes
 * (و ف, then ب ك ل, then ال; or لل for ال), exactly the tokens whose `cliticVariants` include it. An
 * article's tokens are then looked up as they are, one map lookup each, and most not even that: a sieve
 * of the forms' lengths and end letters passes only tokens that could be one.
 */
export interface KeywordIndex {
  readonly forms: ReadonlyMap<string, readonly string[]>;
  readonly sieve: Uint8Array;
}

const SIEVE = 8192;
const sieveKey = (w: string) => (((w.length * 31 + w.charCodeAt(0)) * 31 + w.charCodeAt(w.length - 1)) & (SIEVE - 1)) >>> 0;

/**
 * Finds which keyword keys occur in a token sequence. The first word of a phrase may carry clitic
 * prefixes (`لداعش`, `وداعش`, `بسد النهضة`); the following words must match as normalized.
 */
export function findKeywords(tokens: readonly string[], index: KeywordIndex): Set<string> {
  const found = new Set<string>();
  const { forms, sieve } = index;
  if (forms.size === 0) return found;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token || sieve[sieveKey(token)] === 0) continue;
    const keys = forms.get(token);
    if (!keys) continue;
    for (const key of keys) {
      if (found.has(key)) continue;
      const rest = key.split(' ').slice(1);
      if (rest.every((w, j) => tokens[i + 1 + j] === w)) found.add(key);
    }
  }
  return found;
}

/** The index of keys for `findKeywords`. */
export function indexByFirstWord(keys: Iterable<string>): KeywordIndex {
  const m = new Map<string, string[]>();
  const sieve = new Uint8Array(SIEVE);
  for (const key of keys) {
    const first = key.split(' ')[0]!;
    for (const form of writtenForms(first)) {
      const list = m.get(form);
      if (!list) m.set(form, [key]);
      else if (!list.includes(key)) list.push(key);
      if (form) sieve[sieveKey(form)] = 1;
    }
  }
  return { forms: m, sieve };
}

/** Every token whose clitic readings include `word`: candidates built from the prefixes, then checked. */
function writtenForms(word: string): string[] {
  const bare = word.startsWith('ال') ? word.slice(2) : undefined;
  const cores = new Set<string>();
  for (const p of ['', 'ب', 'ك', 'ل']) for (const a of ['', 'ال']) cores.add(p + a + word);
  cores.add('لل' + word);
  if (bare) cores.add('لل' + bare);
  const out = new Set<string>();
  for (const q of ['', 'و', 'ف']) for (const c of cores) if (cliticVariants(q + c).includes(word)) out.add(q + c);
  return [...out];
}
