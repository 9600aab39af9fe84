/**
 * Place tagger: finds gazetteer places in Arabic text.
 *
 * Matching: each token is read as written, then with clitic prefixes removed (و ف, then ب ك ل, لل → ال);
 * the first word of every name is a key of a Map, so a token costs one or a few Map lookups. The
 * longest name starting at a token wins; names never run across punctuation.
 *
 * Spans follow what the NER corpora annotate: a trigger word before the name (مدينة، محافظة، ريف ...)
 * stays outside the span unless the whole phrase is itself a name in the gazetteer (قطاع غزة،
 * ريف دمشق، نهر الفرات، مخيم الهول ...). With clitics the token span includes the clitic
 * (tagTokenSpans) and the character span starts after it (tagPlaces).
 *
 * Context rules:
 *  - a name right after a blocker (قناة الجزيرة، منتخب البرازيل، بن لادن ...) is not a place;
 *  - weak names (common words, small villages, names of people) need a trigger word before them or
 *    one of their ancestors mentioned nearby;
 *  - a name shared by several places is resolved by: an ancestor mentioned nearby, then the trigger
 *    (محافظة/ريف → governorate, مدينة/بلدة → town), then a curated default, then rank
 *    (country, governorate, city by population).
 */
import type { PlaceRef } from '../types.js';
import { loadGazetteer, placeRank, taggerIndex, type Gazetteer, type NameEntry, type TaggerIndex } from './gazetteer.js';
import { MEMO_MAX_LENGTH, normalizeArabic } from './normalize.js';

export interface PlaceMention {
  id: string;
  /** Character offsets into the input text. */
  start: number;
  end: number;
  text: string;
}

interface Match {
  start: number; // token index
  end: number; // exclusive
  prefix: number; // clitic letters stripped from the first token (normalized chars)
  entry: NameEntry;
}

const WINDOW = 60;
/** Cities that are also famous club names: not places in a sports context. */
const CLUB_CITIES = new Set(
  ['مدريد', 'برشلونة', 'ليفربول', 'مانشستر', 'ميلانو', 'تورينو', 'بورتو', 'ميونخ', 'ميونيخ', 'فالنسيا', 'إشبيلية', 'روما', 'لاتسيو', 'ليون', 'مرسيليا', 'باريس', 'دورتموند', 'أمستردام', 'نابولي', 'بنفيكا', 'لشبونة'].map((w) => normalizeArabic(w)),
);
const SPORTS = new Set(
  ['مباراة', 'مباراته', 'مباريات', 'الدوري', 'دوري', 'هدف', 'هدفين', 'أهداف', 'المدرب', 'مدرب', 'لاعب', 'لاعبي', 'اللاعب', 'نادي', 'النادي', 'فريق', 'الفريق', 'كأس', 'بطولة', 'البطولة', 'الموسم', 'المنتخب', 'منتخب', 'الملعب', 'ملعب', 'الشوط', 'الدقيقة', 'مهاجم', 'تعادل', 'فوز', 'بفوز', 'الفوز', 'الكرة', 'كرة', 'ريال', 'يونايتد', 'سيتي', 'سان', 'جرمان', 'ميلان', 'إنتر', 'يوفنتوس', 'بايرن', 'أتلتيكو', 'الليغا', 'الأبطال'].map((w) => normalizeArabic(w)),
);
function sportsNear(norm: string[], pos: number): boolean {
  for (let i = Math.max(0, pos - 12); i < Math.min(norm.length, pos + 12); i++) {
    const w = norm[i];
    if (!w) continue;
    for (const r of readings(w)) if (SPORTS.has(r.v)) return true;
  }
  return false;
}
const GOV_TRIGGERS = new Set(['ريف', 'محافظه', 'ولايه', 'اقليم', 'امارة', 'اماره']);
const TOWN_TRIGGERS = new Set(['مدينه', 'بلده', 'قريه', 'مخيم', 'بلدات', 'مدن', 'قري', 'حي', 'ناحيه']);
const STATE_TRIGGERS = new Set(['سلطنه', 'دوله', 'مملكه', 'جمهوريه']);
const TOWN_KINDS = new Set(['city', 'town', 'village', 'camp', 'area']);
const REGION_KINDS = new Set(['region', 'continent', 'water']);

const READINGS = new Map<string, readonly { v: string; cut: number }[]>();

/** Readings of a normalized token with clitic prefixes removed; the article is kept (memoized). */
function readings(w: string): readonly { v: string; cut: number }[] {
  if (w.length > MEMO_MAX_LENGTH) return computeReadings(w);
  let r = READINGS.get(w);
  if (r === undefined) {
    r = computeReadings(w);
    if (READINGS.size > 100_000) READINGS.clear();
    READINGS.set(w, r);
  }
  return r;
}

