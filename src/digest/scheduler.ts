/**
 * The digest scheduler: every minute it finds chats whose digest is due, renders one message per
 * chat from its held items and enqueues it in the 'digest' lane.
 */
import type { Logger } from 'pino';
import { inQuietHours } from '../chat-policy.js';
import type { DeliveryQueue } from '../delivery/queue.js';
import type { Translate } from '../delivery/render.js';
import { TOPIC_NAMES } from '../pipeline/topics.js';
import type { Profiles } from '../profiles.js';
import type { MetaStore } from '../store/stores.js';
import type { Delivery, TopicId } from '../types.js';
import { digestBuffer } from './buffer.js';
import { renderDigest } from './render.js';

export interface DigestSchedulerDeps {
  meta: MetaStore;
  profiles: Profiles;
  outbox: DeliveryQueue;
  t: Translate;
  logger: Logger;
  now?: () => number;
  /** How often to look for due digests (default a minute). */
  intervalMs?: number;
}

export interface DigestScheduler {
  /** Send every digest due at `now`; returns how many were enqueued. */
  tick(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const { profiles, outbox, t, logger } = deps;
  const now = deps.now ?? Date.now;
  const buffer = digestBuffer(deps.meta);
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | undefined;

  async function run(): Promise<number> {
    const at = now();
    const out: Delivery[] = [];
    for (const chatId of await buffer.due(at)) {
      const items = await buffer.take(chatId);
      const p = profiles.get(chatId);
      if (!p || !p.active || p.deactivated || items.length === 0) continue;
      const s = p.settings;
      const text = renderDigest(
        {
          items,
          locale: p.locale,
          groupBy: s?.groupBy ?? 'topic',
          topicName: (id) => TOPIC_NAMES[id as TopicId]?.[p.locale] ?? id,
        },
        t,
      );
      out.push({
        id: `digest:${chatId}:${at}`,
        chatId,
        lane: 'digest',
        text,
        createdAt: at,
        notBefore: at,
        attempts: 0,
        ...(s?.silent || (s?.quiet?.action === 'silent' && inQuietHours(s, at)) ? { silent: true } : {}),
        ...(s?.threadId ? { threadId: s.threadId } : {}),
      });
    }
    await outbox.enqueue(out);
    if (out.length) logger.info({ digests: out.length }, 'digests enqueued');
    return out.length;
  }

  async function tick(): Promise<number> {
    if (running) return running;
    running = run().finally(() => (running = undefined));
    return running;
  }

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => void tick().catch((err) => logger.error({ err }, 'digest tick failed')), deps.intervalMs ?? 60_000);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
