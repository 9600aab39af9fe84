import type Keyv from 'keyv';

/** The part of @keyv/sqlite's adapter used for one-statement batch writes. */
interface SqliteAdapter {
  query(sql: string, ...args: unknown[]): Promise<unknown>;
  opts: { table?: string; dialect?: string };
}

export function sqliteAdapter(kv: Keyv): SqliteAdapter | undefined {
  const store = kv.store as Partial<SqliteAdapter> | undefined;
  if (!store || typeof store.query !== 'function' || typeof store.opts?.table !== 'string') return undefined;
  if (store.opts.dialect !== undefined && store.opts.dialect !== 'sqlite') return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(store.opts.table)) return undefined;
  return store as SqliteAdapter;
}

/**
 * `kv.setMany`, but on SQLite as one upsert statement (one transaction): @keyv/sqlite has no setMany,
 * so Keyv would write row by row. Values go in Keyv's own envelope ({ value, expires }, serialized by
 * the Keyv instance), so `kv.get` reads them exactly as if `kv.set(key, value, ttl)` had written them.
 * Other backends use `kv.setMany` (Redis sets the TTL itself).
 */
export async function setManyWithTtl<T>(kv: Keyv, entries: Array<{ key: string; value: T; ttl?: number }>): Promise<void> {
  if (entries.length === 0) return;
  const sql = sqliteAdapter(kv);
  if (!sql) {
    await kv.setMany(entries);
    return;
  }
  const rows: unknown[] = [];
  for (const { key, value, ttl } of entries) {
    const expires = expiresAt(kv, ttl);
    // Keyv's envelope written directly (without a promise per entry) when Keyv would write it with plain
    // JSON.stringify anyway; one flat string (a concatenation would be copied again when handed to SQLite).
    const data = writesJson(kv) ? JSON.stringify(expires === undefined ? { value } : { value, expires }) : await kv.serializeData({ value, expires });
    rows.push(kv._getKeyPrefix(key), data);
  }
  await upsert(sql, rows);
}

/**
 * Whether `setJsonWithTtl` can write to this store: SQLite with Keyv's plain JSON serializer, where a
 * value serialized elsewhere (on a worker thread) can be written as it is.
 */
export function writesJson(kv: Keyv): boolean {
  return sqliteAdapter(kv) !== undefined && kv.serialize === JSON.stringify && !kv.compression;
}

/** `setManyWithTtl` for values given as their JSON text; only where `writesJson(kv)`. */
export async function setJsonWithTtl(kv: Keyv, entries: Array<{ key: string; json: string; ttl?: number }>): Promise<void> {
  const sql = sqliteAdapter(kv);
  if (!sql || !writesJson(kv)) throw new Error('setJsonWithTtl: not a plain-JSON SQLite store');
  const rows: unknown[] = [];
  for (const { key, json, ttl } of entries) {
    const expires = expiresAt(kv, ttl);
    rows.push(kv._getKeyPrefix(key), `{"value":${json}${expires === undefined ? '' : `,"expires":${expires}`}}`);
  }
  await upsert(sql, rows);
}

/** As Keyv.set: the instance default TTL when none is given, 0 for none. */
function expiresAt(kv: Keyv, ttl: number | undefined): number | undefined {
  const t = ttl ?? kv.ttl;
  return typeof t === 'number' && t !== 0 ? Date.now() + t : undefined;
}

/**
 * Upserts (key, value) pairs given flat. Bound parameters rather than one JSON array (which would escape
 * every serialized value again); SQLite allows 32,766 of them per statement. A key listed twice keeps its
 * last value, as with set.
 */
async function upsert(sql: SqliteAdapter, params: unknown[]): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < params.length; i += 2 * UPSERT_ROWS) {
    const chunk = params.slice(i, i + 2 * UPSERT_ROWS);
    const rows = Array.from({ length: chunk.length / 2 }, () => '(?, ?)').join(', ');
    writes.push(sql.query(`INSERT INTO ${sql.opts.table} (key, value) VALUES ${rows} ON CONFLICT(key) DO UPDATE SET value = excluded.value`, ...chunk));
  }
  await Promise.all(writes);
}

/** Rows per upsert statement. */
const UPSERT_ROWS = 2000;

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
