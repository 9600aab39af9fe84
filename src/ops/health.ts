import cron from 'node-cron';
import type { MetaStore } from '../store/stores.js';

/** Named error for a store that did not answer a ping in time. */
export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

/** Named error for a store that answered a ping with something other than what was written. */
export class StorePingMismatchError extends Error {
  override name = 'StorePingMismatchError';
}

/**
 * A round trip through the store: write a short-lived key, read it back. Rejects with the store's
 * error, StoreTimeoutError after `timeoutMs`, or StorePingMismatchError.
 */
export function storePinger(meta: MetaStore, opts: { now?: () => number; timeoutMs?: number } = {}): () => Promise<void> {
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 2000;
  let seq = 0;
  return async () => {
    const value = `${now()}:${++seq}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeoutError(`store did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([
        (async () => {
          await meta.set('health:ping', value, 60_000);
          const back = await meta.get<string>('health:ping');
          // Another process may have pinged in between; any answer proves the round trip, but ours is expected.
          if (back === undefined) throw new StorePingMismatchError('store lost the ping key');
        })(),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface HealthOptions {
  pingStore: () => Promise<void>;
  /** The sender: `lastRunAt` is set whenever its loop runs (it runs only when there is work). */
  sender?: { readonly lastRunAt: number };
  /** When the earliest queued job may go (undefined: nothing queued). */
  outboxNextAt?: () => number | undefined;
  poller?: { readonly lastRunAt: number };
  now?: () => number;
  /** When the app started (grace for the first poll). */
  startedAt?: number;
  /** The poller is stale when it has not started a cycle for this long (default 10 min). */
  pollerStaleMs?: number;
  /** The sender is stale when a job has been due this long and the loop has not run (default 5 min). */
  senderStaleMs?: number;
}

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export interface HealthReport {
  ok: boolean;
  checks: { store: CheckResult; sender: CheckResult; poller: CheckResult };
}

/**
 * /healthz: healthy when the store answers a ping and both loops are alive.
 *
 * - store: a write and read of a short-lived key (storePinger).
 * - poller: it started a cycle within `pollerStaleMs` (3 poll ticks plus a minute is a good value);
 *   during start-up, before its first cycle, it gets the same grace from `startedAt`.
 * - sender: its loop runs only when there is work, so "alive" means it has run (was started) and
 *   either ran within `senderStaleMs` or no queued job has been due for that long. A job due for
 *   longer while the loop sat still means the loop is stuck.
 */
export function createHealth(o: HealthOptions) {
  const now = o.now ?? Date.now;
  const startedAt = o.startedAt ?? now();
  const pollerStaleMs = o.pollerStaleMs ?? 10 * 60_000;
  const senderStaleMs = o.senderStaleMs ?? 5 * 60_000;
  const ago = (t: number) => `${Math.round((now() - t) / 1000)}s ago`;

  function poller(): CheckResult {
    if (!o.poller) return { ok: true, detail: 'not running in this process' };
    const last = o.poller.lastRunAt;
    if (last === 0) {
      return now() - startedAt < pollerStaleMs ? { ok: true, detail: 'starting' } : { ok: false, detail: 'never ran' };
    }
    return { ok: now() - last < pollerStaleMs, detail: `last cycle ${ago(last)}` };
  }

  function sender(): CheckResult {
    if (!o.sender) return { ok: true, detail: 'not running in this process' };
    const last = o.sender.lastRunAt;
    if (last === 0) return { ok: false, detail: 'not started' };
    if (now() - last < senderStaleMs) return { ok: true, detail: `ran ${ago(last)}` };
    const due = o.outboxNextAt?.();
    if (due === undefined || now() - due < senderStaleMs) return { ok: true, detail: `idle, ran ${ago(last)}` };
    return { ok: false, detail: `a job has been due since ${ago(due)} and the loop last ran ${ago(last)}` };
  }

  async function store(): Promise<CheckResult> {
    const t0 = Date.now();
    try {
      await o.pingStore();
      return { ok: true, detail: `answered in ${Date.now() - t0} ms` };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
  }

  return {
    async check(): Promise<HealthReport> {
      const checks = { store: await store(), sender: sender(), poller: poller() };
      return { ok: checks.store.ok && checks.sender.ok && checks.poller.ok, checks };
    },
  };
}

export type Health = ReturnType<typeof createHealth>;

/** The interval between two runs of a node-cron expression (ms), or undefined if it has no two next runs. */
export function cronTickMs(expression: string): number | undefined {
  const task = cron.createTask(expression, () => undefined);
  try {
    const [a, b] = task.getNextRuns(2);
    return a && b ? b.getTime() - a.getTime() : undefined;
  } finally {
    void task.destroy();
  }
}
