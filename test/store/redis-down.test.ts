/** What the store does when Redis is not there, or goes away and comes back. */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { StoreUnavailableError } from '../../src/store/redis.js';
import { createStores } from '../../src/store/stores.js';
import { deletePrefix, FlakyProxy, redisForSuite } from '../helpers/redis.js';

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('store on Redis: nobody answers', () => {
  it('start-up fails with StoreUnavailableError naming the host, within the timeout', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const err = await createKeyvFactory(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 800 }).catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toContain(`127.0.0.1:${port}`);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    // It retried (back-off) for about the timeout, not once and not forever.
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(3000);
  });

  it('a server that accepts but never answers fails within the timeout too', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const t0 = Date.now();
      const err = await createKeyvFactory(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 800 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });
});

const redis = await redisForSuite('store on Redis: outage');

describe.skipIf(!redis)('store on Redis: Redis goes away and comes back', () => {
  const prefix = redis?.prefix ?? '';
  afterAll(async () => void (redis && (await deletePrefix(redis.url, prefix))));

  it('calls fail fast with a named error while Redis is down, then work again after it returns', async () => {
    const proxy = await FlakyProxy.start(redis!.url);
    const errors: Error[] = [];
    const f = await createKeyvFactory(proxy.url(redis!.url), { prefix, connectTimeoutMs: 2000, onError: (e) => errors.push(e), errorEveryMs: 0 });
    try {
      const s = createStores(f);
      await s.meta.set('k', 1);
      expect(await s.meta.get('k')).toBe(1);

      await proxy.down();
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      const err = await s.chats.get(1).catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(1000); // not a hung call
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).constructor.name).toMatch(/ClientOfflineError|SocketClosedUnexpectedlyError|ClientClosedError/);
      expect(errors.length).toBeGreaterThan(0); // the outage was reported

      await proxy.up(); // same port
      // The client reconnects by itself (back-off ≤ 2 s).
      const deadline = Date.now() + 5000;
      let value: unknown;
      while (Date.now() < deadline) {
        value = await s.meta.get('k').catch(() => 'down');
        if (value !== 'down') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(value).toBe(1);
    } finally {
      await f.close();
      await proxy.down();
    }
  });
});
