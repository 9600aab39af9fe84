import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RedisClient } from '../store/redis.js';

/** Extend the lock only if we still hold it. */
const RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Delete the lock only if we still hold it. */
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface LeaderLockOptions {
  redis: RedisClient;
  /** Redis key of the lock (default `${prefix}nabaa:poller:leader`). */
  key?: string;
  prefix?: string;
  /** This process's id, shown in /stats (default host:pid:random). */
  id?: string;
  /** The lock expires this long after the last renewal (default 15 s): the fail-over time. */
  ttlMs?: number;
  /** Try / renew this often (default ttl / 3). */
  intervalMs?: number;
  onAcquire?: () => void | Promise<void>;
  onLose?: (reason: string) => void | Promise<void>;
  logger?: Logger;
}

export function leaderKey(prefix = ''): string {
  return `${prefix}nabaa:poller:leader`;
}

/** Who holds the lock now (undefined: nobody), and for how much longer (ms). */
export async function currentLeader(redis: RedisClient, key: string): Promise<{ id: string; ttlMs: number } | undefined> {
  const [id, ttl] = await Promise.all([redis.get(key), redis.pTTL(key)]);
  return id ? { id, ttlMs: Number(ttl) } : undefined;
}

/**
 * One holder at a time through `SET key id NX PX ttl`, renewed every ttl/3 by a script that checks
 * the holder. If the holder dies its key expires and another process takes over within about
 * `ttl + interval`; a holder that cannot renew (Redis unreachable) steps down before its lock can
 * have expired, so two leaders never act at once for longer than a clock skew.
 */
export class LeaderLock {
  readonly id: string;
  readonly key: string;
  private readonly ttlMs: number;
  private readonly intervalMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private leader = false;
  private lastRenewAt = 0;
  private running = false;
  private ticking: Promise<void> | undefined;

  constructor(private readonly o: LeaderLockOptions) {
    this.id = o.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.key = o.key ?? leaderKey(o.prefix);
    this.ttlMs = o.ttlMs ?? 15_000;
    this.intervalMs = o.intervalMs ?? Math.max(50, Math.floor(this.ttlMs / 3));
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stop trying; release the lock if held (so another process takes over at once). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    if (this.leader) {
      this.leader = false;
      try {
        await this.o.redis.eval(RELEASE_LUA, { keys: [this.key], arguments: [this.id] });
      } catch {
        // it expires on its own
      }
      await this.o.onLose?.('stopped');
    }
  }

  /** One attempt: acquire when free, renew when ours. Exposed for tests. */
  async tick(): Promise<void> {
    const now = Date.now();
    try {
      if (this.leader) {
        const ok = Number(await this.o.redis.eval(RENEW_LUA, { keys: [this.key], arguments: [this.id, String(this.ttlMs)] }));
        if (ok === 1) this.lastRenewAt = now;
        else await this.lose('another process holds the lock');
      } else {
        const res = await this.o.redis.set(this.key, this.id, { condition: 'NX', expiration: { type: 'PX', value: this.ttlMs } });
        if (res === 'OK') {
          this.leader = true;
          this.lastRenewAt = now;
          this.o.logger?.info({ leader: this.id, key: this.key }, 'became the poller leader');
          await this.o.onAcquire?.();
        }
      }
    } catch (err) {
      // Cannot reach Redis: keep leading only while our lock surely has not expired yet.
      if (this.leader && Date.now() - this.lastRenewAt >= this.ttlMs - this.intervalMs) {
        await this.lose(`cannot renew: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private async lose(reason: string): Promise<void> {
    if (!this.leader) return;
    this.leader = false;
    this.o.logger?.warn({ leader: this.id, reason }, 'no longer the poller leader');
    await this.o.onLose?.(reason);
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch(() => undefined)
        .finally(() => {
          this.ticking = undefined;
          this.schedule(this.intervalMs);
        });
    }, delay);
  }
}
