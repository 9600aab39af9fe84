import type Keyv from 'keyv';
import { storedAnalysis, storedMembers, tokensFromText, tokensToText } from '../pipeline/analysis-text.js';
import { fingerprintFromStored } from '../pipeline/story.js';
import type { Analysis, Article, ChatProfile, Source, SourceState } from '../types.js';
import { setJsonWithTtl, setManyWithTtl, writesJson } from './bulk.js';
import { type KeyvFactory, listAll } from './keyv.js';

/** A source with its fetch state, stored as one record. */
export interface SourceRecord {
  source: Source;
  state: SourceState;
}

export interface ChatStore {
  get(id: number): Promise<ChatProfile | undefined>;
  save(profile: ChatProfile): Promise<void>;
  remove(id: number): Promise<void>;
  all(): Promise<ChatProfile[]>;
}

export interface SourceStore {
  get(id: string): Promise<SourceRecord | undefined>;
  save(rec: SourceRecord): Promise<void>;
  remove(id: string): Promise<boolean>;
  all(): Promise<SourceRecord[]>;
}

/** Keys of items already ingested (GUIDs and canonical URLs), kept for a bounded time. */
export interface SeenStore {
  hasAny(keys: string[]): Promise<boolean>;
  /** `hasAny` for several key lists with one backend read: one answer per list. */
  hasAnyEach(lists: string[][]): Promise<boolean[]>;
  add(keys: string[]): Promise<void>;
}

/** Recent articles for /latest and story grouping; the newest stay in memory. */
export interface ArticleStore {
  save(a: Article): Promise<void>;
  /**
   * The same as saving each article in turn (the in-memory list is updated at once, before the write),
   * with one backend write for all; an article listed twice is stored in its last version.
   */
  saveMany(list: readonly Article[]): Promise<void>;
  get(id: string): Promise<Article | undefined>;
  /** An article from the in-memory recent list, without a backend read. */
  cached(id: string): Article | undefined;
  /** Newest first. */
  recent(): readonly Article[];
  load(): Promise<void>;
}

/** Small records: counters, settings, broadcast jobs. */
export interface MetaStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /** Several `set`s with one backend write (optional: simple test doubles have only `set`). */
  setMany?(entries: Array<{ key: string; value: unknown; ttlMs?: number }>): Promise<void>;
  incr(key: string, by?: number): Promise<number>;
}

export interface Stores {
  chats: ChatStore;
  sources: SourceStore;
  seen: SeenStore;
  articles: ArticleStore;
  meta: MetaStore;
  outbox: Keyv;
}

export const SEEN_TTL_MS = 14 * 24 * 3600_000;
export const ARTICLE_TTL_MS = 3 * 24 * 3600_000;
const RECENT_IN_MEMORY = 1000;

