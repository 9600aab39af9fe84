import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { Delivery, Lane } from '../types.js';
import { type Outbox, QUEUES, type Queue, laneOf } from './outbox.js';
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
  /** Messages per second across all chats (0 or Infinity: no limit, for benchmarks). */
  globalRate?: number;
  /** Messages per second for paid broadcasts (`allow_paid_broadcast`), on top of `globalRate`. */
  paidRate?: number;
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

export type Outcome = 'sent' | 'retried' | 'throttled' | 'dropped' | 'deactivated' | 'migrated' | 'plain' | 'struck' | 'unthreaded' | 'unpaid';

/** How a delivery left the outbox for good: accepted by Telegram, or given up. */
export type FinalResult = 'sent' | 'failed';

/**
 * A sliding one-second window as a ring of `rate` slots. A slot is taken when a request is
 * dispatched and stamped with the time its *response* arrived, and it may be reused one second
 * after that stamp. Telegram counts a message when it accepts it, which is somewhere between
 * dispatch and response, so stamping the response is the conservative end: we never exceed the
 * limit, and we lose only the round trip (a few ms per second) of throughput.
 */
export class RateWindow {
  private readonly slots: Float64Array | undefined;
  private pos = 0;

  /** `rate` 0 or not finite: no limit. */
  constructor(rate: number) {
    this.slots = rate > 0 && Number.isFinite(rate) ? new Float64Array(Math.max(1, Math.floor(rate))).fill(-Infinity) : undefined;
  }

  /** When the next request may be dispatched (Infinity: wait for one in flight to finish). */
  nextFree(): number {
    return this.slots ? this.slots[this.pos]! + 1000 : -Infinity;
  }

  acquire(): number {
    if (!this.slots) return -1;
    const i = this.pos;
    this.slots[i] = Infinity;
    this.pos = (i + 1) % this.slots.length;
    return i;
  }

  release(slot: number, at: number): void {
    if (this.slots && slot >= 0) this.slots[slot] = at;
  }
}

/**
 * One loop that paces sends under Telegram's limits and applies the error policy of `policy.ts`.
 * Pacing is proactive: a sliding one-second window for the global rate (and a second, larger one
 * for paid broadcasts), per-chat spacing via the outbox (1 s for private chats, 3 s = 20/min for
 * groups and channels), so a 429 is the exception, not the feedback loop. A 429 holds its whole lane.
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
    unthreaded: 0,
    unpaid: 0,
  };
  /** Latencies (ms, job created → accepted) of the last sends, for stats. */
  readonly latencies: number[] = [];
  lastRunAt = 0;
  private readonly free: RateWindow;
  private readonly paid: RateWindow;
  private readonly finals = new Set<(d: Delivery, result: FinalResult, reason?: string) => void>();
  private inflight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private running = false;
  private readonly lanePause: Record<Lane, number> = { broadcast: 0, alert: 0, digest: 0 };
  private idle: Array<() => void> = [];
  private readonly o: Required<Omit<SenderOptions, 'api' | 'outbox' | 'chats' | 'logger' | 'onOutcome' | 'paidRate'>>;
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
    this.free = new RateWindow(this.o.globalRate);
    this.paid = new RateWindow(deps.paidRate ?? 1000);
  }

  /**
   * Call `fn` when a delivery leaves the outbox for good (sent, or failed: dropped, chat
   * deactivated). Broadcast jobs count their progress with it.
   */
  onFinal(fn: (d: Delivery, result: FinalResult, reason?: string) => void): () => void {
    this.finals.add(fn);
    return () => this.finals.delete(fn);
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

  private windowOf(q: Queue): RateWindow {
    return q === 'paid' ? this.paid : this.free;
  }

  private pump(): void {
    if (!this.running) return;
    this.lastRunAt = this.o.now();
    while (this.inflight < this.o.concurrency) {
      const now = this.o.now();
      const open = (q: Queue) => this.windowOf(q).nextFree() <= now && this.lanePause[laneOf(q)] <= now;
      const d = this.deps.outbox.take(now, open);
      if (!d) return this.scheduleNext(now);
      const window = this.windowOf(d.paid ? 'paid' : d.lane);
      const slot = window.acquire();
      this.inflight++;
      void this.send(d).finally(() => {
        window.release(slot, this.o.now());
        this.inflight--;
        if (this.inflight === 0) for (const r of this.idle.splice(0)) r();
        this.pump();
      });
    }
  }

  /** Sleep until the earliest queue head that its lane pause and rate window allow. */
  private scheduleNext(now: number): void {
    // Waiting for the outbox to write its deletes: it notifies (wakes us) when the flush ends.
    if (this.deps.outbox.saturated) return;
    let next = Infinity;
    for (const q of QUEUES) {
      const at = this.deps.outbox.peekAt(q);
      if (at === undefined) continue;
      // Infinity when every slot is in flight: the next response calls pump() anyway.
      next = Math.min(next, Math.max(at, this.lanePause[laneOf(q)], this.windowOf(q).nextFree()));
    }
    if (next < Infinity) this.wake(Math.max(next, now));
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
        ...(d.paid ? { allow_paid_broadcast: true } : {}),
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
      this.final(d, 'sent');
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
        // A new id, so the old record's write-behind delete cannot hit the new one; enqueued
        // before the old one is dropped so a broadcast never looks finished in between.
        await outbox.enqueue([{ ...d, id: `${d.id}>${decision.to}`, chatId: decision.to, notBefore: now }]);
        await outbox.drop(d);
        return outbox.moveChat(d.chatId, decision.to);
      case 'plain':
        this.count('plain', d);
        // Message texts only at debug (issue 8): the error line names the job, the debug line shows the HTML.
        logger.error({ ...log, reason: decision.reason }, 'BUG: Telegram rejected our HTML; resending as plain text');
        logger.debug({ jobId: d.id, text: d.text }, 'rejected HTML');
        return outbox.retry(d, now, { plain: true, text: htmlToPlain(d.text) });
      case 'no-thread':
        if (d.threadId) {
          this.count('unthreaded', d);
          logger.info({ ...log, reason: decision.reason }, 'forum topic closed; sending to the chat itself');
          return outbox.retry(d, now, { threadId: undefined });
        }
      // falls through: without a thread there is nothing to fall back to
      case 'no-paid':
        if (d.paid) {
          this.count('unpaid', d);
          logger.error({ ...log, reason: decision.reason }, 'paid broadcast refused; sending within the free limit');
          return outbox.retry(d, now, { paid: false });
        }
      // falls through
      case 'drop':
        this.count('dropped', d);
        logger.error({ ...log, err, reason: decision.reason }, 'delivery dropped');
        await outbox.drop(d);
        return this.final(d, 'failed', decision.reason);
    }
  }

  private final(d: Delivery, result: FinalResult, reason?: string): void {
    for (const fn of this.finals) {
      try {
        fn(d, result, reason);
      } catch (err) {
        this.deps.logger.error({ err, jobId: d.id }, 'delivery listener failed');
      }
    }
  }

  private async deactivate(d: Delivery, reason: string): Promise<void> {
    this.count('deactivated', d);
    this.deps.logger.info({ chatId: d.chatId, reason }, 'chat deactivated');
    await this.deps.chats.deactivate(d.chatId, reason);
    await this.deps.outbox.drop(d);
    this.final(d, 'failed', reason);
    for (const other of await this.deps.outbox.dropChat(d.chatId)) this.final(other, 'failed', reason);
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
