/**
 * Redis for tests: `REDIS_URL` (default redis://127.0.0.1:6379). Suites that need it call
 * `redisForSuite(name)` at the top level and wrap their tests in `describe.skipIf(!redis)`.
 * When no Redis answers, one line says the suite was skipped and why; with CI=true a missing
 * Redis is a failure instead (the error fails the test file).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  url: string;
  /** A fresh key prefix for this run, e.g. `t-3fa9c1:`. */
  prefix: string;
}

/** Send PING over a raw socket; resolves with why it failed, or undefined when Redis answered. */
export function probeRedis(url = REDIS_URL, timeoutMs = 1000): Promise<string | undefined> {
  let host = '127.0.0.1';
  let port = 6379;
  try {
    const u = new URL(url);
    host = u.hostname || host;
    port = Number(u.port || 6379);
  } catch {
    return Promise.resolve(`unparsable REDIS_URL ${url}`);
  }
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      // +PONG, or -NOAUTH when a password is needed (Redis is there; the URL carries the password).
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG') || buf.startsWith('-NOAUTH') ? undefined : `unexpected reply ${JSON.stringify(buf.slice(0, 40))}`);
    });
    sock.on('error', (err) => done((err as NodeJS.ErrnoException).code ?? err.message));
  });
}

/** The Redis to use for a suite, or undefined (after printing one line) when none answers. */
export async function redisForSuite(suite: string): Promise<TestRedis | undefined> {
  const why = await probeRedis();
  if (why === undefined) return { url: REDIS_URL, prefix: randomPrefix() };
  const where = REDIS_URL.replace(/\/\/[^@]*@/, '//');
  if (process.env.CI === 'true') {
    throw new Error(`${suite}: Redis is required with CI=true, but none answers at ${where} (${why}). Start redis-server or set REDIS_URL.`);
  }
  console.warn(`[skipped] ${suite}: no Redis at ${where} (${why}); start redis-server or set REDIS_URL to run it`);
  return undefined;
}

export function randomPrefix(): string {
  return `t-${randomBytes(4).toString('hex')}:`;
}

/** Delete every key starting with `prefix` (never FLUSHALL: others share this Redis). */
export async function deletePrefix(url: string, prefix: string): Promise<number> {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  let removed = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length) removed += await client.unlink(keys);
    }
  } finally {
    client.destroy();
  }
  return removed;
}

/**
 * A TCP proxy in front of Redis that a test can take down and bring back on the same port,
 * to see what Nabaa does when Redis goes away.
 */
export class FlakyProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static async start(url = REDIS_URL): Promise<FlakyProxy> {
    const u = new URL(url);
    const p = new FlakyProxy({ host: u.hostname, port: Number(u.port || 6379) });
    await p.up();
    return p;
  }

  url(base = REDIS_URL): string {
    const u = new URL(base);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      this.sockets.add(client).add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Close the listener and cut every open connection. */
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
