import type Keyv from 'keyv';
import type { Article, ChatProfile, Source, SourceState } from '../types.js';
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
  add(keys: string[]): Promise<void>;
}

/** Recent articles for /latest and story grouping; the newest stay in memory. */
export interface ArticleStore {
  save(a: Article): Promise<void>;
  get(id: string): Promise<Article | undefined>;
  /** Newest first. */
  recent(): readonly Article[];
  load(): Promise<void>;
}

/** Small records: counters, settings, broadcast jobs. */
export interface MetaStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
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
  let recent: Article[] = [];

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
      async add(keys) {
        await seen.setMany(keys.map((key) => ({ key, value: 1, ttl: SEEN_TTL_MS })));
      },
    },
    articles: {
      async save(a) {
        await articles.set(a.id, toStoredArticle(a), ARTICLE_TTL_MS);
        recent = [a, ...recent.filter((r) => r.id !== a.id)].slice(0, RECENT_IN_MEMORY);
      },
      get: async (id) => recent.find((a) => a.id === id) ?? fromStoredArticle(await articles.get<StoredArticle>(id)),
      recent: () => recent,
      async load() {
        const all = (await listAll<StoredArticle>(articles)).map(([, v]) => fromStoredArticle(v)!);
        recent = all.sort((a, b) => b.seenAt - a.seenAt || b.publishedAt - a.publishedAt).slice(0, RECENT_IN_MEMORY);
      },
    },
    meta: {
      get: async (key) => meta.get(key),
      set: async (key, value, ttlMs) => void (await meta.set(key, value, ttlMs)),
      // Atomic: on Redis one server-side step shared by every process.
      incr: (key, by = 1) => factory.incr('meta', key, by),
    },
    outbox,
  };
}

/** Articles are stored with their tokens as one string: serializing a long array of short strings is slow. */
type StoredArticle = Omit<Article, 'tokens'> & { tokens: string | string[] };

function toStoredArticle(a: Article): StoredArticle {
  return { ...a, tokens: a.tokens.join(' ') };
}

function fromStoredArticle(a: StoredArticle | undefined): Article | undefined {
  if (!a) return undefined;
  return { ...a, tokens: typeof a.tokens === 'string' ? (a.tokens ? a.tokens.split(' ') : []) : a.tokens };
}
