import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';

/**
 * Plain JSON for every value: keyv's default serializer walks objects key by key in JavaScript (and
 * revives Buffers), several times slower than the native JSON for articles and deliveries. Nabaa
 * stores no Buffers.
 */
const JSON_CODEC = { serialize: JSON.stringify, deserialize: JSON.parse } as const;
import { closeRedis, connectRedis, describeRedisUrl, type RedisClient, type RedisConnectOptions } from './redis.js';

/** Names of the collections Nabaa keeps; each is one keyv namespace (one table in SQLite). */
export type Collection = 'chats' | 'sources' | 'seen' | 'articles' | 'outbox' | 'meta';

/** Opens one Keyv per collection on the backend named by STORE_URL. */
export interface KeyvFactory {
  open(collection: Collection): Keyv;
  /** Human-readable backend description (never includes credentials). */
  readonly description: string;
  close(): Promise<void>;
  /** Atomically add `by` to a numeric value (across processes on Redis, within the process otherwise). */
  incr(collection: Collection, key: string, by: number): Promise<number>;
  /** The connected client when the backend is Redis (shared with locks, pub/sub and status). */
  readonly redis?: RedisClient;
  /** Prefix of every Redis key (namespaces are `${prefix}${collection}`). */
  readonly prefix?: string;
}

export interface KeyvFactoryOptions extends RedisConnectOptions {
  /** Prefix of every key on Redis (tests, several deployments on one Redis). Default none. */
  prefix?: string;
}

/** Read-modify-write under a per-key promise chain: atomic within one process. */
function localIncr(open: (c: Collection) => Keyv): KeyvFactory['incr'] {
  const chains = new Map<string, Promise<number>>();
  return (collection, key, by) => {
    const id = `${collection}\u0000${key}`;
    const run = async () => {
      const kv = open(collection);
      const raw = await kv.get<number>(key);
      const n = (typeof raw === 'number' ? raw : 0) + by;
      await kv.set(key, n);
      return n;
    };
    const next = (chains.get(id) ?? Promise.resolve(0)).then(run, run);
    chains.set(id, next);
    void next.finally(() => chains.get(id) === next && chains.delete(id)).catch(() => undefined);
    return next;
  };
}

/**
 * Keyv stores `{"value":…,"expires":…}` as JSON under `${namespace}::${key}`; this increments the
 * value inside that envelope in one server-side step and keeps the key's TTL.
 */
const INCR_LUA = `
local raw = redis.call('GET', KEYS[1])
local n = 0
local expires = cjson.null
if raw then
  local ok, d = pcall(cjson.decode, raw)
  if ok and type(d) == 'table' then
    n = tonumber(d.value) or 0
    if d.expires ~= nil then expires = d.expires end
  end
end
n = n + tonumber(ARGV[1])
redis.call('SET', KEYS[1], cjson.encode({ value = n, expires = expires }), 'KEEPTTL')
return tostring(n)
`;

/**
 * `sqlite://path` (relative to the working directory, created on first use), `memory://`,
 * or `redis://host:port`. Every Keyv throws on backend errors instead of swallowing them.
 */
