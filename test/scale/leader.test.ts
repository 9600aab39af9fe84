import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis, type RedisClient } from '../../src/store/redis.js';
import { currentLeader, LeaderLock } from '../../src/scale/leader.js';
import { deletePrefix, FlakyProxy, redisForSuite } from '../helpers/redis.js';

const redis = await redisForSuite('poller leader lock');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await sleep(10);
  }
  return Date.now() - t0;
}

describe.skipIf(!redis)('poller leader lock (Redis SET NX PX)', () => {
  const prefix = redis?.prefix ?? '';
  const clients: RedisClient[] = [];
  const locks: LeaderLock[] = [];
  const client = async (url = redis!.url) => {
    const c = await connectRedis(url, { connectTimeoutMs: 2000, commandTimeoutMs: 500 });
    clients.push(c);
    return c;
  };
  const lock = (c: RedisClient, id: string, events: string[] = []) => {
    const l = new LeaderLock({ redis: c, prefix, id, ttlMs: 300, intervalMs: 100, onAcquire: () => void events.push(`${id}+`), onLose: (r) => void events.push(`${id}-:${r}`) });
    locks.push(l);
    return l;
  };
  afterEach(async () => {
    for (const l of locks.splice(0)) await l.stop();
    await deletePrefix(redis!.url, prefix);
  });
  afterAll(async () => {
    for (const c of clients) await closeRedis(c);
  });

  it('exactly one of three processes leads, and currentLeader names it', async () => {
    const c = await client();
    const ls = [lock(c, 'a'), lock(c, 'b'), lock(c, 'c')];
    for (const l of ls) l.start();
    await until(() => ls.some((l) => l.isLeader), 1000);
    // Several renewals later, still exactly one.
    for (let i = 0; i < 5; i++) {
      await sleep(100);
      expect(ls.filter((l) => l.isLeader)).toHaveLength(1);
    }
    const leader = ls.find((l) => l.isLeader)!;
    const cur = await currentLeader(c, leader.key);
    expect(cur?.id).toBe(leader.id);
    expect(cur!.ttlMs).toBeGreaterThan(0);
    expect(cur!.ttlMs).toBeLessThanOrEqual(300);
  });

  it('fails over when the holder dies (its lock expires) within ttl + interval', async () => {
    const ca = await client();
    const cb = await client();
    const events: string[] = [];
    const a = lock(ca, 'a', events);
    a.start();
    await until(() => a.isLeader, 1000);
    const b = lock(cb, 'b', events);
    b.start();
    await sleep(400);
    expect(b.isLeader).toBe(false);
    // "Kill" a: its timers stop and its connection drops without releasing anything.
    (a as unknown as { running: boolean }).running = false;
    ca.destroy();
    const took = await until(() => b.isLeader, 2000);
    // ttl 300 + one interval 100, with room for a loaded machine.
    expect(took).toBeLessThanOrEqual(1000);
    expect(events).toEqual(['a+', 'b+']);
  });

  it('stop releases the lock so another process takes over at once', async () => {
    const c = await client();
    const a = lock(c, 'a');
    a.start();
    await until(() => a.isLeader, 1000);
    const b = lock(c, 'b');
    b.start();
    await a.stop();
    expect(a.isLeader).toBe(false);
    const took = await until(() => b.isLeader, 1000);
    expect(took).toBeLessThanOrEqual(400); // next try (interval 100), not the ttl
  });

  it('a leader cut off from Redis steps down before its lock could expire', async () => {
    const proxy = await FlakyProxy.start(redis!.url);
    try {
      const c = await client(proxy.url(redis!.url));
      const events: string[] = [];
      const a = lock(c, 'a', events);
      a.start();
      await until(() => a.isLeader, 1000);
      const cutAt = Date.now();
      await proxy.down();
      await until(() => !a.isLeader, 1000);
      // It stepped down about ttl − interval (200 ms) after its last renewal: well before its
      // lock could expire and another process take over (300 ms, plus the next try).
      expect(Date.now() - cutAt).toBeLessThan(450);
      expect(events[1]).toMatch(/^a-:cannot renew/);
    } finally {
      await proxy.down();
    }
  });

  it('a holder whose lock was taken (expired while paused) learns it at the next renewal', async () => {
    const c = await client();
    const events: string[] = [];
    const a = lock(c, 'a', events);
    a.start();
    await until(() => a.isLeader, 1000);
    await c.set(a.key, 'intruder', { PX: 5000 });
    await until(() => !a.isLeader, 1000);
    expect(events).toEqual(['a+', 'a-:another process holds the lock']);
  });
});
