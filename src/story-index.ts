/**
 * Story lookup for ingest: the most recent articles indexed by their MinHash fingerprints, so a new
 * report finds the earlier article of the same story without being compared with every recent one.
 * In memory, synchronous, no I/O.
 */
import { FINGERPRINT_SIZE, SAME_STORY, similarity } from './pipeline/story.js';
import type { Article } from './types.js';

/**
 * The most recent articles indexed by (position, value) of their MinHash fingerprints.
 * similarity = equal positions / size, so an article reaches SAME_STORY only if it shares at least
 * ceil(SAME_STORY × size) values with the query: counting shared values through the postings finds
 * exactly those without comparing with every article. Candidates come newest first.
 */
export class StoryIndex {
  /** Articles kept (a power of two: slot = age & MASK). */
  static readonly KEEP = 1024;
  private static readonly MASK = StoryIndex.KEEP - 1;
  private static readonly WORDS = StoryIndex.KEEP / 32;
  /**
   * Postings: (position, value) → the slots of the articles with that value there, in an open-addressing
   * table of typed arrays (one probe, no boxed keys, nothing allocated). Most values belong to one
   * article: the table holds its slot (≥ 0); a value shared by several holds −(n + 1) for bitset n of
   * `bits` (KEEP bits), so counting reads a few sequential words rather than chasing a list.
   */
  private readonly postings = new PostingTable(StoryIndex.KEEP * FINGERPRINT_SIZE);
  private bits = new Int32Array(64 * StoryIndex.WORDS);
  /** Set bits per bitset (a bitset is freed when it has none left). */
  private members = new Int32Array(64);
  /** Per bitset, its words that have a set bit (bit k for word k), so counting skips the empty ones. */
  private nonzero = new Int32Array(64);
  private readonly free: number[] = [];
  private used = 0;
  /** Articles by slot (age & MASK); slots are reused oldest first (a ring). */
  private readonly slots: Array<Article | undefined> = new Array(StoryIndex.KEEP);
  /** Shared values per slot, and the slots that reached `need`, of the last `count`. */
  private readonly counts = new Uint8Array(StoryIndex.KEEP);
  private readonly reached: number[] = [];
  /** Age (insertion number) of the next article added. */
  private next = 0;
  private readonly need = Math.ceil(SAME_STORY * FINGERPRINT_SIZE - 1e-9);

  constructor(oldestFirst: readonly Article[]) {
    for (const a of oldestFirst) this.add(a);
  }

  add(a: Article): void {
    if (a.fingerprint.length !== FINGERPRINT_SIZE) return; // from another version: never grouped
    const slot = this.next++ & StoryIndex.MASK;
    const old = this.slots[slot];
    if (old) for (let i = 0; i < FINGERPRINT_SIZE; i++) this.remove(i, old.fingerprint[i]!, slot);
    this.slots[slot] = a;
    const { postings } = this;
    for (let i = 0; i < FINGERPRINT_SIZE; i++) {
      const at = postings.find(i, a.fingerprint[i]!);
      if (at < 0) {
        postings.insert(~at, i, a.fingerprint[i]!, slot);
        continue;
      }
      const h = postings.val[at]!;
      if (h >= 0) {
        const n = this.allocBits();
        this.setBit(n, h);
        this.setBit(n, slot);
        postings.val[at] = -(n + 1);
      } else this.setBit(-h - 1, slot);
    }
  }

  private remove(i: number, v: number, slot: number): void {
    const at = this.postings.find(i, v);
    if (at < 0) return;
    const h = this.postings.val[at]!;
    if (h >= 0) {
      if (h === slot) this.postings.remove(at);
      return;
    }
    const n = -h - 1;
    const w = n * StoryIndex.WORDS + (slot >>> 5);
    const bit = 1 << (slot & 31);
    if (!(this.bits[w]! & bit)) return;
    this.bits[w] = this.bits[w]! & ~bit;
    if (this.bits[w] === 0) this.nonzero[n] = this.nonzero[n]! & ~(1 << (slot >>> 5));
    if (--this.members[n]! === 0) {
      this.free.push(n);
      this.postings.remove(at);
    }
  }

  private allocBits(): number {
    const n = this.free.pop() ?? this.used++;
    if (n >= this.members.length) {
      const members = new Int32Array(this.members.length * 2);
      members.set(this.members);
      this.members = members;
      const nonzero = new Int32Array(members.length);
      nonzero.set(this.nonzero);
      this.nonzero = nonzero;
      const bits = new Int32Array(members.length * StoryIndex.WORDS);
      bits.set(this.bits);
      this.bits = bits;
    }
    this.bits.fill(0, n * StoryIndex.WORDS, (n + 1) * StoryIndex.WORDS);
    this.members[n] = 0;
    this.nonzero[n] = 0;
    return n;
  }

  private setBit(n: number, slot: number): void {
    const w = n * StoryIndex.WORDS + (slot >>> 5);
    const bit = 1 << (slot & 31);
    if (this.bits[w]! & bit) return;
    this.bits[w] = this.bits[w]! | bit;
    this.nonzero[n] = this.nonzero[n]! | (1 << (slot >>> 5));
    this.members[n]!++;
  }

