/**
 * One contract for every typed store (src/store/stores.ts), run against memory, SQLite (a temp
 * dir) and Redis (a fresh key prefix per run, deleted afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyvFactory, type KeyvFactory } from '../../src/store/keyv.js';
import { createStores, SEEN_TTL_MS } from '../../src/store/stores.js';
import type { Article, ChatProfile, Delivery } from '../../src/types.js';
import { deletePrefix, randomPrefix, redisForSuite } from '../helpers/redis.js';

const redis = await redisForSuite('store contract (redis)');
const dir = mkdtempSync(join(tmpdir(), 'nabaa-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Backend {
  name: string;
  /** Opens the same data again (a restart); `fresh` opens an empty store. */
  open(fresh?: boolean): Promise<KeyvFactory>;
  cleanup(): Promise<void>;
  available: boolean;
}

function backends(): Backend[] {
  let sqliteN = 0;
  let sqliteFile = '';
  let redisPrefix = '';
  const used: string[] = [];
  let memory: KeyvFactory | undefined;
  return [
    {
      name: 'memory',
      available: true,
      // Memory lives as long as its factory: a "restart" reuses it.
      open: async (fresh) => (!fresh && memory ? memory : (memory = await createKeyvFactory('memory://'))),
      cleanup: async () => undefined,
    },
    {
      name: 'sqlite',
      available: true,
      async open(fresh) {
        if (fresh || !sqliteFile) sqliteFile = join(dir, `s${++sqliteN}.sqlite`);
        return createKeyvFactory(`sqlite://${sqliteFile}`);
      },
      cleanup: async () => undefined,
    },
    {
      name: 'redis',
      available: !!redis,
      async open(fresh) {
        if (fresh || !redisPrefix) used.push((redisPrefix = `${redis!.prefix}${randomPrefix()}`));
        return createKeyvFactory(redis!.url, { prefix: redisPrefix, connectTimeoutMs: 2000 });
      },
      async cleanup() {
        for (const p of used) await deletePrefix(redis!.url, p);
      },
    },
  ];
}

const profile = (id: number, extra: Partial<ChatProfile> = {}): ChatProfile => ({
  id,
  type: id < 0 ? 'supergroup' : 'private',
  locale: 'ar',
  active: true,
  strikes: 0,
  topics: ['politics'],
  places: ['sy-hasakah'],
  keywords: ['سد النهضة'],
  createdAt: 1_700_000_000_000,
  ...extra,
});

const article = (id: string, seenAt: number): Article => ({
  id,
  sourceId: 'src',
  sourceName: 'المصدر',
  url: `https://example.com/${id}`,
  title: `عنوان ${id}`,
  publishedAt: seenAt - 1000,
  seenAt,
  storyId: id,
  summary: 'ملخص الخبر',
  topics: ['economy'],
  topicScores: { economy: 0.9 },
  places: [{ id: 'sy', name: 'سوريا', kind: 'country', path: ['سوريا'] }],
  placeIds: ['sy'],
  tokens: ['اقتصاد'],
  fingerprint: Uint32Array.of(1, 2, 0xffffffff),
});

