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
  /**
   * Dispatches are spread over slices of this many ms, at most `spreadBurst` × the rate in each
   * (see Spacer; 0: no spreading).
   */
  spreadMs?: number;
  spreadBurst?: number;
  /** Free-lane requests in flight at once. */
  concurrency?: number;
  /**
   * Paid-broadcast requests in flight at once, on top of `concurrency`. To reach `paidRate` this
   * must cover the rate × the round trip: the default, paidRate / 4, holds 1000/s up to 250 ms.
   */
  paidConcurrency?: number;
  now?: () => number;
  random?: () => number;
  /** Told of every outcome (metrics). `latencyMs` is job created → accepted, on 'sent'. */
  onOutcome?: (e: { outcome: Outcome; lane: Lane; chatId: number; latencyMs?: number }) => void;
}

export const OUTCOMES = ['sent', 'retried', 'throttled', 'dropped', 'deactivated', 'migrated', 'plain', 'struck', 'unthreaded', 'unpaid'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The sendMessage options a delivery asks for (HTML unless resent as plain text, no preview by default). */
export function sendOptions(d: Delivery) {
  return {
    ...(d.plain ? {} : { parse_mode: 'HTML' as const }),
    link_preview_options: { is_disabled: !d.linkPreview },
    ...(d.replyMarkup ? { reply_markup: d.replyMarkup } : {}),
    ...(d.silent ? { disable_notification: true } : {}),
    ...(d.threadId ? { message_thread_id: d.threadId } : {}),
    ...(d.paid ? { allow_paid_broadcast: true } : {}),
  };
}

/** A zero count per outcome (the Sender's and the BullMQ worker's `counts`). */
export function zeroCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

/** How a delivery left the outbox for good: accepted by Telegram, or given up. */
export type FinalResult = 'sent' | 'failed';

/**
 * A sliding one-second window over requests, proactive: a request counts from the moment it is
 * dispatched, and until one second after its *response* arrived. Telegram counts a message when it
 * accepts it, somewhere between dispatch and response, so this is the safe end: for any message
 * Telegram accepts, every other one it accepted in the second before was, at our dispatch, either
 * in flight or answered less than a second earlier, so it was counted. We never exceed `rate` in
 * any second, whatever the network's jitter.
 *
 * The answered requests are kept as a queue of response times (sorted: they are stamped on
 * arrival), not as a ring of slots reused in dispatch order: in a ring one slow answer holds back
 * every slot behind it (measured: p99 round trips of 400 ms on a loaded machine cost 11% of
 * 1000/s), while here it holds back only itself. The throughput lost is the mean round trip per
 * second per request: 0.5% at 5 ms.
 */
export class RateWindow {
  /** Response times of answered requests, oldest first (a ring of `rate` entries). */
  private readonly stamps: Float64Array | undefined;
  private head = 0;
  private stored = 0;
  private inflight = 0;

  /** `rate` 0 or not finite: no limit. */
  constructor(private readonly rate: number) {
    this.stamps = rate > 0 && Number.isFinite(rate) ? new Float64Array(Math.max(1, Math.floor(rate))) : undefined;
    if (this.stamps) this.rate = this.stamps.length;
  }

  /** When the next request may be dispatched (Infinity: wait for one in flight to finish). */
  nextFree(): number {
    const s = this.stamps;
    if (!s) return -Infinity;
    const excess = this.inflight + this.stored - this.rate + 1;
    if (excess <= 0) return -Infinity;
    if (excess > this.stored) return Infinity;
    return s[(this.head + excess - 1) % s.length]! + 1000;
  }

  /** A request is dispatched (call only when `nextFree()` has passed). */
  acquire(): number {
    if (!this.stamps) return -1;
    // The oldest answers that had to expire for this one to fit are forgotten.
    const excess = this.inflight + this.stored - this.rate + 1;
    if (excess > 0) {
      const k = Math.min(excess, this.stored);
      this.head = (this.head + k) % this.stamps.length;
      this.stored -= k;
    }
    this.inflight++;
    return 0;
  }

  /** The request dispatched with `acquire` got its answer (or failed) at `at`. */
  release(slot: number, at: number): void {
    const s = this.stamps;
    if (!s || slot < 0) return;
    this.inflight--;
    const last = this.stored ? s[(this.head + this.stored - 1) % s.length]! : -Infinity;
    s[(this.head + this.stored) % s.length] = Math.max(at, last); // kept sorted
    this.stored++;
  }
}

/**
 * Spreads dispatches: at most `rate × burst × sliceMs / 1000` requests start in any `sliceMs`.
 * Without it a window with many places free at once (the first second, after a pause) sends them
 * as one burst that queues at the server: round trips grow, and each answered request holds its
 * place in the window for that much longer (measured with 256 paid requests allowed in flight: 0.97
 * of 1000/s without, 0.99 with). Stamped at dispatch: it only smooths, the RateWindow is what keeps
 * us under Telegram's limit.
 */
export class Spacer {
  private readonly slots: Float64Array | undefined;
  private pos = 0;

  constructor(
    rate: number,
    private readonly sliceMs = 50,
    burst = 4,
  ) {
    const n = rate > 0 && Number.isFinite(rate) && sliceMs > 0 ? Math.max(1, Math.ceil((rate * burst * sliceMs) / 1000)) : 0;
    this.slots = n ? new Float64Array(n).fill(-Infinity) : undefined;
  }

  nextFree(): number {
    return this.slots ? this.slots[this.pos]! + this.sliceMs : -Infinity;
  }

  take(now: number): void {
    if (!this.slots) return;
    this.slots[this.pos] = now;
    this.pos = (this.pos + 1) % this.slots.length;
  }
}

/**
 * One loop that paces sends under Telegram's limits and applies the error policy of `policy.ts`.
 * Pacing is proactive: a sliding one-second window for the global rate (and a second, larger one
 * for paid broadcasts), per-chat spacing via the outbox (1 s for private chats, 3 s = 20/min for
 * groups and channels), so a 429 is the exception, not the feedback loop. A 429 holds its whole lane.
 */
export class Sender {
  readonly counts = zeroCounts();
  /** Latencies (ms, job created → accepted) of the last sends, for stats. */
  readonly latencies: number[] = [];
  lastRunAt = 0;
  private readonly free: RateWindow;
  private readonly paid: RateWindow;
  private readonly freeSpacer: Spacer;
  private readonly paidSpacer: Spacer;
  private readonly finals = new Set<(d: Delivery, result: FinalResult, reason?: string) => void>();
  private inflight = 0;
  /** Of `inflight`, the paid ones (they have their own limit, `paidConcurrency`). */
  private inflightPaid = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private running = false;
  private readonly lanePause: Record<Lane, number> = { broadcast: 0, alert: 0, digest: 0 };
  private idle: Array<() => void> = [];
  private readonly o: Required<Omit<SenderOptions, 'api' | 'outbox' | 'chats' | 'logger' | 'onOutcome' | 'paidRate' | 'spreadMs' | 'spreadBurst'>>;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: SenderOptions) {
    this.o = {
      globalRate: deps.globalRate ?? 30,
      privateIntervalMs: deps.privateIntervalMs ?? 1000,
      groupIntervalMs: deps.groupIntervalMs ?? 3000,
      strikeGrace: deps.strikeGrace ?? 3,
      concurrency: deps.concurrency ?? 64,
      paidConcurrency: deps.paidConcurrency ?? Math.max(1, Math.ceil((deps.paidRate ?? 1000) / 4)),
      now: deps.now ?? Date.now,
      random: deps.random ?? Math.random,
    };
    this.free = new RateWindow(this.o.globalRate);
    this.paid = new RateWindow(deps.paidRate ?? 1000);
    this.freeSpacer = new Spacer(this.o.globalRate, deps.spreadMs ?? 50, deps.spreadBurst ?? 4);
    this.paidSpacer = new Spacer(deps.paidRate ?? 1000, deps.spreadMs ?? 50, deps.spreadBurst ?? 4);
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

  /** A request of this queue may start now: in-flight room, rate window and lane pause. */
  private readonly open = (q: Queue): boolean => {
    const now = this.pumpNow;
    if (q === 'paid' ? this.inflightPaid >= this.o.paidConcurrency : this.inflight - this.inflightPaid >= this.o.concurrency) return false;
    return this.nextFree(q) <= now && this.lanePause[laneOf(q)] <= now;
  };

  /** When the rate window and the spacer of `q` next let a request start. */
  private nextFree(q: Queue): number {
    return q === 'paid' ? Math.max(this.paid.nextFree(), this.paidSpacer.nextFree()) : Math.max(this.free.nextFree(), this.freeSpacer.nextFree());
  }
  private pumpNow = 0;

  private pump(): void {
    if (!this.running) return;
    this.lastRunAt = this.o.now();
    for (;;) {
      const now = (this.pumpNow = this.o.now());
      const d = this.deps.outbox.take(now, this.open);
      if (!d) return this.scheduleNext(now);
      const paid = d.paid === true;
      const window = paid ? this.paid : this.free;
      const slot = window.acquire();
      (paid ? this.paidSpacer : this.freeSpacer).take(now);
      this.inflight++;
      if (paid) this.inflightPaid++;
      void this.run(d, window, slot, paid);
    }
  }

  /** One send, then its bookkeeping (no closure per delivery). */
  private async run(d: Delivery, window: RateWindow, slot: number, paid: boolean): Promise<void> {
    try {
      await this.send(d, window, slot);
    } finally {
      this.inflight--;
      if (paid) this.inflightPaid--;
      if (this.inflight === 0) for (const r of this.idle.splice(0)) r();
      this.pump();
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
      // No room in flight for this queue: the next answer calls pump() anyway.
      if (q === 'paid' ? this.inflightPaid >= this.o.paidConcurrency : this.inflight - this.inflightPaid >= this.o.concurrency) continue;
      // Infinity when every slot is in flight: the next response calls pump() anyway.
      next = Math.min(next, Math.max(at, this.lanePause[laneOf(q)], this.nextFree(q)));
    }
    if (next < Infinity) this.wake(Math.max(next, now));
  }

  private async send(d: Delivery, window: RateWindow, slot: number): Promise<void> {
    const { api, outbox, chats, logger } = this.deps;
    try {
      try {
        await api.sendMessage(d.chatId, d.text, sendOptions(d));
      } finally {
        // Stamped when Telegram answered, before our own bookkeeping (store writes) of the outcome.
        window.release(slot, this.o.now());
      }
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
