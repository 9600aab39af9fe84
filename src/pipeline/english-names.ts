import { readFileSync } from 'node:fs';

/** Lower case, accents off, punctuation to spaces: how a typed English name is compared. */
export function englishKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

let names: Map<string, string> | undefined;

/**
 * The place id for an English (Latin-script) name typed by a user ("Syria", "Damascus",
 * "Hasakah", "Middle East"), from data/places-en.json (built by scripts/build-english-names.ts).
 * Tries the name as typed, then without or with the article ("al", "el") and with "city".
 */
export function placeIdForEnglish(query: string): string | undefined {
  const k = englishKey(query);
  if (!/[a-z]/.test(k)) return undefined;
  names ??= new Map(Object.entries(JSON.parse(readFileSync(new URL('./data/places-en.json', import.meta.url), 'utf8')) as Record<string, string>));
  const bare = k.replace(/^(al|el|ad|ar|as|ash|at|az) /, '');
  for (const c of [k, bare, `al ${bare}`, `${bare} city`]) {
    const id = names.get(c);
    if (id) return id;
  }
  return undefined;
}
