import type Keyv from 'keyv';
import { type Delivery, type Lane, LANES } from '../types.js';
import { bulkSet, bulkValues } from './bulk-store.js';
import { Heap } from './heap.js';

/**
 * The outbox's internal queues: the three lanes, plus paid broadcasts (`allow_paid_broadcast`),
 * which are broadcast-lane jobs paced by a separate, much larger rate budget, so they need their
 * own heap to be taken while the free budget is exhausted.
 */
export type Queue = Lane | 'paid';
export const QUEUES: readonly Queue[] = ['paid', 'broadcast', 'alert', 'digest'];
export const queueOf = (d: Delivery): Queue => (d.paid ? 'paid' : d.lane);
export const laneOf = (q: Queue): Lane => (q === 'paid' ? 'broadcast' : q);
const BIT: Record<Queue, number> = { paid: 1, broadcast: 2, alert: 4, digest: 8 };

interface ChatQueue {
  jobs: Record<Queue, Delivery[]>;
  /** The job being sent to this chat (at most one, which keeps a chat's messages in order). */
  current: Delivery | undefined;
  /** Bit set of the queues in whose heap this chat has an entry (a number, not a Set: 100,000 chats). */
  queued: number;
}

interface Entry {
  chatId: number;
  at: number;
  createdAt: number;
}

export interface OutboxOptions {
  /** Write-behind of deletes: flush after this many ms, or as soon as `flushBatch` ids wait. */
  flushMs?: number;
  flushBatch?: number;
  /** Told when a batch of deletes could not be written (the ids stay queued and are retried). */
  onFlushError?: (err: unknown) => void;
}

const byTime = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.createdAt < b.createdAt);
const CHUNK = 1000;

/**
 * Durable delivery jobs. Every job is written to the store before it is queued, and its record is
 * deleted only after Telegram accepted it (or it failed for good), so a crash loses nothing: `load`
 * resumes every unfinished job.
 *
 * Deletes are written behind, in batches (every `flushMs` or `flushBatch` ids): one SQLite statement
 * per batch instead of one per message is what lets the outbox keep up with 1000 messages/s. The
 * price, and the bound on duplicates after a `kill -9`: messages in flight plus deletes not yet
 * flushed are sent again after a restart; `take` pauses while 2 × `flushBatch` deletes wait, so
 * that is at most sender concurrency + 2 × flushBatch (64 + 1000 by default), and in practice about
 * `flushMs` worth of sends. An id leaves the write-behind queue only once its delete is durable; a
 * failed flush is retried.
 *
 * In memory, each queue is a heap of chats ordered by when the chat may next receive a message,
 * then by its oldest job, so one chat's backlog never starves the others.
 */
export class Outbox {
  private readonly chats = new Map<number, ChatQueue>();
  private readonly heaps: Record<Queue, Heap<Entry>> = {
    paid: new Heap(byTime),
    broadcast: new Heap(byTime),
    alert: new Heap(byTime),
    digest: new Heap(byTime),
  };
  /** Earliest time the next message may go to a chat (per-chat pacing); outlives the chat's queue. */
  private readonly readyAt = new Map<number, number>();
  private lastPrune = 0;
  private count = 0;
  private readonly laneCount: Record<Lane, number> = { broadcast: 0, alert: 0, digest: 0 };
  private readonly perBroadcast = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly pendingDeletes = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;
  private readonly o: Required<Omit<OutboxOptions, 'onFlushError'>>;

  constructor(
    private readonly kv: Keyv,
    private readonly opts: OutboxOptions = {},
  ) {
    this.o = { flushMs: opts.flushMs ?? 100, flushBatch: opts.flushBatch ?? 500 };
  }

  get size(): number {
    return this.count;
  }

  /** Jobs waiting per lane (paid broadcasts count as broadcast). O(1). */
  depth(): Record<Lane, number> {
    return { ...this.laneCount };
  }

  /** Jobs of one broadcast still in the outbox (queued or in flight). */
  broadcastPending(broadcastId: string): number {
    return this.perBroadcast.get(broadcastId) ?? 0;
  }

  /** Deletes accepted but not yet durable (the crash-duplicate window beside in-flight sends). */
  get unflushed(): number {
    return this.pendingDeletes.size;
  }

  /**
   * Too many deletes wait to be written (the store is slower than the sends): `take` gives nothing
   * until a flush catches up. This is what makes the crash-duplicate bound hard: in flight plus at
   * most 2 × `flushBatch` unflushed. Listeners are notified when a flush ends.
   */
  get saturated(): boolean {
    return this.pendingDeletes.size >= 2 * this.o.flushBatch;
  }

