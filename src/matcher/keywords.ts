import { cliticVariants, words } from '../pipeline/normalize.js';

/** Normalized key of a keyword or phrase as a user typed it (`"داعش"`, `"سد النهضة"`). */
export function keywordKey(keyword: string): string {
  return words(keyword).join(' ');
}

/**
 * Finds which keyword keys occur in a token sequence. The first word of a phrase may carry clitic
 * prefixes (`لداعش`, `وداعش`, `بسد النهضة`); the following words must match as normalized.
 * `firstWords` maps the first word of each key to the keys starting with it.
 */
export function findKeywords(tokens: readonly string[], firstWords: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set<string>();
  if (firstWords.size === 0) return found;
  for (let i = 0; i < tokens.length; i++) {
    for (const variant of cliticVariants(tokens[i]!)) {
      const keys = firstWords.get(variant);
      if (!keys) continue;
      for (const key of keys) {
        if (found.has(key)) continue;
        const rest = key.split(' ').slice(1);
        if (rest.every((w, j) => tokens[i + 1 + j] === w)) found.add(key);
      }
    }
  }
  return found;
}

/** Index of keys by their first word, for `findKeywords`. */
export function indexByFirstWord(keys: Iterable<string>): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const key of keys) {
    const first = key.split(' ')[0]!;
    const list = m.get(first);
    if (list) list.push(key);
    else m.set(first, [key]);
  }
  return m;
}
