import { describe, expect, it } from 'vitest';
import { FINGERPRINT_SIZE, SAME_STORY, similarity } from '../src/pipeline/story.js';
import { StoryIndex } from '../src/story-index.js';
import type { Article } from '../src/types.js';

describe('StoryIndex', () => {
  // A deterministic generator (tests never depend on Math.random).
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const randomFp = () => Array.from({ length: FINGERPRINT_SIZE }, () => (rand() * 2 ** 32) >>> 0);
  /** A fingerprint sharing each value with `base` with probability `keep`. */
  const near = (base: number[], keep: number) => base.map((v) => (rand() < keep ? v : (rand() * 2 ** 32) >>> 0));
  const art = (id: number, fingerprint: number[]) => ({ id: String(id), sourceId: `s${id % 3}`, fingerprint }) as unknown as Article;

  it('finds what comparing with each of the last KEEP articles finds, across evictions', () => {
    const bases = Array.from({ length: 300 }, randomFp);
    const index = new StoryIndex([]);
    const kept: Article[] = [];
    let found = 0;
    let checked = 0;
    for (let n = 0; n < 3 * StoryIndex.KEEP + 100; n++) {
      const base = bases[Math.floor(rand() * bases.length)]!;
      const q = art(n, near(base, 0.15 + rand() * 0.5));
      if (n % 5 !== 0) {
        index.add(q);
        kept.push(q);
        continue;
      }
      checked++;
      const ok = (r: Article) => r.sourceId !== q.sourceId;
      // Brute force: the most similar at SAME_STORY or above; of equally similar ones the oldest.
      let expected: Article | undefined;
      let bestSim = SAME_STORY;
      for (let k = kept.length - 1; k >= Math.max(0, kept.length - StoryIndex.KEEP); k--) {
        const r = kept[k]!;
        const s = similarity(q.fingerprint, r.fingerprint);
        if (ok(r) && s >= bestSim) [expected, bestSim] = [r, s];
      }
      expect(index.best(q, ok)?.id).toBe(expected?.id);
      if (expected) found++;
      index.add(q);
      kept.push(q);
    }
    // The case is not trivial: many queries find a story, many do not.
    expect(found).toBeGreaterThan(checked / 4);
    expect(found).toBeLessThan(checked - checked / 4);
  });
});