  /**
   * Counts, for every slot, the fingerprint values it shares with `fp`, and lists the slots that reach
   * `need` (in `reached`). A value shared by several articles adds one to each member of its bitset: its
   * set bits are visited, a zero word costs one read.
   */
  private count(fp: Article['fingerprint']): void {
    const { counts, bits, nonzero, reached, need, postings } = this;
    const { val } = postings;
    const W = StoryIndex.WORDS;
    counts.fill(0);
    reached.length = 0;
    for (let i = 0; i < fp.length; i++) {
      const at = postings.find(i, fp[i]!);
      if (at < 0) continue;
      const h = val[at]!;
      if (h >= 0) {
        if (++counts[h]! === need) reached.push(h);
        continue;
      }
      const n = -h - 1;
      for (let words = nonzero[n]!; words !== 0; ) {
        const lowWord = words & -words;
        words ^= lowWord;
        const k = 31 - Math.clz32(lowWord);
        for (let m = bits[n * W + k]!; m !== 0; ) {
          const low = m & -m;
          m ^= low;
          const slot = (k << 5) | (31 - Math.clz32(low));
          if (++counts[slot]! === need) reached.push(slot);
        }
      }
    }
  }

  /** After `count`: the slots sharing at least `need` values, as [slot, shared values] pairs. */
  private qualifying(): Array<[number, number]> {
    return this.reached.map((slot) => [slot, this.counts[slot]!]);
  }

  /** Age of the article in a slot (slots hold the last KEEP ages). */
  private ageOf(slot: number): number {
    const newest = this.next - 1;
    return newest - ((newest - slot) & StoryIndex.MASK);
  }

  /** Articles sharing at least `need` fingerprint values with `fp`, newest first. */
  candidates(fp: Article['fingerprint']): Article[] {
    this.count(fp);
    return this.qualifying()
      .map(([slot]) => slot)
      .filter((slot) => this.slots[slot])
      .sort((x, y) => this.ageOf(y) - this.ageOf(x))
      .map((slot) => this.slots[slot]!);
  }

  /**
   * The most similar article at SAME_STORY or above among those `ok` accepts; of equally similar ones the
   * oldest. The same as taking `candidates` newest first and keeping the last with the highest similarity.
   */
  best(a: Pick<Article, 'fingerprint'>, ok: (r: Article) => boolean): Article | undefined {
    const fp = a.fingerprint;
    // Shared values are the similarity's equal positions unless both are empty: use it directly then.
    if (fp.length !== FINGERPRINT_SIZE || fp.includes(EMPTY)) {
      let best: Article | undefined;
      let bestSim = SAME_STORY;
      for (const r of this.candidates(fp)) {
        if (!ok(r)) continue;
        const s = similarity(fp, r.fingerprint);
        if (s >= bestSim) [best, bestSim] = [r, s];
      }
      return best;
    }
    this.count(fp);
    let bestSlot = -1;
    let bestCount = this.need;
    for (const [slot, c] of this.qualifying()) {
      if (c < bestCount || (c === bestCount && bestSlot >= 0 && this.ageOf(slot) > this.ageOf(bestSlot))) continue;
      const r = this.slots[slot];
      if (!r || !ok(r)) continue;
      bestSlot = slot;
      bestCount = c;
    }
    return bestSlot >= 0 ? this.slots[bestSlot] : undefined;
  }
}

/**
 * An open-addressing hash table (linear probing, deletion by backward shift) from (position, value) to
 * an int32, for the story index: `find` gives the entry's index, or ~(where to insert) when absent.
 * Sized for at most `entries` keys at half load.
 */
class PostingTable {
  private readonly mask: number;
  /** Position + 1 (0: empty). */
  private readonly pos: Uint8Array;
  private readonly value: Uint32Array;
  readonly val: Int32Array;

  constructor(entries: number) {
    const size = 2 ** Math.ceil(Math.log2(entries * 2));
    this.mask = size - 1;
    this.pos = new Uint8Array(size);
    this.value = new Uint32Array(size);
    this.val = new Int32Array(size);
  }

  private home(i: number, v: number): number {
    let h = Math.imul(v ^ Math.imul(i + 1, 0x9e3779b9), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  find(i: number, v: number): number {
    const { pos, value, mask } = this;
    for (let at = this.home(i, v); ; at = (at + 1) & mask) {
      const p = pos[at]!;
      if (p === 0) return ~at;
      if (p === i + 1 && value[at] === v) return at;
    }
  }

  /** Adds a key `find` reported absent at ~`at`. */
  insert(at: number, i: number, v: number, x: number): void {
    this.pos[at] = i + 1;
    this.value[at] = v;
    this.val[at] = x;
  }

  /** Removes the entry at `at`, moving later entries of its probe run back (no tombstones). */
  remove(at: number): void {
    const { pos, value, val, mask } = this;
    let hole = at;
    pos[hole] = 0;
    for (let k = (hole + 1) & mask; pos[k] !== 0; k = (k + 1) & mask) {
      const home = this.home(pos[k]! - 1, value[k]!);
      // The entry stays if its home lies cyclically in (hole, k].
      if (hole <= k ? hole < home && home <= k : hole < home || home <= k) continue;
      pos[hole] = pos[k]!;
      value[hole] = value[k]!;
      val[hole] = val[k]!;
      pos[k] = 0;
      hole = k;
    }
  }
}

/** Value of an unused fingerprint position (no terms). */
const EMPTY = 0xffffffff;
