import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';

/** Names of the collections Nabaa keeps; each is one keyv namespace (one table in SQLite). */
export type Collection = 'chats' | 'sources' | 'seen' | 'articles' | 'outbox' | 'meta';

/** Opens one Keyv per collection on the backend named by STORE_URL. */
export interface KeyvFactory {
  open(collection: Collection): Keyv;
  /** Human-readable backend description (never includes credentials). */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * `sqlite://path` (relative to the working directory, created on first use), `memory://`,
 * or `redis://host:port`. Every Keyv throws on backend errors instead of swallowing them.
 */
export async function createKeyvFactory(storeUrl: string): Promise<KeyvFactory> {
  const opened: Keyv[] = [];
  const track = (k: Keyv) => (opened.push(k), k);
  const close = async () => {
    await Promise.allSettled(opened.map((k) => k.disconnect()));
  };

  if (storeUrl.startsWith('memory://')) {
    return {
      description: 'memory',
      open: (namespace) => track(new Keyv({ namespace, throwOnErrors: true })),
      close,
    };
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
    return {
      description: `sqlite ${file}`,
      open(namespace) {
        // One table per collection keeps listings (iterator) to that collection's rows.
        const adapter = new KeyvSqlite({
          uri: `sqlite://${path}`,
          table: namespace,
          busyTimeout: 10_000,
          iterationLimit: 1000,
        } as never);
        void adapter.query('PRAGMA synchronous=NORMAL').catch(() => undefined);
        return track(new Keyv({ store: adapter, namespace, throwOnErrors: true }));
      },
      close,
    };
  }

  if (/^rediss?:\/\//.test(storeUrl)) {
    const { default: KeyvRedis } = await import('@keyv/redis');
    const host = new URL(storeUrl).host;
    return {
      description: `redis ${host}`,
      open(namespace) {
        const adapter = new KeyvRedis(storeUrl, { throwOnConnectError: true, connectionTimeout: 5000 } as never);
        return track(new Keyv({ store: adapter, namespace, throwOnErrors: true, useKeyPrefix: false }));
      },
      close,
    };
  }
  throw new Error(`Unsupported STORE_URL scheme: ${storeUrl.split(':')[0]}`);
}

/** All [key, value] pairs of a collection. */
export async function listAll<T>(kv: Keyv): Promise<Array<[string, T]>> {
  const out: Array<[string, T]> = [];
  if (!kv.iterator) throw new Error('store backend cannot list keys');
  for await (const [key, value] of kv.iterator(undefined)) {
    if (value !== undefined) out.push([String(key), value as T]);
  }
  return out;
}
