import type Keyv from 'keyv';

/** The part of @keyv/sqlite's adapter we use for one-statement batch writes. */
interface SqliteAdapter {
  query(sql: string, ...args: unknown[]): Promise<unknown>;
  opts: { table?: string; dialect?: string };
}

function sqliteAdapter(kv: Keyv): SqliteAdapter | undefined {
  const store = kv.store as Partial<SqliteAdapter> | undefined;
  if (!store || typeof store.query !== 'function' || typeof store.opts?.table !== 'string') return undefined;
  if (store.opts.dialect !== undefined && store.opts.dialect !== 'sqlite') return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(store.opts.table)) return undefined;
  return store as SqliteAdapter;
}

/**
 * `kv.setMany` without a TTL, but on SQLite as ONE upsert statement (rows passed as a JSON array
 * and expanded by json_each). @keyv/sqlite has no setMany, so Keyv falls back to one INSERT per
 * key (~10k rows/s); a single statement is one transaction and many times faster, which is what
 * makes enqueueing a 100,000-chat broadcast take a second or two. Values are serialized by the
 * Keyv instance itself, so `kv.get` reads them back exactly as if `kv.set` had written them.
 */
export async function bulkSet(kv: Keyv, entries: Array<{ key: string; value: unknown }>): Promise<void> {
  if (entries.length === 0) return;
  const sql = sqliteAdapter(kv);
  if (!sql) {
    await kv.setMany(entries);
    return;
  }
  const rows: Array<[string, unknown]> = [];
  for (const { key, value } of entries) {
    rows.push([kv._getKeyPrefix(key), await kv.serializeData({ value, expires: undefined })]);
  }
  // `WHERE true` resolves SQLite's parsing ambiguity between INSERT…SELECT and the upsert clause.
  await sql.query(
    `INSERT INTO ${sql.opts.table} (key, value) SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') FROM json_each(?) AS j WHERE true ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    JSON.stringify(rows),
  );
}

/**
 * Every value of a collection. On SQLite one SELECT (the adapter's iterator pages with OFFSET, which
 * takes seconds for a 100,000-job outbox after a crash); elsewhere Keyv's iterator.
 */
export async function bulkValues<T>(kv: Keyv): Promise<T[]> {
  const sql = sqliteAdapter(kv);
  if (!sql || !kv.namespace) {
    const out: T[] = [];
    if (!kv.iterator) throw new Error('store backend cannot list keys');
    for await (const [, value] of kv.iterator(undefined)) if (value !== undefined) out.push(value as T);
    return out;
  }
  const rows = (await sql.query(`SELECT value FROM ${sql.opts.table} WHERE key LIKE ? ESCAPE '\\'`, `${likeEscape(kv.namespace)}:%`)) as Array<{
    value: string;
  }>;
  const now = Date.now();
  const out: T[] = [];
  for (const row of rows) {
    const data = await kv.deserializeData<T>(row.value);
    if (data && (typeof data.expires !== 'number' || data.expires > now) && data.value !== undefined) out.push(data.value);
  }
  return out;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
