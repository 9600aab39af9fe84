import { createClient } from '@keyv/redis';

/** A connected node-redis client (the one @keyv/redis brings). */
export type RedisClient = ReturnType<typeof createClient>;

/** Redis did not answer at start-up within the allowed time. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export interface RedisConnectOptions {
  /** Give up the first connection after this long (default 10 s); later drops reconnect forever. */
  connectTimeoutMs?: number;
  /** Every command fails with a TimeoutError after this long (default 5 s) instead of hanging. */
  commandTimeoutMs?: number;
  /** Told of connection errors, at most once per `errorEveryMs` (default 30 s) while Redis stays down. */
  onError?: (err: Error) => void;
  errorEveryMs?: number;
  /** Shown in CLIENT LIST (which process holds a connection). */
  name?: string;
}

/** `redis://user:pass@host:port/db` → `host:port/db` (never the credentials). */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'redis (unparsable url)';
  }
}

/** Back-off between reconnection attempts: 100 ms doubling to 2 s, with jitter. */
export function reconnectDelay(attempt: number, rand = Math.random()): number {
  return Math.round(Math.min(2 ** attempt * 100, 2000) * (0.75 + rand / 2));
}

/**
 * Connect to Redis so that an outage gives clear, named errors instead of hung calls: the first
 * connection is retried with back-off until `connectTimeoutMs` (then StoreUnavailableError); once
 * connected, a dropped connection is re-established in the background forever, and meanwhile every
 * command fails at once (ClientOfflineError, no offline queue) or after `commandTimeoutMs`.
 */
export async function connectRedis(url: string, opts: RedisConnectOptions = {}): Promise<RedisClient> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const started = Date.now();
  let connected = false;
  let lastReport = 0;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: opts.commandTimeoutMs ?? 5000 },
    ...(opts.name ? { name: opts.name } : {}),
    socket: {
      connectTimeout: Math.min(3000, connectTimeoutMs),
      reconnectStrategy: (attempt: number, cause: Error) => {
        if (connected) return reconnectDelay(attempt);
        const left = started + connectTimeoutMs - Date.now();
        return left <= 0 ? cause : Math.min(reconnectDelay(attempt), left);
      },
    },
  });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
    const now = Date.now();
    if (!connected || now - lastReport < (opts.errorEveryMs ?? 30_000)) return;
    lastReport = now;
    opts.onError?.(err);
  });
  client.on('ready', () => (lastReport = 0));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(lastError ?? new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs + 500);
      }),
    ]);
  } catch (err) {
    try {
      client.destroy();
    } catch {
      // already closed by the reconnect strategy giving up
    }
    const cause = err instanceof Error ? ((err as { originalError?: Error }).originalError ?? err) : new Error(String(err));
    throw new StoreUnavailableError(
      `Redis at ${describeRedisUrl(url)} did not answer within ${Math.round(connectTimeoutMs / 1000)} s (${cause.message}). ` +
        'Check that Redis runs and that the URL (STORE_URL / REDIS_URL) is right.',
      { cause },
    );
  } finally {
    clearTimeout(timer);
  }
  connected = true;
  return client as RedisClient;
}

/** Close a client: QUIT when possible, otherwise drop the socket. Never throws. */
export async function closeRedis(client: RedisClient | undefined): Promise<void> {
  if (!client) return;
  try {
    if (client.isReady) await client.close();
    else client.destroy();
  } catch {
    try {
      client.destroy();
    } catch {
      // already closed
    }
  }
}