function computeReadings(w: string): { v: string; cut: number }[] {
  const out = [{ v: w, cut: 0 }];
  const bases = [{ v: w, cut: 0 }];
  if ((w[0] === 'و' || w[0] === 'ف') && w.length > 2) bases.push({ v: w.slice(1), cut: 1 });
  for (const b of bases) {
    if (b.cut) out.push(b);
    const s = b.v;
    // لل = ل + ال with the alef dropped: the span keeps the whole token after و/ف
    if (s.startsWith('لل') && s.length > 3) out.push({ v: 'ال' + s.slice(2), cut: b.cut });
    else if ((s[0] === 'ب' || s[0] === 'ك' || s[0] === 'ل') && s.length > 2) out.push({ v: s.slice(1), cut: b.cut + 1 });
  }
  return out;
}

/** Names that can start at a token: the entries for each of its readings that has some, in reading order. */
interface Start {
  cut: number;
  list: readonly NameEntry[];
}
const NO_STARTS: readonly Start[] = [];
/** `starts` per tagger index and token (most tokens start no name: one lookup instead of one per reading). */
const STARTS = new WeakMap<TaggerIndex, Map<string, readonly Start[]>>();

function starts(memo: Map<string, readonly Start[]>, byFirst: TaggerIndex['byFirst'], w: string): readonly Start[] {
  let s = memo.get(w);
  if (s === undefined) {
    const found: Start[] = [];
    for (const r of readings(w)) {
      const list = byFirst.get(r.v);
      if (list) found.push({ cut: r.cut, list });
    }
    s = found.length ? found : NO_STARTS;
    if (w.length <= MEMO_MAX_LENGTH) {
      if (memo.size > 100_000) memo.clear();
      memo.set(w, s);
    }
  }
  return s;
}