export async function createKeyvFactory(storeUrl: string, options: KeyvFactoryOptions = {}): Promise<KeyvFactory> {
  const opened: Keyv[] = [];
  const track = (k: Keyv) => (opened.push(k), k);
  const close = async () => {
    await Promise.allSettled(opened.map((k) => k.disconnect()));
  };
  /** One Keyv per collection, opened on first use. */
  const once = (make: (c: Collection) => Keyv) => {
    const cache = new Map<Collection, Keyv>();
    return (c: Collection) => {
      let kv = cache.get(c);
      if (!kv) cache.set(c, (kv = track(make(c))));
      return kv;
    };
  };

  if (storeUrl.startsWith('memory://')) {
    const open = once((namespace) => new Keyv({ namespace, throwOnErrors: true, ...JSON_CODEC }));
    return { description: 'memory', open, close, incr: localIncr(open) };
  }

  if (storeUrl.startsWith('sqlite://')) {
    const file = storeUrl.slice('sqlite://'.length);
    const path = file === ':memory:' ? file : resolve(file);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // WAL lets several connections (one per collection) write without blocking readers, and
    // synchronous=NORMAL avoids an fsync per write while staying safe against a process crash.
    const probe = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 10_000 } as never);
    await probe.query('PRAGMA journal_mode=WAL');
    await probe.disconnect();
    const open = once((namespace) => {
      // One table per collection keeps listings (iterator) to that collection's rows.
      const adapter = new KeyvSqlite({
        uri: `sqlite://${path}`,
        table: namespace,
        busyTimeout: 10_000,
        iterationLimit: 1000,
      } as never);
      void adapter.query('PRAGMA synchronous=NORMAL').catch(() => undefined);
      return new Keyv({ store: adapter, namespace, throwOnErrors: true, ...JSON_CODEC });
    });
    return { description: `sqlite ${file}`, open, close, incr: localIncr(open) };
  }

  if (/^rediss?:\/\//.test(storeUrl)) {
    const { default: KeyvRedis } = await import('@keyv/redis');
    const prefix = options.prefix ?? '';
    // One connection shared by every collection; an outage fails calls at once (see connectRedis).
    const client = await connectRedis(storeUrl, { name: 'nabaa-store', ...options });
    const open = once((collection) => {
      const namespace = `${prefix}${collection}`;
      const adapter = new KeyvRedis(client as never, { namespace, throwOnConnectError: true, throwOnErrors: true });
      return new Keyv({ store: adapter, namespace, throwOnErrors: true, useKeyPrefix: false, ...JSON_CODEC });
    });
    return {
      description: `redis ${describeRedisUrl(storeUrl)}${prefix ? ` prefix ${prefix}` : ''}`,
      open,
      redis: client,
      prefix,
      async incr(collection, key, by) {
        const out = await client.eval(INCR_LUA, { keys: [`${prefix}${collection}::${key}`], arguments: [String(by)] });
        return Number(out);
      },
      // The adapters share the client: close it once instead of disconnecting each Keyv.
      close: () => closeRedis(client),
    };
  }
  throw new Error(`Unsupported STORE_URL scheme: ${storeUrl.split(':')[0]}`);
}

/** The parts of a @keyv/redis adapter that a fast listing needs. */
interface RedisAdapterLike {
  client: RedisClient;
  namespace?: string;
  keyPrefixSeparator?: string;
}

function redisAdapter(kv: Keyv): RedisAdapterLike | undefined {
  const store = kv.store as Partial<RedisAdapterLike> & { constructor?: { name?: string } };
  const client = store?.client as (RedisClient & { scanIterator?: unknown }) | undefined;
  return client && typeof client.scanIterator === 'function' && typeof client.mGet === 'function' && store.namespace
    ? (store as RedisAdapterLike)
    : undefined;
}

/**
 * On Redis: SCAN with COUNT 1000 and one MGET per batch (the adapter's iterator scans ten keys
 * per round trip, which makes loading 100,000 chats take tens of seconds).
 */
async function listRedis<T>(kv: Keyv, a: RedisAdapterLike): Promise<Array<[string, T]>> {
  const sep = a.keyPrefixSeparator ?? '::';
  const head = `${a.namespace}${sep}`;
  const out: Array<[string, T]> = [];
  const now = Date.now();
  for await (const keys of a.client.scanIterator({ MATCH: `${head}*`, COUNT: 1000, TYPE: 'string' })) {
    if (!keys.length) continue;
    const raws = await a.client.mGet(keys);
    for (let i = 0; i < keys.length; i++) {
      const raw = raws[i];
      if (raw === null || raw === undefined) continue;
      const data = (await kv.deserializeData(String(raw))) as { value?: T; expires?: number } | undefined;
      if (!data || data.value === undefined || (typeof data.expires === 'number' && now > data.expires)) continue;
      out.push([String(keys[i]).slice(head.length), data.value]);
    }
  }
  return out;
}

/** All [key, value] pairs of a collection. */
export async function listAll<T>(kv: Keyv): Promise<Array<[string, T]>> {
  const redis = redisAdapter(kv);
  if (redis) return listRedis<T>(kv, redis);
  const out: Array<[string, T]> = [];
  if (!kv.iterator) throw new Error('store backend cannot list keys');
  for await (const [key, value] of kv.iterator(undefined)) {
    if (value !== undefined) out.push([String(key), value as T]);
  }
  return out;
}
