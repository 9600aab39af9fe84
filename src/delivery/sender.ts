import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { Delivery, Lane } from '../types.js';
import type { Outbox } from './outbox.js';
import { type Decision, decide } from './policy.js';

/** What the sender tells the rest of Nabaa about chats. */
export interface ChatEvents {
  delivered(chatId: number): Promise<void> | void;
  /** Returns the chat's strike count after this one. */
  strike(chatId: number, reason: string): Promise<number>;
  deactivate(chatId: number, reason: string): Promise<void>;
  migrate(from: number, to: number): Promise<void>;
}

export interface SenderOptions {
  api: Api;
  outbox: Outbox;
  chats: ChatEvents;
  logger: Logger;
  /** Messages per second across all chats. */
  globalRate?: number;
  /** Minimum spacing between messages to one private chat, and to a group or channel. */
  privateIntervalMs?: number;
  groupIntervalMs?: number;
  /** 403s tolerated before a chat is deactivated. */
  strikeGrace?: number;
  concurrency?: number;
  now?: () => number;
  random?: () => number;
  /** Told of every outcome (metrics). `latencyMs` is job created → accepted, on 'sent'. */
  onOutcome?: (e: { outcome: Outcome; lane: Lane; chatId: number; latencyMs?: number }) => void;
}

export type Outcome = 'sent' | 'retried' | 'throttled' | 'dropped' | 'deactivated' | 'migrated' | 'plain' | 'struck';

/**
 * One loop that paces sends under Telegram's limits (a sliding one-second window for the global
 * rate; per-chat spacing via the outbox) and applies the error policy of `policy.ts`.
 */