function findMatches(norm: string[], brk: boolean[], gaz: Gazetteer): Match[] {
  const idx = taggerIndex(gaz);
  const { byFirst } = idx;
  let memo = STARTS.get(idx);
  if (!memo) STARTS.set(idx, (memo = new Map()));
  const out: Match[] = [];
  for (let i = 0; i < norm.length; ) {
    const w = norm[i]!;
    if (!w) {
      i++;
      continue;
    }
    let best: Match | undefined;
    for (const { cut, list } of starts(memo, byFirst, w)) {
      for (const e of list) {
        const n = e.words.length;
        if (best && n <= best.end - best.start) break; // sorted longest first
        if (i + n > norm.length) continue;
        let ok = true;
        for (let k = 1; k < n; k++) {
          if (brk[i + k] || norm[i + k] !== e.words[k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          best = { start: i, end: i + n, prefix: cut, entry: e };
          break;
        }
      }
    }
    if (best) {
      out.push(best);
      i = best.end;
    } else i++;
  }
  return out;
}

function hasWord(set: Set<string>, w: string | undefined): boolean {
  if (!w) return false;
  for (const r of readings(w)) if (set.has(r.v)) return true;
  return false;
}

/** Core: resolve matches to place ids with the context rules. */
function resolve(norm: string[], brk: boolean[], gaz: Gazetteer): { m: Match; id: string }[] {
  const idx = taggerIndex(gaz);
  const matches = findMatches(norm, brk, gaz);
  const kept: { m: Match; trig?: string }[] = [];
  for (const m of matches) {
    const prev = m.start > 0 && !brk[m.start] ? norm[m.start - 1] : undefined;
    if (m.prefix === 0 && hasWord(idx.blockers, prev)) continue;
    let trig: string | undefined;
    if (prev) for (const r of readings(prev)) if (idx.triggers.has(r.v) || STATE_TRIGGERS.has(r.v)) trig = r.v;
    kept.push({ m, trig });
  }
  // context: ancestors of confident mentions (single candidate, not weak), by token position
  const ctx: { pos: number; ids: string[] }[] = [];
  for (const { m } of kept) {
    if (m.entry.weak || m.entry.ids.length !== 1) continue;
    const anc = gaz.ancestors(m.entry.ids[0]!).filter((a) => !REGION_KINDS.has(gaz.get(a)?.kind ?? ''));
    ctx.push({ pos: m.start, ids: anc });
  }
  const near = (pos: number, id: string, self: Match) => {
    for (const c of ctx) {
      if (c.pos === self.start || Math.abs(c.pos - pos) > WINDOW) continue;
      if (c.ids.includes(id)) return true;
    }
    return false;
  };
  const out: { m: Match; id: string }[] = [];
  for (const { m, trig } of kept) {
    const ids = m.entry.ids;
    let bestId = ids[0]!;
    let bestScore = -Infinity;
    let anyContext = false;
    const def = idx.defaults.get(m.entry.words.join(' '));
    for (const id of ids) {
      const p = gaz.get(id);
      if (!p) continue;
      let s = -placeRank(gaz, id);
      // an ancestor (not the place itself) mentioned nearby
      const anc = gaz.ancestors(id).slice(1);
      if (anc.some((a) => !REGION_KINDS.has(gaz.get(a)?.kind ?? '') && near(m.start, a, m))) {
        s += 10;
        anyContext = true;
      }
      if (trig && GOV_TRIGGERS.has(trig) && p.kind === 'governorate') s += 4;
      if (trig && TOWN_TRIGGERS.has(trig) && TOWN_KINDS.has(p.kind)) s += 4;
      if (trig && STATE_TRIGGERS.has(trig) && p.kind === 'country') s += 4;
      if (def === id) s += 3;
      // the more specific of two nested candidates (city حلب inside governorate حلب)
      if (!(trig && GOV_TRIGGERS.has(trig)) && anc.some((a) => ids.includes(a))) s += 2;
      if (s > bestScore) {
        bestScore = s;
        bestId = id;
      }
    }
    if (m.entry.weak && !trig && !anyContext) continue;
    if (CLUB_CITIES.has(m.entry.words.join(' ')) && sportsNear(norm, m.start)) continue;
    const c = m.entry.core;
    out.push({ m: c ? { ...m, start: m.start + c[0], end: m.start + c[1], prefix: c[0] ? 0 : m.prefix } : m, id: bestId });
  }
  return out;
}

const EDGE = /^[^\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]+$/gu;

/**
 * Tag pre-tokenized text (one string per token, e.g. a CoNLL corpus). Returns token-index spans
 * [start, end). Tokens that hold no letters (punctuation) break multi-word names.
 */
export function tagTokenSpans(tokens: string[], gaz: Gazetteer = loadGazetteer()): { start: number; end: number; id: string }[] {
  const norm: string[] = new Array(tokens.length);
  const brk: boolean[] = new Array(tokens.length).fill(false);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const core = t.replace(EDGE, '');
    norm[i] = core ? normalizeArabic(core) : '';
    if (core !== t || !core) {
      // punctuation before or inside the token breaks a name at this point
      if (!core || /^[^\p{L}\p{M}\p{N}]/u.test(t)) brk[i] = true;
      if (!core || /[^\p{L}\p{M}\p{N}]$/u.test(t)) if (i + 1 < tokens.length) brk[i + 1] = true;
    }
  }
  for (let i = 0; i < tokens.length; i++) if (i > 0 && !norm[i - 1]) brk[i] = true;
  return resolve(norm, brk, gaz).map(({ m, id }) => ({ start: m.start, end: m.end, id }));
}

/** Offset in `raw` after skipping `n` normalized characters. */
function rawOffset(raw: string, n: number): number {
  let seen = 0;
  let i = 0;
  while (i < raw.length && seen < n) {
    seen += normalizeArabic(raw[i]!).length;
    i++;
  }
  // skip marks that belong to the stripped letter
  while (i < raw.length && normalizeArabic(raw[i]!).length === 0) i++;
  return i;
}

/** A word token of a text (the same tokens as normalize.tokenize, with memoized normalization). */
export interface TextToken {
  raw: string;
  norm: string;
  start: number;
  end: number;
}

// Word characters: normalize.tokenize's pattern, one character at a time.
const WORD_CHAR = /^[\p{L}\p{M}\p{N}\u200B-\u200F\u0640]$/u;
/** Per BMP code unit: 0 not looked at yet, 1 a word character, 2 not (filled as characters are met). */
const BMP_CLASS = new Uint8Array(0x10000);
const ASTRAL_CLASS = new Map<number, boolean>();

/** Length of the word character at text[i] (2 for a surrogate pair), or 0 when it is not one. */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) {
    let k = BMP_CLASS[c]!;
    if (k === 0) BMP_CLASS[c] = k = c >= 0xdc00 && c <= 0xdfff ? 2 : WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    return k === 1 ? 1 : 0;
  }
  const d = text.charCodeAt(i + 1);
  if (!(d >= 0xdc00 && d <= 0xdfff)) return 0; // a lone surrogate
  const cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  let word = ASTRAL_CLASS.get(cp);
  if (word === undefined) ASTRAL_CLASS.set(cp, (word = WORD_CHAR.test(String.fromCodePoint(cp))));
  return word ? 2 : 0;
}