/** The typed stores over one backend. */
export function createStores(factory: KeyvFactory): Stores {
  const chats = factory.open('chats');
  const sources = factory.open('sources');
  const seen = factory.open('seen');
  const articles = factory.open('articles');
  const meta = factory.open('meta');
  const outbox = factory.open('outbox');
  // The recent articles by id, oldest first (a Map keeps insertion order): saving an article moves it to the
  // newest end, the oldest beyond RECENT_IN_MEMORY are dropped; O(batch) per save. The newest-first list
  // that `recent()` returns is made when asked for, after a change.
  const byId = new Map<string, Article>();
  let newestFirst: Article[] | undefined = [];
  const remember = (list: readonly Article[]) => {
    for (const a of list) {
      byId.delete(a.id);
      byId.set(a.id, a);
    }
    for (const id of byId.keys()) {
      if (byId.size <= RECENT_IN_MEMORY) break;
      byId.delete(id);
    }
    newestFirst = undefined;
  };

  return {
    chats: {
      get: async (id) => chats.get<ChatProfile>(String(id)),
      save: async (p) => void (await chats.set(String(p.id), p)),
      remove: async (id) => void (await chats.delete(String(id))),
      all: async () => (await listAll<ChatProfile>(chats)).map(([, v]) => v),
    },
    sources: {
      get: async (id) => sources.get<SourceRecord>(id),
      save: async (rec) => void (await sources.set(rec.source.id, rec)),
      remove: async (id) => sources.delete(id),
      all: async () => (await listAll<SourceRecord>(sources)).map(([, v]) => v),
    },
    seen: {
      async hasAny(keys) {
        const found = await seen.getMany<number>(keys);
        return found.some((v) => v !== undefined);
      },
      async hasAnyEach(lists) {
        const found = await seen.getMany<number>(lists.flat());
        let at = 0;
        return lists.map((keys) => {
          let any = false;
          for (let i = 0; i < keys.length; i++) if (found[at + i] !== undefined) any = true;
          at += keys.length;
          return any;
        });
      },
      async add(keys) {
        await setManyWithTtl(seen, keys.map((key) => ({ key, value: 1, ttl: SEEN_TTL_MS })));
      },
    },
    articles: {
      async save(a) {
        await articles.set(a.id, toStoredArticle(a), ARTICLE_TTL_MS);
        remember([a]);
      },
      async saveMany(list) {
        if (list.length === 0) return;
        remember(list);
        const last = new Map<string, Article>();
        for (const a of list) last.set(a.id, a);
        const latest = [...last.values()];
        if (writesJson(articles)) await setJsonWithTtl(articles, latest.map((a) => ({ key: a.id, json: storedArticleJson(a), ttl: ARTICLE_TTL_MS })));
        else await setManyWithTtl(articles, latest.map((a) => ({ key: a.id, value: toStoredArticle(a), ttl: ARTICLE_TTL_MS })));
      },
      get: async (id) => byId.get(id) ?? fromStoredArticle(await articles.get<StoredArticle>(id)),
      cached: (id) => byId.get(id),
      recent: () => (newestFirst ??= [...byId.values()].reverse()),
      async load() {
        const all = (await listAll<StoredArticle>(articles)).map(([, v]) => fromStoredArticle(v)!);
        byId.clear();
        remember(all.sort((a, b) => a.seenAt - b.seenAt || a.publishedAt - b.publishedAt).slice(-RECENT_IN_MEMORY));
      },
    },
    meta: {
      get: async (key) => meta.get(key),
      set: async (key, value, ttlMs) => void (await meta.set(key, value, ttlMs)),
      setMany: (entries) => setManyWithTtl(meta, entries.map(({ key, value, ttlMs }) => ({ key, value, ttl: ttlMs }))),
      // Atomic: on Redis one server-side step shared by every process.
      incr: (key, by = 1) => factory.incr('meta', key, by),
    },
    outbox,
  };
}

/**
 * Articles are stored with their tokens as one string and their fingerprint as base64 (see
 * analysis-text.ts); earlier versions stored arrays of both, which still load.
 */
type StoredArticle = Omit<Article, 'tokens' | 'fingerprint'> & { tokens: string | string[]; fingerprint: string | number[] };

/** The article's own fields (all but its analysis). */
function ownFields(a: Article): Omit<Article, keyof Analysis> {
  const { summary, topics, topicScores, places, placeIds, tokens, fingerprint, ...own } = a;
  return own;
}

function toStoredArticle(a: Article): StoredArticle {
  return { ...ownFields(a), ...storedAnalysis(a) };
}

/** `JSON.stringify(toStoredArticle(a))`, with the analysis part as serialized on the worker that made it. */
function storedArticleJson(a: Article): string {
  return `{${JSON.stringify(ownFields(a)).slice(1, -1)},"tokens":${JSON.stringify(tokensToText(a.tokens))},${storedMembers(a)}}`;
}

function fromStoredArticle(a: StoredArticle | undefined): Article | undefined {
  if (!a) return undefined;
  return {
    ...a,
    tokens: typeof a.tokens === 'string' ? tokensFromText(a.tokens) : a.tokens,
    fingerprint: fingerprintFromStored(a.fingerprint),
  };
}