export class Sender {
  readonly counts: Record<Outcome, number> = {
    sent: 0,
    retried: 0,
    throttled: 0,
    dropped: 0,
    deactivated: 0,
    migrated: 0,
    plain: 0,
    struck: 0,
  };
  /** Latencies (ms, job created → accepted) of the last sends, for stats. */
  readonly latencies: number[] = [];
  lastRunAt = 0;
  private readonly window: number[];
  private windowPos = 0;
  private inflight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private running = false;
  private readonly lanePause: Record<Lane, number> = { broadcast: 0, alert: 0, digest: 0 };
  private idle: Array<() => void> = [];
  private readonly o: Required<Omit<SenderOptions, 'api' | 'outbox' | 'chats' | 'logger' | 'onOutcome'>>;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: SenderOptions) {
    this.o = {
      globalRate: deps.globalRate ?? 30,
      privateIntervalMs: deps.privateIntervalMs ?? 1000,
      groupIntervalMs: deps.groupIntervalMs ?? 3000,
      strikeGrace: deps.strikeGrace ?? 3,
      concurrency: deps.concurrency ?? 64,
      now: deps.now ?? Date.now,
      random: deps.random ?? Math.random,
    };
    this.window = new Array<number>(Math.max(1, Math.floor(this.o.globalRate))).fill(-Infinity);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.deps.outbox.onEnqueue(() => this.wake(this.o.now()));
    this.pump();
  }

  /** Stop taking jobs and wait for the ones in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inflight > 0) await new Promise<void>((r) => this.idle.push(r));
  }

  get inFlight(): number {
    return this.inflight;
  }

  private laneOpen = (lane: Lane) => this.lanePause[lane] <= this.o.now();

  private wake(at: number): void {
    if (!this.running) return;
    const now = this.o.now();
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - now));
  }

  private pump(): void {
    if (!this.running) return;
    this.lastRunAt = this.o.now();
    while (this.inflight < this.o.concurrency) {
      const now = this.o.now();
      // Sliding window: the slot we would reuse must be older than one second.
      const oldest = this.window[this.windowPos]!;
      if (oldest > now - 1000) return this.wake(oldest + 1000);
      const d = this.deps.outbox.take(now, this.laneOpen);
      if (!d) {
        const paused = Object.values(this.lanePause).filter((t) => t > now);
        const next = [this.deps.outbox.nextAt(this.laneOpen), ...paused].filter((t): t is number => t !== undefined);
        if (next.length) this.wake(Math.min(...next));
        return;
      }
      this.window[this.windowPos] = now;
      this.windowPos = (this.windowPos + 1) % this.window.length;
      this.inflight++;
      void this.send(d).finally(() => {
        this.inflight--;
        if (this.inflight === 0) for (const r of this.idle.splice(0)) r();
        this.pump();
      });
    }
  }

  private async send(d: Delivery): Promise<void> {
    const { api, outbox, chats, logger } = this.deps;
    try {
      await api.sendMessage(d.chatId, d.text, {
        ...(d.plain ? {} : { parse_mode: 'HTML' as const }),
        link_preview_options: { is_disabled: !d.linkPreview },
        ...(d.replyMarkup ? { reply_markup: d.replyMarkup } : {}),
        ...(d.silent ? { disable_notification: true } : {}),
        ...(d.threadId ? { message_thread_id: d.threadId } : {}),
      });
    } catch (err) {
      try {
        await this.fail(d, decide(err, d.attempts, this.o.random()), err);
      } catch (storeErr) {
        // The job stays durable in the store and is retried after a restart.
        logger.error({ err: storeErr, jobId: d.id }, 'outbox update failed');
      }
      return;
    }
    const now = this.o.now();
    this.count('sent', d, now - d.createdAt);
    this.latencies.push(now - d.createdAt);
    if (this.latencies.length > 1000) this.latencies.splice(0, this.latencies.length - 1000);
    try {
      await outbox.done(d, now + this.interval(d.chatId));
      await chats.delivered(d.chatId);
    } catch (err) {
      logger.error({ err, jobId: d.id }, 'could not mark delivery done (it may be sent again after a restart)');
    }
  }

  private interval(chatId: number): number {
    return chatId < 0 ? this.o.groupIntervalMs : this.o.privateIntervalMs;
  }

  private async fail(d: Delivery, decision: Decision, err: unknown): Promise<void> {
    const { outbox, chats, logger } = this.deps;
    const now = this.o.now();
    const log = { chatId: d.chatId, jobId: d.id, lane: d.lane, attempts: d.attempts, decision: decision.kind };
    switch (decision.kind) {
      case 'throttle':
        this.count('throttled', d);
        this.lanePause[d.lane] = Math.max(this.lanePause[d.lane], now + decision.afterMs);
        logger.warn({ ...log, retryAfterMs: decision.afterMs }, 'telegram asked us to slow down');
        return outbox.retry(d, now + decision.afterMs, { attempts: d.attempts - 1 });
      case 'retry':
        this.count('retried', d);
        logger.warn({ ...log, reason: decision.reason }, 'send failed, will retry');
        return outbox.retry(d, now + decision.afterMs);
      case 'strike': {
        this.count('struck', d);
        const strikes = await chats.strike(d.chatId, decision.reason);
        if (strikes >= this.o.strikeGrace) return this.deactivate(d, decision.reason);
        logger.info({ ...log, strikes }, 'chat refused a message');
        return outbox.retry(d, now + 60_000 * strikes);
      }
      case 'deactivate':
        return this.deactivate(d, decision.reason);
      case 'migrate':
        this.count('migrated', d);
        logger.info({ ...log, to: decision.to }, 'chat migrated to a supergroup');
        await chats.migrate(d.chatId, decision.to);
        await outbox.drop(d);
        await outbox.enqueue([{ ...d, chatId: decision.to, notBefore: now }]);
        return outbox.moveChat(d.chatId, decision.to);
      case 'plain':
        this.count('plain', d);
        logger.error({ ...log, reason: decision.reason, text: d.text }, 'BUG: Telegram rejected our HTML; resending as plain text');
        return outbox.retry(d, now, { plain: true, text: htmlToPlain(d.text) });
      case 'no-thread':
        if (d.threadId) {
          logger.info({ ...log, reason: decision.reason }, 'forum topic closed; sending to the chat itself');
          return outbox.retry(d, now, { threadId: undefined });
        }
      // falls through: without a thread there is nothing to fall back to
      case 'drop':
        this.count('dropped', d);
        logger.error({ ...log, err, reason: decision.reason }, 'delivery dropped');
        return outbox.drop(d);
    }
  }

  private async deactivate(d: Delivery, reason: string): Promise<void> {
    this.count('deactivated', d);
    this.deps.logger.info({ chatId: d.chatId, reason }, 'chat deactivated');
    await this.deps.chats.deactivate(d.chatId, reason);
    await this.deps.outbox.drop(d);
    await this.deps.outbox.dropChat(d.chatId);
  }

  private count(outcome: Outcome, d: Delivery, latencyMs?: number): void {
    this.counts[outcome]++;
    this.deps.onOutcome?.({ outcome, lane: d.lane, chatId: d.chatId, ...(latencyMs === undefined ? {} : { latencyMs }) });
  }
}

/** Telegram HTML → plain text (tags dropped, entities decoded), for the parse-error fallback. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2 ($1)')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