for (const b of backends()) {
  describe.skipIf(!b.available)(`store contract: ${b.name}`, () => {
    const factories: KeyvFactory[] = [];
    const open = async (fresh = false) => {
      const f = await b.open(fresh);
      factories.push(f);
      return f;
    };
    afterAll(async () => {
      for (const f of factories) await f.close();
      await b.cleanup();
    });

    it('chats: save, get, list, overwrite, remove, survive a reopen', async () => {
      const f = await open(true);
      const s = createStores(f);
      expect(await s.chats.get(1)).toBeUndefined();
      expect(await s.chats.all()).toEqual([]);
      await s.chats.save(profile(1));
      await s.chats.save(profile(-100123, { locale: 'en', keywords: ['غزة', 'oil'] }));
      await s.chats.save(profile(1, { strikes: 2 }));
      expect(await s.chats.get(1)).toEqual(profile(1, { strikes: 2 }));
      expect((await s.chats.all()).map((p) => p.id).sort((a, z) => a - z)).toEqual([-100123, 1]);
      await s.chats.remove(1);
      await s.chats.remove(999); // removing a missing chat is fine
      expect(await s.chats.get(1)).toBeUndefined();
      const again = createStores(await open());
      expect(await again.chats.all()).toEqual([profile(-100123, { locale: 'en', keywords: ['غزة', 'oil'] })]);
    });

    it('chats: lists more than one page (1,500 chats)', async () => {
      const s = createStores(await open(true));
      const ids = Array.from({ length: 1500 }, (_, i) => i + 1);
      await Promise.all(ids.map((id) => s.chats.save(profile(id))));
      const all = await s.chats.all();
      expect(all).toHaveLength(1500);
      expect(new Set(all.map((p) => p.id)).size).toBe(1500);
    });

    it('sources: save with state, get, list, remove reports whether it existed', async () => {
      const s = createStores(await open(true));
      const rec = {
        source: { id: 'aljazeera', name: 'الجزيرة', url: 'https://example.com/rss', fullText: false, enabled: true, trusted: true, origin: 'builtin' as const },
        state: { nextCheckAt: 5, errorCount: 1, itemsToday: 3, etag: '"x"', lastError: { name: 'timeout', message: 'slow', at: 4 } },
      };
      await s.sources.save(rec);
      expect(await s.sources.get('aljazeera')).toEqual(rec);
      expect(await s.sources.all()).toEqual([rec]);
      expect(await s.sources.remove('aljazeera')).toBe(true);
      expect(await s.sources.remove('aljazeera')).toBe(false);
      expect(await s.sources.all()).toEqual([]);
    });

    it('seen: hasAny is true when any key was added, false otherwise', async () => {
      const s = createStores(await open(true));
      expect(await s.seen.hasAny(['g:a:1', 'u:https://x/1'])).toBe(false);
      await s.seen.add(['g:a:1', 'u:https://x/1']);
      expect(await s.seen.hasAny(['g:a:1'])).toBe(true);
      expect(await s.seen.hasAny(['g:b:9', 'u:https://x/1'])).toBe(true);
      expect(await s.seen.hasAny(['g:b:9', 'u:https://x/2'])).toBe(false);
      expect(await s.seen.hasAny([])).toBe(false);
    });

    it('seen: keys expire after SEEN_TTL_MS', async () => {
      const f = await open(true);
      const s = createStores(f);
      await s.seen.add(['g:ttl:1']);
      if (f.redis) {
        // Expiry is the server's job on Redis: check the TTL it holds.
        const ttl = await f.redis.pTTL(`${f.prefix}seen::g:ttl:1`);
        expect(ttl).toBeGreaterThan(SEEN_TTL_MS - 60_000);
        expect(ttl).toBeLessThanOrEqual(SEEN_TTL_MS);
      } else {
        const realNow = Date.now;
        try {
          Date.now = () => realNow() + SEEN_TTL_MS + 1000;
          expect(await s.seen.hasAny(['g:ttl:1'])).toBe(false);
        } finally {
          Date.now = realNow;
        }
      }
    });

    it('articles: recent is newest first, get falls back to the store, load restores after a restart', async () => {
      const s = createStores(await open(true));
      await s.articles.save(article('a1', 1000));
      await s.articles.save(article('a2', 3000));
      await s.articles.save(article('a3', 2000));
      expect(s.articles.recent().map((a) => a.id)).toEqual(['a3', 'a2', 'a1']);
      expect(await s.articles.get('a2')).toEqual(article('a2', 3000));
      const restarted = createStores(await open());
      expect(restarted.articles.recent()).toEqual([]);
      expect(await restarted.articles.get('a1')).toEqual(article('a1', 1000));
      await restarted.articles.load();
      expect(restarted.articles.recent().map((a) => a.id)).toEqual(['a2', 'a3', 'a1']);
      expect(await restarted.articles.get('zz')).toBeUndefined();
    });

    it('articles stored by an earlier version (tokens and fingerprint as arrays) load', async () => {
      const factory = await open(true);
      const old = { ...article('old', 1000), fingerprint: [1, 2, 0xffffffff] };
      await factory.open('articles').set('old', old);
      const got = await createStores(factory).articles.get('old');
      expect(got).toEqual(article('old', 1000));
      expect(got!.fingerprint).toBeInstanceOf(Uint32Array);
    });

    it('meta: get/set with TTL, and incr is atomic under concurrency', async () => {
      const s = createStores(await open(true));
      expect(await s.meta.get('x')).toBeUndefined();
      await s.meta.set('story:1', [5, 6, 7], 60_000);
      expect(await s.meta.get<number[]>('story:1')).toEqual([5, 6, 7]);
      await s.meta.set('obj', { status: 'queued', text: 'تنبيه' });
      expect(await s.meta.get('obj')).toEqual({ status: 'queued', text: 'تنبيه' });
      expect(await s.meta.incr('n')).toBe(1);
      expect(await s.meta.incr('n', 4)).toBe(5);
      const results = await Promise.all(Array.from({ length: 50 }, () => s.meta.incr('c')));
      expect(new Set(results).size).toBe(50);
      expect(await s.meta.incr('c', 0)).toBe(50);
      expect(await s.meta.get<number>('c')).toBe(50);
      // Two "processes" (two factories on the same data) incrementing at once lose nothing.
      const other = createStores(await open());
      await Promise.all([...Array.from({ length: 20 }, () => s.meta.incr('d')), ...Array.from({ length: 20 }, () => other.meta.incr('d'))]);
      if (b.name !== 'sqlite') expect(await s.meta.get<number>('d')).toBe(40);
      else expect(await s.meta.get<number>('d')).toBeGreaterThan(0); // SQLite is one process's store
    });

    it('outbox: raw Keyv set/get/delete/list for delivery jobs', async () => {
      const s = createStores(await open(true));
      const d: Delivery = { id: 'a:1', chatId: 1, lane: 'alert', text: '<b>خبر</b>', createdAt: 1, notBefore: 1, attempts: 0 };
      await s.outbox.setMany([d, { ...d, id: 'a:2', chatId: 2 }].map((x) => ({ key: x.id, value: x })));
      expect(await s.outbox.get('a:1')).toEqual(d);
      await s.outbox.delete('a:1');
      const keys: string[] = [];
      for await (const [k] of s.outbox.iterator!(undefined)) keys.push(String(k));
      expect(keys).toEqual(['a:2']);
    });

    it('collections do not see each other', async () => {
      const s = createStores(await open(true));
      await s.chats.save(profile(7));
      await s.meta.set('7', 'x');
      expect(await s.sources.all()).toEqual([]);
      expect((await s.chats.all()).map((p) => p.id)).toEqual([7]);
    });
  });
}
