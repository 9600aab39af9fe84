import type { Logger } from 'pino';
import type { Notices } from './notices.js';

export interface WatchOptions {
  notices: Notices;
  /** A store round trip (health.ts storePinger); rejects when the store does not answer. */
  pingStore: () => Promise<void>;
  /** Jobs waiting in the outbox. */
  backlog: () => number;
  logger?: Logger;
  now?: () => number;
  /** Notice when the outbox holds more jobs than this (default 10,000). */
  backlogThreshold?: number;
  backlogEveryMs?: number;
  storeEveryMs?: number;
}

export const BACKLOG_THRESHOLD = 10_000;

/**
 * Periodic checks that turn into admin notices (each cause at most once an hour, see notices.ts):
 * - `backlog`: every minute, the outbox holds more than the threshold.
 * - `store-down` / `store-recovered`: every 30 s a store ping. The moment it fails we log an error
 *   and try a notice (which usually cannot be queued, the outbox living in the same store); when it
 *   answers again the admins are told how long it was away.
 */
export function startWatchers(o: WatchOptions) {
  const now = o.now ?? Date.now;
  const threshold = o.backlogThreshold ?? BACKLOG_THRESHOLD;
  let downSince: number | undefined;
  let pinging = false;

  async function checkBacklog(): Promise<void> {
    const size = o.backlog();
    if (size <= threshold) return;
    o.logger?.warn({ backlog: size, threshold }, 'outbox backlog above threshold');
    await o.notices.notify('backlog', 'notice-backlog', { size, threshold });
  }

  async function checkStore(): Promise<void> {
    if (pinging) return; // the previous ping is still waiting; its timeout will report
    pinging = true;
    try {
      await o.pingStore();
      if (downSince !== undefined) {
        const since = downSince;
        downSince = undefined;
        const minutes = Math.max(1, Math.round((now() - since) / 60_000));
        o.logger?.info({ downSince: new Date(since).toISOString(), minutes }, 'store reachable again');
        await o.notices.notify('store-recovered', 'notice-store-recovered', { since: utc(since), minutes });
      }
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (downSince === undefined) {
        downSince = now();
        o.logger?.error({ error }, 'store unreachable');
        await o.notices.notify('store-down', 'notice-store-down', { since: utc(downSince), error });
      } else {
        o.logger?.warn({ error, downSince: new Date(downSince).toISOString() }, 'store still unreachable');
      }
    } finally {
      pinging = false;
    }
  }

  const guard = (fn: () => Promise<void>) => () =>
    void fn().catch((err) => o.logger?.error({ err: err instanceof Error ? err.message : String(err) }, 'ops watcher failed'));
  const timers = [setInterval(guard(checkBacklog), o.backlogEveryMs ?? 60_000), setInterval(guard(checkStore), o.storeEveryMs ?? 30_000)];
  for (const t of timers) t.unref?.();

  return {
    checkBacklog,
    checkStore,
    get storeDownSince() {
      return downSince;
    },
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}

/** `2026-11-29 08:20 UTC` */
export function utc(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