/**
 * Normalized forms of short words, memoized in an open-addressing table keyed by the word's characters as
 * they stand in the text: a word seen before costs no substring, no regex match and no string hashing.
 * Cleared when full. Words longer than MEMO_MAX_LENGTH are not kept (see there).
 */
const MEMO_SLOTS = 1 << 17;
const memoHash = new Int32Array(MEMO_SLOTS);
const memoRaw: Array<string | undefined> = new Array(MEMO_SLOTS);
const memoNorm: string[] = new Array(MEMO_SLOTS);
let memoSize = 0;

function memoFind(text: string, start: number, end: number, h: number): number {
  const len = end - start;
  for (let at = h & (MEMO_SLOTS - 1); ; at = (at + 1) & (MEMO_SLOTS - 1)) {
    const raw = memoRaw[at];
    if (raw === undefined) return ~at;
    if (memoHash[at] !== h || raw.length !== len) continue;
    let k = 0;
    while (k < len && raw.charCodeAt(k) === text.charCodeAt(start + k)) k++;
    if (k === len) return at;
  }
}

/**
 * Word tokens of a text: exactly `tokenize(text)` from normalize.ts, faster (one pass over the characters,
 * normalized forms memoized). The pipeline tokenizes an article once with this and shares the tokens
 * between its stages.
 */
export function fastTokenize(text: string): TextToken[] {
  const out: TextToken[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    let w = wordCharAt(text, i);
    if (w === 0) {
      i++;
      continue;
    }
    const start = i;
    let h = 0x811c9dc5;
    while (w !== 0) {
      for (let k = 0; k < w; k++) h = Math.imul(h ^ text.charCodeAt(i + k), 0x01000193);
      i += w;
      w = i < n ? wordCharAt(text, i) : 0;
    }
    let raw: string;
    let norm: string;
    if (i - start > MEMO_MAX_LENGTH) {
      raw = text.slice(start, i);
      norm = normalizeArabic(raw);
    } else {
      let at = memoFind(text, start, i, h);
      if (at >= 0) {
        raw = memoRaw[at]!;
        norm = memoNorm[at]!;
      } else {
        raw = text.slice(start, i);
        norm = normalizeArabic(raw);
        if (memoSize >= MEMO_SLOTS / 2) {
          memoRaw.fill(undefined);
          memoSize = 0;
          at = memoFind(text, start, i, h);
        }
        at = ~at;
        memoHash[at] = h;
        memoRaw[at] = raw;
        memoNorm[at] = norm;
        memoSize++;
      }
    }
    if (norm) out.push({ raw, norm, start, end: i });
  }
  return out;
}

/** Whitespace as the regex \s matches it. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Whether text[from, to) holds anything but whitespace (punctuation between two tokens breaks a name). */
export function hasNonSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return true;
  return false;
}

/** Tag places in raw text; offsets are character offsets into `text`. */
export function tagPlaces(text: string, gaz: Gazetteer = loadGazetteer()): PlaceMention[] {
  return tagPlacesTokens(text, fastTokenize(text), gaz);
}

/** `tagPlaces` over tokens already computed with `fastTokenize(text)`. */
export function tagPlacesTokens(text: string, toks: readonly TextToken[], gaz: Gazetteer = loadGazetteer()): PlaceMention[] {
  const n = toks.length;
  const norm: string[] = new Array(n);
  const brk: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    norm[i] = t.norm;
    brk[i] = i === 0 ? false : hasNonSpace(text, toks[i - 1]!.end, t.start);
  }
  return resolve(norm, brk, gaz).map(({ m, id }) => {
    const first = toks[m.start]!;
    const start = first.start + (m.prefix ? rawOffset(first.raw, m.prefix) : 0);
    const end = toks[m.end - 1]!.end;
    return { id, start, end, text: text.slice(start, end) };
  });
}

/**
 * The most specific places: drops places that are ancestors of other mentioned places, keeps the
 * order of first mention, removes duplicates.
 */
export function mostSpecific(ids: string[], gaz: Gazetteer = loadGazetteer()): PlaceRef[] {
  const uniq = [...new Set(ids)].filter((id) => gaz.get(id));
  const covered = new Set<string>();
  for (const id of uniq) for (const a of gaz.ancestors(id).slice(1)) covered.add(a);
  return uniq.filter((id) => !covered.has(id)).map((id) => gaz.toRef(id));
}
