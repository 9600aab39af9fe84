import type Keyv from 'keyv';
import { listAll } from '../store/keyv.js';
import { type Delivery, type Lane, LANES } from '../types.js';
import { Heap } from './heap.js';

interface ChatQueue {
  jobs: Record<Lane, Delivery[]>;
  inflight: boolean;
  /** Lanes in whose heap this chat currently has an entry. */
  queued: Set<Lane>;
}

interface Entry {
  chatId: number;
  at: number;
  createdAt: number;
}

const byTime = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.createdAt < b.createdAt);

/**
 * Durable delivery jobs. Every job is written to the store before it is queued and deleted only
 * when `done` is called (after Telegram accepted it), so a crash loses nothing: `load` resumes
 * every unfinished job. In memory, each lane is a heap of chats ordered by when the chat may next
 * receive a message, then by its oldest job, so one chat's backlog never starves the others;
 * a chat has at most one message in flight, which keeps its messages in order.
 */
export class Outbox {
  private readonly chats = new Map<number, ChatQueue>();
  private readonly heaps: Record<Lane, Heap<Entry>> = {
    broadcast: new Heap(byTime),
    alert: new Heap(byTime),
    digest: new Heap(byTime),
  };
  /** Earliest time the next message may go to a chat (per-chat pacing); outlives the chat's queue. */
  private readonly readyAt = new Map<number, number>();
  private lastPrune = 0;
  private count = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly kv: Keyv) {}

  get size(): number {
    return this.count;
  }

  depth(): Record<Lane, number> {
    const d = { broadcast: 0, alert: 0, digest: 0 };
    for (const q of this.chats.values()) for (const l of LANES) d[l] += q.jobs[l].length;
    return d;
  }

  /** Call `fn` whenever jobs are added (the sender wakes up). */
  onEnqueue(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Load unfinished jobs from the store (after a restart). */
  async load(): Promise<number> {
    const jobs = (await listAll<Delivery>(this.kv)).map(([, d]) => d);
    jobs.sort((a, b) => a.createdAt - b.createdAt);
    for (const d of jobs) this.index(d);
    return jobs.length;
  }

  /** Persist, then queue. Resolves once every job is durable. */
  async enqueue(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const CHUNK = 500;
    for (let i = 0; i < deliveries.length; i += CHUNK) {
      const part = deliveries.slice(i, i + CHUNK);
      await this.kv.setMany(part.map((d) => ({ key: d.id, value: d })));
    }
    for (const d of deliveries) this.index(d);
    for (const fn of this.listeners) fn();
  }

  /**
   * The next job that may be sent now, or undefined. Lanes in priority order; `laneOpen` lets the
   * sender hold a lane (after a 429). The chat is marked in flight until done/retry/drop.
   */
  take(now: number, laneOpen: (lane: Lane) => boolean = () => true): Delivery | undefined {
    for (const lane of LANES) {
      if (!laneOpen(lane)) continue;
      const heap = this.heaps[lane];
      for (;;) {
        const top = heap.peek();
        if (!top || top.at > now) break;
        heap.pop();
        const q = this.chats.get(top.chatId);
        if (!q) continue;
        q.queued.delete(lane);
        const job = q.jobs[lane][0];
        if (!job || q.inflight) continue; // re-queued when the in-flight job finishes
        const at = Math.max(this.readyAt.get(top.chatId) ?? 0, job.notBefore);
        if (at > now) {
          this.push(lane, top.chatId, q);
          continue;
        }
        q.inflight = true;
        return job;
      }
    }
    return undefined;
  }

  /** Earliest time at which `take` may return something (undefined when empty). */
  nextAt(laneOpen: (lane: Lane) => boolean = () => true): number | undefined {
    let min: number | undefined;
    for (const lane of LANES) {
      const top = laneOpen(lane) ? this.heaps[lane].peek() : undefined;
      if (top && (min === undefined || top.at < min)) min = top.at;
    }
    return min;
  }

  /** Telegram accepted the message: forget the job; the chat may receive again at `readyAt`. */
  async done(d: Delivery, readyAt: number): Promise<void> {
    await this.kv.delete(d.id);
    this.release(d, readyAt, true);
  }

  /** Permanent failure: forget the job. */
  async drop(d: Delivery, readyAt = 0): Promise<void> {
    await this.kv.delete(d.id);
    this.release(d, readyAt, true);
  }

  /** Try again later (the job stays first in its chat's lane). */
  async retry(d: Delivery, notBefore: number, patch: Partial<Delivery> = {}): Promise<void> {
    Object.assign(d, patch, { attempts: d.attempts + 1, notBefore });
    await this.kv.set(d.id, d);
    this.release(d, 0, false);
  }

  /** Remove every job of a chat (it blocked the bot or no longer exists). */
  async dropChat(chatId: number): Promise<number> {
    const q = this.chats.get(chatId);
    if (!q) return 0;
    const ids = LANES.flatMap((l) => q.jobs[l].map((d) => d.id));
    if (ids.length) await this.kv.deleteMany(ids);
    this.chats.delete(chatId);
    this.count -= ids.length;
    return ids.length;
  }

  /** A group became a supergroup: its jobs move to the new id. */
  async moveChat(from: number, to: number): Promise<void> {
    const q = this.chats.get(from);
    if (!q) return;
    const jobs = LANES.flatMap((l) => q.jobs[l]);
    this.chats.delete(from);
    this.count -= jobs.length;
    const moved = jobs.map((d) => ({ ...d, chatId: to }));
    await this.kv.setMany(moved.map((d) => ({ key: d.id, value: d })));
    for (const d of moved) this.index(d);
  }

  private index(d: Delivery): void {
    let q = this.chats.get(d.chatId);
    if (!q) {
      q = { jobs: { broadcast: [], alert: [], digest: [] }, inflight: false, queued: new Set() };
      this.chats.set(d.chatId, q);
    }
    q.jobs[d.lane].push(d);
    this.count++;
    if (!q.inflight) this.push(d.lane, d.chatId, q);
  }

  private release(d: Delivery, readyAt: number, remove: boolean): void {
    const q = this.chats.get(d.chatId);
    if (!q) return;
    if (remove) {
      const list = q.jobs[d.lane];
      const i = list.findIndex((j) => j.id === d.id);
      if (i >= 0) {
        list.splice(i, 1);
        this.count--;
      }
    }
    q.inflight = false;
    if (readyAt > (this.readyAt.get(d.chatId) ?? 0)) this.readyAt.set(d.chatId, readyAt);
    if (LANES.every((l) => q.jobs[l].length === 0)) {
      this.chats.delete(d.chatId);
      this.prunePacing(readyAt);
      return;
    }
    for (const l of LANES) if (q.jobs[l].length) this.push(l, d.chatId, q);
  }

  private push(lane: Lane, chatId: number, q: ChatQueue): void {
    if (q.queued.has(lane)) return;
    const head = q.jobs[lane][0]!;
    q.queued.add(lane);
    const at = Math.max(this.readyAt.get(chatId) ?? 0, head.notBefore);
    this.heaps[lane].push({ chatId, at, createdAt: head.createdAt });
  }

  /** Forget pacing of idle chats whose time has passed (bounded memory during big broadcasts). */
  private prunePacing(now: number): void {
    if (this.readyAt.size < 50_000 || now - this.lastPrune < 10_000) return;
    this.lastPrune = now;
    for (const [id, t] of this.readyAt) if (t < now - 60_000 && !this.chats.has(id)) this.readyAt.delete(id);
  }
}
