import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ProfileChange, Profiles } from '../profiles.js';
import type { RedisClient } from '../store/redis.js';
import type { ChatStore } from '../store/stores.js';

/** What goes over the channel: one saved profile change, who made it and when. */
interface Message extends ProfileChange {
  origin: string;
  at: number;
}

export interface ProfileSyncOptions {
  /** A connected client; a duplicate is opened for subscribing. */
  redis: RedisClient;
  profiles: Profiles;
  /** To resynchronise every profile after the subscription was interrupted. */
  chats: ChatStore;
  logger: Logger;
  /** Channel name (default `${prefix}nabaa:profiles`). */
  channel?: string;
  prefix?: string;
  /** This process's id (default random). */
  origin?: string;
  /** Told of each remote change applied, with the delay since it was published (ms). */
  onApplied?: (change: ProfileChange, delayMs: number) => void;
  now?: () => number;
}

export interface ProfileSync {
  readonly origin: string;
  /** Changes received from other processes so far. */
  readonly applied: number;
  close(): Promise<void>;
}

/**
 * Keeps every process's profile cache and match index current: each local change (saved first by
 * Profiles.update) is published on a Redis channel, and every other process applies it. Pub/sub
 * drops messages while a subscriber is disconnected, so after a reconnection the subscriber reloads
 * every profile from the store.
 */
export async function startProfileSync(o: ProfileSyncOptions): Promise<ProfileSync> {
  const now = o.now ?? Date.now;
  const origin = o.origin ?? randomUUID();
  const channel = o.channel ?? `${o.prefix ?? ''}nabaa:profiles`;
  let applied = 0;
  let closed = false;

  const sub = o.redis.duplicate();
  sub.on('error', () => undefined); // reported by the main client; reconnects by itself
  let readyOnce = false;
  sub.on('ready', () => {
    if (!readyOnce) return void (readyOnce = true);
    void resyncUntilDone();
  });
  await sub.connect();
  await sub.subscribe(channel, (raw) => {
    let m: Message;
    try {
      m = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (m.origin === origin || typeof m.id !== 'number') return;
    o.profiles.applyRemote(m);
    applied++;
    o.onApplied?.(m, now() - m.at);
  });

  /** The store's connection may come back after the subscriber's: retry with back-off. */
  async function resyncUntilDone(): Promise<void> {
    for (let attempt = 0; !closed; attempt++) {
      try {
        return await resync();
      } catch (err) {
        if (attempt === 0) o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not resynchronise profiles yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  async function resync(): Promise<void> {
    const stored = await o.chats.all();
    const ids = new Set(stored.map((p) => p.id));
    for (const p of [...o.profiles.all()]) if (!ids.has(p.id)) o.profiles.applyRemote({ id: p.id, removed: true });
    for (const p of stored) o.profiles.applyRemote({ id: p.id, profile: p });
    o.logger.info({ chats: stored.length }, 'profiles resynchronised after a pub/sub interruption');
  }

  const unsubscribe = o.profiles.onChange((change) => {
    if (closed) return;
    const msg: Message = { ...change, origin, at: now() };
    o.redis.publish(channel, JSON.stringify(msg)).catch((err: unknown) => {
      // The change is saved; other processes see it at their next resync or restart.
      o.logger.warn({ err: err instanceof Error ? err.message : String(err), chatId: change.id }, 'could not publish a profile change');
    });
  });

  return {
    origin,
    get applied() {
      return applied;
    },
    async close() {
      closed = true;
      unsubscribe();
      try {
        await sub.unsubscribe(channel);
      } catch {
        // closing anyway
      }
      try {
        sub.destroy();
      } catch {
        // already closed
      }
    },
  };
}
