import type { Logger } from 'pino';
import type { MetaStore } from '../store/stores.js';

/** One admin action, kept in the store. */
export interface AuditEntry {
  at: number;
  adminId: number;
  action: string;
  /** Short, structured details (never message texts above what the action needs, never tokens). */
  details: Record<string, string | number | boolean>;
}

export interface AuditLog {
  record(adminId: number, action: string, details?: AuditEntry['details']): Promise<void>;
  /** Newest first. */
  recent(limit?: number): Promise<AuditEntry[]>;
}

const KEY = 'audit:log';
const KEEP = 1000;
/** Detail keys that carry message texts: logged at debug only (the stored entry keeps them). */
const TEXT_KEYS = new Set(['text', 'caption', 'message']);

/**
 * The audit log of admin actions (who broadcast what to how many, who added or removed a source).
 * With a logger, each action is also one log line `admin action` with stable keys
 * {adminId, action, ...details}; message texts only at debug.
 */
export function createAuditLog(meta: MetaStore, now: () => number = Date.now, logger?: Logger): AuditLog {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    record(adminId, action, details = {}) {
      if (logger) {
        const visible = Object.fromEntries(Object.entries(details).filter(([k]) => !TEXT_KEYS.has(k)));
        logger.info({ adminId, action, details: visible }, 'admin action');
        if (Object.keys(visible).length !== Object.keys(details).length) logger.debug({ adminId, action, details }, 'admin action details');
      }
      // Serialize read-modify-write within this process.
      const next = chain.then(async () => {
        const log = (await meta.get<AuditEntry[]>(KEY)) ?? [];
        log.unshift({ at: now(), adminId, action, details });
        await meta.set(KEY, log.slice(0, KEEP));
      });
      chain = next.catch(() => undefined);
      return next;
    },
    async recent(limit = 20) {
      return ((await meta.get<AuditEntry[]>(KEY)) ?? []).slice(0, limit);
    },
  };
}