  /** Call `fn` whenever jobs are added or a flush ends (the sender wakes up). */
  onEnqueue(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Load unfinished jobs from the store (after a restart). */
  async load(): Promise<number> {
    const jobs = await bulkValues<Delivery>(this.kv);
    jobs.sort((a, b) => a.createdAt - b.createdAt);
    for (const d of jobs) this.index(d);
    if (jobs.length) this.notify();
    return jobs.length;
  }

  /** Persist, then queue. Resolves once every job is durable. */
  async enqueue(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    for (let i = 0; i < deliveries.length; i += CHUNK) {
      const part = deliveries.slice(i, i + CHUNK);
      // An id being re-used (a migrated job) must not be deleted by a later flush.
      if (this.pendingDeletes.size) for (const d of part) this.pendingDeletes.delete(d.id);
      await bulkSet(
        this.kv,
        part.map((d) => ({ key: d.id, value: d })),
      );
    }
    for (const d of deliveries) this.index(d);
    this.notify();
  }

  /**
   * The next job that may be sent now, or undefined. Queues in priority order; `open` lets the
   * sender hold a queue (a 429 on its lane, or its rate budget spent). The chat is marked in flight
   * until done/retry/drop.
   */
  take(now: number, open: (q: Queue) => boolean = () => true): Delivery | undefined {
    if (this.saturated) return undefined;
    for (const queue of QUEUES) {
      if (!open(queue)) continue;
      const heap = this.heaps[queue];
      for (;;) {
        const top = heap.peek();
        if (!top || top.at > now) break;
        heap.pop();
        const q = this.chats.get(top.chatId);
        if (!q) continue;
        q.queued &= ~BIT[queue];
        const job = q.jobs[queue][0];
        if (!job || q.current) continue; // re-queued when the in-flight job finishes
        const at = Math.max(this.readyAt.get(top.chatId) ?? 0, job.notBefore);
        if (at > now) {
          this.push(queue, top.chatId, q);
          continue;
        }
        q.current = job;
        return job;
      }
    }
    return undefined;
  }

  /** When the head of `queue` may be sent (undefined when it is empty). */
  peekAt(queue: Queue): number | undefined {
    return this.heaps[queue].peek()?.at;
  }

  /** Earliest time at which `take` may return something (undefined when empty). */
  nextAt(open: (q: Queue) => boolean = () => true): number | undefined {
    let min: number | undefined;
    for (const queue of QUEUES) {
      const at = open(queue) ? this.peekAt(queue) : undefined;
      if (at !== undefined && (min === undefined || at < min)) min = at;
    }
    return min;
  }

  /** Telegram accepted the message: forget the job; the chat may receive again at `readyAt`. */
  async done(d: Delivery, readyAt: number): Promise<void> {
    this.release(d, readyAt, true);
    this.forget([d.id]);
  }

  /** Permanent failure: forget the job. */
  async drop(d: Delivery, readyAt = 0): Promise<void> {
    this.release(d, readyAt, true);
    this.forget([d.id]);
  }

  /** Try again later (the job stays first in its chat's queue). */
  async retry(d: Delivery, notBefore: number, patch: Partial<Delivery> = {}): Promise<void> {
    const before = queueOf(d);
    Object.assign(d, patch, { attempts: d.attempts + 1, notBefore });
    await this.kv.set(d.id, d);
    const after = queueOf(d);
    if (after !== before) {
      // Paid mode switched off (or on): move the job to the queue that matches.
      const q = this.chats.get(d.chatId);
      const list = q?.jobs[before];
      const i = list?.indexOf(d) ?? -1;
      if (q && list && i >= 0) {
        list.splice(i, 1);
        q.jobs[after].unshift(d);
      }
    }
    this.release(d, 0, false);
  }

  /** Remove every queued job of a chat (it blocked the bot or no longer exists); returns them. */
  async dropChat(chatId: number): Promise<Delivery[]> {
    const q = this.chats.get(chatId);
    if (!q) return [];
    const jobs = QUEUES.flatMap((l) => q.jobs[l]).filter((d) => d !== q.current);
    this.chats.delete(chatId);
    if (q.current) {
      // Keep the in-flight job's entry so its done/drop still finds it.
      this.chats.set(chatId, { jobs: { paid: [], broadcast: [], alert: [], digest: [] }, current: q.current, queued: 0 });
      this.chats.get(chatId)!.jobs[queueOf(q.current)].push(q.current);
    }
    for (const d of jobs) this.uncount(d);
    this.forget(jobs.map((d) => d.id));
    return jobs;
  }

  /** Cancel a broadcast: remove its queued jobs (one in flight still finishes); returns them. */
  async dropBroadcast(broadcastId: string): Promise<Delivery[]> {
    if (!this.perBroadcast.get(broadcastId)) return [];
    const removed: Delivery[] = [];
    for (const [chatId, q] of this.chats) {
      for (const queue of QUEUES) {
        const list = q.jobs[queue];
        if (!list.some((d) => d.broadcastId === broadcastId && d !== q.current)) continue;
        q.jobs[queue] = list.filter((d) => {
          const drop = d.broadcastId === broadcastId && d !== q.current;
          if (drop) removed.push(d);
          return !drop;
        });
      }
      if (!q.current && QUEUES.every((l) => q.jobs[l].length === 0)) this.chats.delete(chatId);
    }
    for (const d of removed) this.uncount(d);
    this.forget(removed.map((d) => d.id));
    return removed;
  }

  /** A group became a supergroup: its jobs move to the new id. */
  async moveChat(from: number, to: number): Promise<void> {
    const q = this.chats.get(from);
    if (!q) return;
    const jobs = QUEUES.flatMap((l) => q.jobs[l]).filter((d) => d !== q.current);
    this.chats.delete(from);
    if (q.current) this.chats.set(from, { jobs: { paid: [], broadcast: [], alert: [], digest: [] }, current: q.current, queued: 0 });
    if (q.current) this.chats.get(from)!.jobs[queueOf(q.current)].push(q.current);
    for (const d of jobs) this.uncount(d);
    const moved = jobs.map((d) => ({ ...d, chatId: to }));
    await bulkSet(
      this.kv,
      moved.map((d) => ({ key: d.id, value: d })),
    );
    for (const d of moved) this.index(d);
    this.notify();
  }

  /** Write every pending delete now. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.flushing) await this.flushing;
    if (this.pendingDeletes.size === 0) return;
    const ids = [...this.pendingDeletes];
    this.flushing = (async () => {
      try {
        for (let i = 0; i < ids.length; i += CHUNK) await this.kv.deleteMany(ids.slice(i, i + CHUNK));
        // Forgotten only now that the deletes are durable (unless re-enqueued meanwhile).
        for (const id of ids) this.pendingDeletes.delete(id);
      } catch (err) {
        this.opts.onFlushError?.(err);
        this.scheduleFlush();
      } finally {
        this.flushing = undefined;
      }
      this.notify();
    })();
    await this.flushing;
  }

  /** Flush pending deletes and stop the flush timer (before closing the store). */
  async close(): Promise<void> {
    await this.flush();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private forget(ids: string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) this.pendingDeletes.add(id);
    if (this.pendingDeletes.size >= this.o.flushBatch && !this.flushing) void this.flush();
    else this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.o.flushMs);
    // A pending flush alone must not keep the process alive; close() flushes on shutdown.
    this.flushTimer.unref?.();
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  private index(d: Delivery): void {
    let q = this.chats.get(d.chatId);
    if (!q) {
      q = { jobs: { paid: [], broadcast: [], alert: [], digest: [] }, current: undefined, queued: 0 };
      this.chats.set(d.chatId, q);
    }
    const queue = queueOf(d);
    q.jobs[queue].push(d);
    this.count++;
    this.laneCount[d.lane]++;
    if (d.broadcastId) this.perBroadcast.set(d.broadcastId, (this.perBroadcast.get(d.broadcastId) ?? 0) + 1);
    if (!q.current) this.push(queue, d.chatId, q);
  }

  private uncount(d: Delivery): void {
    this.count--;
    this.laneCount[d.lane]--;
    if (d.broadcastId) {
      const n = (this.perBroadcast.get(d.broadcastId) ?? 0) - 1;
      if (n > 0) this.perBroadcast.set(d.broadcastId, n);
      else this.perBroadcast.delete(d.broadcastId);
    }
  }

  private release(d: Delivery, readyAt: number, remove: boolean): void {
    const q = this.chats.get(d.chatId);
    if (!q) return;
    if (remove) {
      const list = q.jobs[queueOf(d)];
      const i = list.indexOf(d);
      const j = i >= 0 ? i : list.findIndex((x) => x.id === d.id);
      if (j >= 0) {
        list.splice(j, 1);
        this.uncount(d);
      }
    }
    if (q.current === d || q.current?.id === d.id) q.current = undefined;
    if (readyAt > (this.readyAt.get(d.chatId) ?? 0)) this.readyAt.set(d.chatId, readyAt);
    if (QUEUES.every((l) => q.jobs[l].length === 0)) {
      this.chats.delete(d.chatId);
      this.prunePacing(readyAt);
      return;
    }
    if (!q.current) for (const l of QUEUES) if (q.jobs[l].length) this.push(l, d.chatId, q);
  }

  private push(queue: Queue, chatId: number, q: ChatQueue): void {
    if (q.queued & BIT[queue]) return;
    const head = q.jobs[queue][0]!;
    q.queued |= BIT[queue];
    const at = Math.max(this.readyAt.get(chatId) ?? 0, head.notBefore);
    this.heaps[queue].push({ chatId, at, createdAt: head.createdAt });
  }

  /** Forget pacing of idle chats whose time has passed (bounded memory during big broadcasts). */
  private prunePacing(now: number): void {
    if (this.readyAt.size < 50_000 || now - this.lastPrune < 10_000) return;
    this.lastPrune = now;
    for (const [id, t] of this.readyAt) if (t < now - 60_000 && !this.chats.has(id)) this.readyAt.delete(id);
  }
}
