import type { BullDeliveryQueue } from '../delivery/bullmq-queue.js';
import type { RedisClient } from '../store/redis.js';
import { currentLeader } from './leader.js';

export interface WorkerStatus {
  id: string;
  host?: string;
  pid?: number;
  sent?: number;
  /** ms since its last heartbeat */
  ageMs: number;
}

export interface ScaleStatus {
  role: string;
  workers: WorkerStatus[];
  queues: Record<string, Record<string, number>>;
  leader?: { id: string; ttlMs: number };
}

/** A worker counts as alive when its heartbeat (every 2 s) is younger than this. */
export const WORKER_ALIVE_MS = 10_000;

/** Workers alive (heartbeats), queue depths and the poller leader, read from Redis. */
export async function readScaleStatus(o: {
  redis: RedisClient;
  queue: Pick<BullDeliveryQueue, 'counts' | 'keys'>;
  leaderKey: string;
  role: string;
  now?: () => number;
}): Promise<ScaleStatus> {
  const now = (o.now ?? Date.now)();
  const { workers: wKey, workerInfo } = o.queue.keys;
  const [ids, queues, leader] = await Promise.all([
    o.redis.zRangeByScore(wKey, now - WORKER_ALIVE_MS, '+inf'),
    o.queue.counts(),
    currentLeader(o.redis, o.leaderKey),
  ]);
  const infos = ids.length ? await o.redis.hmGet(workerInfo, ids) : [];
  const workers = ids.map((id, i) => {
    const info = infos[i] ? (JSON.parse(String(infos[i])) as Partial<WorkerStatus> & { at?: number }) : {};
    return { id, host: info.host, pid: info.pid, sent: info.sent, ageMs: info.at ? now - info.at : 0 } as WorkerStatus;
  });
  // Forget workers silent for a long time (killed without a chance to say goodbye).
  void o.redis.zRemRangeByScore(wKey, '-inf', now - 3600_000).catch(() => undefined);
  return { role: o.role, workers, queues, ...(leader ? { leader } : {}) };
}

/** Lines for /stats (plain text, escaped by the caller if needed). */
export function formatScaleStatus(s: ScaleStatus, locale: 'ar' | 'en'): string[] {
  const q = (name: string) => {
    const c = s.queues[name] ?? {};
    return `${(c.wait ?? 0) + (c.prioritized ?? 0)}/${c.delayed ?? 0}/${c.active ?? 0}`;
  };
  const workers = s.workers.map((w) => `${w.id}${w.sent !== undefined ? ` (${w.sent})` : ''}`).join('، ') || '—';
  const leader = s.leader ? `${s.leader.id}` : locale === 'ar' ? 'لا أحد' : 'none';
  return locale === 'ar'
    ? [
        `العمّال النشطون: ${s.workers.length} — ${workers}`,
        `طوابير الإرسال (منتظر/مؤجّل/جارٍ): عادي ${q('deliveries')}، مدفوع ${q('paid')}`,
        `قائد الجلب: ${leader}`,
      ]
    : [
        `Workers alive: ${s.workers.length} — ${workers}`,
        `Delivery queues (waiting/delayed/active): free ${q('deliveries')}, paid ${q('paid')}`,
        `Poller leader: ${leader}`,
      ];
}

/** What /stats calls; registered per BotDeps object by the scaled composition (roles/scaled.ts). */
const providers = new WeakMap<object, (locale: 'ar' | 'en') => Promise<string[]>>();

export function registerScaleStatus(deps: object, provider: (locale: 'ar' | 'en') => Promise<string[]>): void {
  providers.set(deps, provider);
}

/** Extra /stats lines when running scaled out (empty otherwise, and never throws). */
export async function scaleStatusLines(deps: object, locale: 'ar' | 'en'): Promise<string[]> {
  const p = providers.get(deps);
  if (!p) return [];
  try {
    return await p(locale);
  } catch (err) {
    return [`${locale === 'ar' ? 'حالة التوسّع غير متاحة' : 'scale status unavailable'}: ${err instanceof Error ? err.message : String(err)}`];
  }
}

