import type { Logger } from 'pino';
import { escapeHtml, type Translate } from '../delivery/render.js';
import type { DeliveryQueue } from '../delivery/queue.js';
import type { Delivery, Locale } from '../types.js';

/**
 * Admin notices: a message to every admin (in their language, in the 'broadcast' lane of the outbox)
 * about something an operator should know. Each cause fires at most once per window (an hour by
 * default); later calls for the same cause inside the window are suppressed and logged at debug.
 *
 * Causes are free-form keys naming the thing, e.g. `source-disabled:<sourceId>`, `backlog`,
 * `store-down`, `broadcast-done:<broadcastId>`. The message is a locale id (present in
 * locales/ar.ftl and locales/en.ftl); string variables are HTML-escaped here, so callers pass
 * plain values.
 */
export interface Notices {
  /**
   * Send `key` (with `vars`) to the admins unless `cause` fired within the window.
   * Resolves true when queued, false when suppressed or when queueing failed (logged; the cause
   * may then fire again on the next call).
   */
  notify(cause: string, key: string, vars?: Record<string, string | number>): Promise<boolean>;
}

export interface NoticesOptions {
  adminIds: readonly number[];
  outbox: Pick<DeliveryQueue, 'enqueue'>;
  t: Translate;
  localeOf: (chatId: number) => Locale;
  now?: () => number;
  logger?: Logger;
  /** Minimum time between two notices of the same cause (default one hour). */
  windowMs?: number;
  /** Told of every call's result (metrics). */
  onResult?: (result: NoticeResult) => void;
}

export type NoticeResult = 'queued' | 'suppressed' | 'failed';

export const NOTICE_WINDOW_MS = 3600_000;

export function createNotices(o: NoticesOptions): Notices {
  const now = o.now ?? Date.now;
  const windowMs = o.windowMs ?? NOTICE_WINDOW_MS;
  const lastAt = new Map<string, number>();

  return {
    async notify(cause, key, vars = {}) {
      const at = now();
      const prev = lastAt.get(cause);
      if (prev !== undefined && at - prev < windowMs) {
        o.logger?.debug({ cause, key }, 'admin notice suppressed (sent within the hour)');
        o.onResult?.('suppressed');
        return false;
      }
      // Claim the cause before awaiting, so concurrent calls do not both send.
      lastAt.set(cause, at);
      // Forget causes that can fire again, so the map stays small.
      for (const [c, t] of lastAt) if (at - t >= windowMs) lastAt.delete(c);
      if (o.adminIds.length === 0) {
        o.logger?.warn({ cause, key }, 'admin notice with no ADMIN_IDS to send it to');
        o.onResult?.('failed');
        return false;
      }
      const safe = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
      const jobs: Delivery[] = o.adminIds.map((chatId) => ({
        id: `notice:${cause}:${at}:${chatId}`,
        chatId,
        lane: 'broadcast',
        text: o.t(o.localeOf(chatId), key, safe),
        createdAt: at,
        notBefore: at,
        attempts: 0,
      }));
      try {
        await o.outbox.enqueue(jobs);
      } catch (err) {
        if (lastAt.get(cause) === at) lastAt.delete(cause);
        o.logger?.error({ cause, key, err: err instanceof Error ? err.message : String(err) }, 'could not queue admin notice');
        o.onResult?.('failed');
        return false;
      }
      o.logger?.info({ cause, key, admins: o.adminIds.length }, 'admin notice queued');
      o.onResult?.('queued');
      return true;
    },
  };
}
