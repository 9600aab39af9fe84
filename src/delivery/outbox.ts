import type Keyv from 'keyv';
import { type Delivery, type Lane, LANES } from '../types.js';
import { bulkValues, setManyWithTtl as bulkSet } from '../store/bulk.js';
import { TimeHeap } from './heap.js';

/**
 * The outbox's internal queues: the three lanes, plus paid broadcasts (`allow_paid_broadcast`),
 * which are broadcast-lane jobs paced by a separate, much larger rate budget, so they need their
 * own heap to be taken while the free budget is exhausted.
 */
export type Queue = Lane | 'paid';
export const QUEUES: readonly Queue[] = ['paid', 'broadcast', 'alert', 'digest'];
export const queueOf = (d: Delivery): Queue => (d.paid ? 'paid' : d.lane);
export const laneOf = (q: Queue): Lane => (q === 'paid' ? 'broadcast' : q);

const QI: Record<Queue, number> = { paid: 0, broadcast: 1, alert: 2, digest: 3 };
const NQ = QUEUES.length;
const NONE = -1;

/**
 * What the deliveries of one broadcast (in one locale), or the alerts of one article with the same
 * text and buttons, share: everything but the id, chat, times and attempts. Kept once, in memory and
 * in the store, and referenced by each delivery: 100,000 deliveries of a broadcast are 100,000 small
 * references, not 100,000 copies of the message.
 */
type Shared = Omit<Delivery, 'id' | 'chatId' | 'createdAt' | 'notBefore' | 'attempts'>;
const PER_DELIVERY = new Set(['id', 'chatId', 'createdAt', 'notBefore', 'attempts']);

interface Template {
  /** Store key of the template record. */
  key: string;
  /** A delivery's id is `prefix + chatId`. */
  prefix: string;
  shared: Shared;
  /** Deliveries referencing it, plus those being enqueued right now. */
  refs: number;
  /** Written to the store (an enqueue that failed leaves it in memory only). */
  durable: boolean;
}

/** Store records besides plain deliveries (alerts, digests, notices keep their whole text). */
interface StoredTemplate {
  tpl: string;
  prefix: string;
  shared: Shared;
}
interface StoredRef {
  ref: string;
  id: string;
  chatId: number;
  createdAt: number;
  notBefore: number;
  attempts: number;
}
type Stored = Delivery | StoredTemplate | StoredRef;
const isTemplate = (v: Stored): v is StoredTemplate => typeof (v as StoredTemplate).tpl === 'string';
const isRef = (v: Stored): v is StoredRef => typeof (v as StoredRef).ref === 'string';

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));

/**
 * Every delivery stored in an outbox collection, whole (references joined with their templates), oldest
 * first: what a restart would load. For inspection and tests; the running outbox keeps its own index.
 */
export async function storedDeliveries(kv: Keyv): Promise<Delivery[]> {
  const values = await bulkValues<Stored>(kv);
  const templates = new Map<string, StoredTemplate>();
  for (const v of values) if (isTemplate(v)) templates.set(v.tpl, v);
  const out: Delivery[] = [];
  for (const v of values) {
    if (isTemplate(v)) continue;
    if (!isRef(v)) out.push(v);
    else {
      const t = templates.get(v.ref);
      if (t) out.push({ ...t.shared, id: v.id, chatId: v.chatId, createdAt: v.createdAt, notBefore: v.notBefore, attempts: v.attempts });
    }
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

/** `d` has exactly the shared fields of `s` (absent and undefined are the same). */
function sameShared(d: Delivery, s: Shared): boolean {
  const dr = d as unknown as Record<string, unknown>;
  const sr = s as unknown as Record<string, unknown>;
  for (const k in sr) if (!sameValue(dr[k], sr[k])) return false;
  for (const k in dr) if (dr[k] !== undefined && !PER_DELIVERY.has(k) && !(k in sr)) return false;
  return true;
}

/** Deliveries that may share a template: those of one broadcast, or the alerts of one article. */
function groupOf(d: Pick<Delivery, 'broadcastId' | 'articleId'>): string | undefined {
  return d.broadcastId ?? d.articleId;
}

function sharedOf(d: Delivery): Shared {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined && !PER_DELIVERY.has(k)) out[k] = v;
  return out as Shared;
}

/**
 * Jobs as handles into typed columns (struct of arrays): chat, times, attempts, queue, template and
 * the next job of the same chat and queue (a linked list). A broadcast delivery is ~40 bytes here
 * and no object at all; other deliveries keep their object in `obj`.
 */
class Jobs {
  cap = 0;
  chat = new Float64Array(0);
  created = new Float64Array(0);
  notBefore = new Float64Array(0);
  attempts = new Int32Array(0);
  tpl = new Int32Array(0);
  next = new Int32Array(0);
  queue = new Uint8Array(0);
  obj: Array<Delivery | undefined> = [];
  private free: number[] = [];
  private top = 0;

  alloc(): number {
    const h = this.free.pop();
    if (h !== undefined) return h;
    if (this.top === this.cap) this.resize(Math.max(1024, this.cap * 2));
    return this.top++;
  }

  release(h: number): void {
    this.obj[h] = undefined;
    this.tpl[h] = NONE;
    this.free.push(h);
    // Everything free: give a big broadcast's columns back.
    if (this.free.length === this.top && this.cap > 4096) {
      this.free = [];
      this.top = 0;
      this.obj = [];
      this.resize(0);
    }
  }

  private resize(cap: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)) as never);
      return b;
    };
    this.chat = grow(this.chat, (n) => new Float64Array(n));
    this.created = grow(this.created, (n) => new Float64Array(n));
    this.notBefore = grow(this.notBefore, (n) => new Float64Array(n));
    this.attempts = grow(this.attempts, (n) => new Int32Array(n));
    this.tpl = grow(this.tpl, (n) => new Int32Array(n));
    this.next = grow(this.next, (n) => new Int32Array(n));
    this.queue = grow(this.queue, (n) => new Uint8Array(n));
    this.cap = cap;
  }
}

/**
 * Per-chat state as slots into typed columns: for each queue the head and tail of the chat's job
 * list, the job in flight, and the bit set of queues in whose heap the chat has an entry.
 */
class ChatSlots {
  cap = 0;
  head = new Int32Array(0);
  tail = new Int32Array(0);
  current = new Int32Array(0);
  queued = new Uint8Array(0);
  private free: number[] = [];
  private top = 0;

  alloc(): number {
    let s = this.free.pop();
    if (s === undefined) {
      if (this.top === this.cap) this.resize(Math.max(1024, this.cap * 2));
      s = this.top++;
    }
    this.head.fill(NONE, s * NQ, s * NQ + NQ);
    this.tail.fill(NONE, s * NQ, s * NQ + NQ);
    this.current[s] = NONE;
    this.queued[s] = 0;
    return s;
  }

  release(s: number): void {
    this.free.push(s);
    if (this.free.length === this.top && this.cap > 4096) {
      this.free = [];
      this.top = 0;
      this.resize(0);
    }
  }

  empty(s: number): boolean {
    for (let q = 0; q < NQ; q++) if (this.head[s * NQ + q] !== NONE) return false;
    return true;
  }

  private resize(cap: number): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T, n: number, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, Math.min(a.length, n)) as never);
      return b;
    };
    this.head = grow(this.head, cap * NQ, (n) => new Int32Array(n));
    this.tail = grow(this.tail, cap * NQ, (n) => new Int32Array(n));
    this.current = grow(this.current, cap, (n) => new Int32Array(n));
    this.queued = grow(this.queued, cap, (n) => new Uint8Array(n));
    this.cap = cap;
  }
}

export interface OutboxOptions {
  /** Write-behind of deletes: flush after this many ms, or as soon as `flushBatch` ids wait. */
  flushMs?: number;
  flushBatch?: number;
  /** Told when a batch of deletes could not be written (the ids stay queued and are retried). */
  onFlushError?: (err: unknown) => void;
}

const CHUNK = 1000;
const TEMPLATE_PREFIX = 'tpl~';

/**
 * Durable delivery jobs. Every job is written to the store before it is queued, and its record is
 * deleted only after Telegram accepted it (or it failed for good), so a crash loses nothing: `load`
 * resumes every unfinished job.
 *
 * Deletes are written behind, in batches (every `flushMs` or `flushBatch` ids): one SQLite statement
 * per batch instead of one per message is what lets the outbox keep up with 1000 messages/s. The
 * price, and the bound on duplicates after a `kill -9`: messages in flight plus deletes not yet
 * flushed are sent again after a restart; `take` pauses while 2 × `flushBatch` deletes wait, so
 * that is at most sender concurrency + 2 × flushBatch (64 + 1000 by default; plus the paid
 * in-flight limit during a paid broadcast), and in practice about `flushMs` worth of sends. An id
 * leaves the write-behind queue only once its delete is durable; a failed flush is retried.
 *
 * A broadcast's deliveries share their text and options: those are stored once, as a template
 * record written in the same statement as the first deliveries that use it, and each delivery's
 * record holds only its chat, times, attempts and the template's key; so do an article's alerts with the
 * same text and buttons. The template is deleted after the last delivery using it (in the same or a later
 * batch, never before). A delivery that would be its template's only user (in its enqueue), digests and
 * notices are stored whole. A delivery whose options change on retry (plain text, no
 * thread, not paid) leaves its template and is stored whole.
 *
 * In memory, jobs are handles into typed columns and each chat a slot of typed columns (no object
 * per broadcast delivery or per chat); each queue is a heap of chats ordered by when the chat may
 * next receive a message, then by its oldest job, so one chat's backlog never starves the others.
 * `take` hands out a Delivery object built for the send.
 */
export class Outbox {
  private readonly jobs = new Jobs();
  private readonly slots = new ChatSlots();
  /** chat id → its slot. */
  private readonly chats = new Map<number, number>();
  private readonly heaps: TimeHeap[] = QUEUES.map(() => new TimeHeap());
  private readonly templates: Array<Template | undefined> = [];
  private readonly freeTemplates: number[] = [];
  /** Templates by broadcast id, to find the one a new delivery shares (a few per broadcast: locales). */
  /** Templates by broadcast or article (see groupOf). */
  private readonly byGroup = new Map<string, number[]>();
  private readonly templateByKey = new Map<string, number>();
  /**
   * Earliest time the next message may go to a chat (per-chat pacing); outlives the chat's queue.
   * Stored as ms since `epoch`: small integers, which a Map keeps without a heap number each.
   */
  private readonly readyAt = new Map<number, number>();
  private readonly epoch = Date.now();
  private lastPrune = 0;
  private count = 0;
  private readonly laneCount: Record<Lane, number> = { broadcast: 0, alert: 0, digest: 0 };
  private readonly perBroadcast = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly pendingDeletes = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;
  private readonly o: Required<Omit<OutboxOptions, 'onFlushError'>>;
  private seq = 0;
  private readonly instance = Math.random().toString(36).slice(2, 8);

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
    const values = await bulkValues<Stored>(this.kv);
    const records: Array<Delivery | StoredRef> = [];
    for (const v of values) {
      if (isTemplate(v)) this.addTemplate(v.tpl, v.prefix, v.shared, true);
      else records.push(v);
    }
    records.sort((a, b) => a.createdAt - b.createdAt);
    const orphans: string[] = [];
    let loaded = 0;
    for (const r of records) {
      if (isRef(r)) {
        const t = this.templateByKey.get(r.ref);
        // Cannot happen (a template is written with its first deliveries and deleted after the
        // last); without its text the job cannot be sent, so it is forgotten.
        if (t === undefined) {
          orphans.push(r.id);
          continue;
        }
        this.templates[t]!.refs++;
        this.index(r.chatId, r.createdAt, r.notBefore, r.attempts, t, undefined);
      } else this.index(r.chatId, r.createdAt, r.notBefore, r.attempts, NONE, r);
      loaded++;
    }
    // Templates left over by a crash between the last delivery's delete and theirs.
    for (let t = 0; t < this.templates.length; t++) if (this.templates[t]?.refs === 0) orphans.push(this.dropTemplate(t)!);
    this.forget(orphans);
    if (loaded) this.notify();
    return loaded;
  }

  /** Persist, then queue. Resolves once every job is durable. */
  async enqueue(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    for (let i = 0; i < deliveries.length; i += CHUNK) {
      const part = deliveries.slice(i, i + CHUNK);
      // An id being re-used (a migrated job) must not be deleted by a later flush.
      if (this.pendingDeletes.size) for (const d of part) this.pendingDeletes.delete(d.id);
      // Templates are reserved (counted) before the write so none is forgotten meanwhile.
      const tpls = part.map((d) => this.templateFor(d));
      // A new template only one delivery uses (an alert whose "why" line is its own) would cost a second
      // record to write and delete: that delivery is stored whole.
      for (let j = 0; j < tpls.length; j++) {
        const t = tpls[j]!;
        if (t !== NONE && !this.templates[t]!.durable && this.templates[t]!.refs === 1) {
          this.dropTemplate(t);
          tpls[j] = NONE;
        }
      }
      const entries: Array<{ key: string; value: Stored }> = [];
      const fresh = new Set<number>();
      for (const t of tpls) {
        if (t === NONE || this.templates[t]!.durable || fresh.has(t)) continue;
        fresh.add(t);
        const tpl = this.templates[t]!;
        entries.push({ key: tpl.key, value: { tpl: tpl.key, prefix: tpl.prefix, shared: tpl.shared } });
      }
      for (let j = 0; j < part.length; j++) {
        const d = part[j]!;
        const t = tpls[j]!;
        entries.push({ key: d.id, value: t === NONE ? d : refOf(d, this.templates[t]!.key) });
      }
      try {
        await bulkSet(this.kv, entries);
      } catch (err) {
        const gone: string[] = [];
        for (const t of tpls) if (t !== NONE) this.unref(t, gone);
        this.forget(gone);
        throw err;
      }
      for (const t of fresh) this.templates[t]!.durable = true;
      for (let j = 0; j < part.length; j++) {
        const d = part[j]!;
        const t = tpls[j]!;
        this.index(d.chatId, d.createdAt, d.notBefore, d.attempts, t, t === NONE ? d : undefined);
      }
    }
    this.notify();
  }

  /**
   * The next job that may be sent now, or undefined. Queues in priority order; `open` lets the
   * sender hold a queue (a 429 on its lane, or its rate budget spent). The chat is marked in flight
   * until done/retry/drop.
   */
  take(now: number, open: (q: Queue) => boolean = () => true): Delivery | undefined {
    if (this.saturated) return undefined;
    const { slots, jobs } = this;
    for (let qi = 0; qi < NQ; qi++) {
      if (!open(QUEUES[qi]!)) continue;
      const heap = this.heaps[qi]!;
      const bit = 1 << qi;
      for (;;) {
        const top = heap.peekAt();
        if (top === undefined || top > now) break;
        const chatId = heap.peekKey();
        heap.pop();
        const s = this.chats.get(chatId);
        if (s === undefined) continue;
        slots.queued[s]! &= ~bit;
        const h = slots.head[s * NQ + qi]!;
        if (h === NONE || slots.current[s] !== NONE) continue; // re-queued when the in-flight job finishes
        const at = Math.max(this.ready(chatId), jobs.notBefore[h]!);
        if (at > now) {
          this.push(qi, chatId, s);
          continue;
        }
        slots.current[s] = h;
        return this.delivery(h);
      }
    }
    return undefined;
  }

  /** When the head of `queue` may be sent (undefined when it is empty). */
  peekAt(queue: Queue): number | undefined {
    return this.heaps[QI[queue]]!.peekAt();
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
    const ids = [d.id];
    this.release(d, readyAt, ids);
    this.forget(ids);
  }

  /** Permanent failure: forget the job. */
  async drop(d: Delivery, readyAt = 0): Promise<void> {
    const ids = [d.id];
    this.release(d, readyAt, ids);
    this.forget(ids);
  }

  /** Try again later (the job stays first in its chat's queue). */
  async retry(d: Delivery, notBefore: number, patch: Partial<Delivery> = {}): Promise<void> {
    const before = queueOf(d);
    Object.assign(d, patch, { attempts: d.attempts + 1, notBefore });
    const s = this.chats.get(d.chatId);
    const h = s === undefined ? NONE : this.find(s, d.id);
    let value: Stored = d;
    const gone: string[] = [];
    if (h !== NONE) {
      const { jobs } = this;
      jobs.attempts[h] = d.attempts;
      jobs.notBefore[h] = d.notBefore;
      const t = jobs.tpl[h]!;
      if (t !== NONE) {
        const tpl = this.templates[t]!;
        if (sameShared(d, tpl.shared)) value = refOf(d, tpl.key);
        else {
          // Its options changed (plain text, no thread, not paid): it leaves the template.
          jobs.tpl[h] = NONE;
          jobs.obj[h] = d;
          this.unref(t, gone);
        }
      } else if (jobs.obj[h] !== d) jobs.obj[h] = d;
    }
    await this.kv.set(d.id, value);
    this.forget(gone);
    const after = queueOf(d);
    if (s !== undefined && h !== NONE && after !== before) {
      // Paid mode switched off (or on): move the job to the queue that matches.
      this.unlink(s, QI[before], h);
      this.jobs.queue[h] = QI[after];
      const hi = s * NQ + QI[after];
      this.jobs.next[h] = this.slots.head[hi]!;
      this.slots.head[hi] = h;
      if (this.slots.tail[hi] === NONE) this.slots.tail[hi] = h;
    }
    this.release(d, 0, undefined);
  }

  /** Remove every queued job of a chat (it blocked the bot or no longer exists); returns them. */
  async dropChat(chatId: number): Promise<Delivery[]> {
    const s = this.chats.get(chatId);
    if (s === undefined) return [];
    const removed = this.removeWhere(s, () => true);
    const ids = removed.map((d) => d.id);
    this.freeRemoved(chatId, s, removed, ids);
    this.forget(ids);
    return removed.map((r) => r.d);
  }

  /** Cancel a broadcast: remove its queued jobs (one in flight still finishes); returns them. */
  async dropBroadcast(broadcastId: string): Promise<Delivery[]> {
    if (!this.perBroadcast.get(broadcastId)) return [];
    const out: Delivery[] = [];
    const ids: string[] = [];
    for (const [chatId, s] of [...this.chats]) {
      const removed = this.removeWhere(s, (h) => this.broadcastOf(h) === broadcastId);
      if (removed.length === 0) continue;
      for (const r of removed) ids.push(r.id);
      this.freeRemoved(chatId, s, removed, ids);
      for (const r of removed) out.push(r.d);
    }
    this.forget(ids);
    return out;
  }

  /** A group became a supergroup: its jobs move to the new id. */
  async moveChat(from: number, to: number): Promise<void> {
    const s = this.chats.get(from);
    if (s === undefined) return;
    const removed = this.removeWhere(s, () => true);
    const gone: string[] = [];
    this.freeRemoved(from, s, removed, gone);
    const moved = removed.map((r) => ({ ...r.d, chatId: to }));
    await bulkSet(
      this.kv,
      moved.map((d) => ({ key: d.id, value: d })),
    );
    // Their template records (if no longer used) go only now that the moved jobs are durable.
    this.forget(gone);
    for (const d of moved) this.index(d.chatId, d.createdAt, d.notBefore, d.attempts, NONE, d);
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

  // ------------------------------------------------------------------ internals

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

  private ready(chatId: number): number {
    const r = this.readyAt.get(chatId);
    return r === undefined ? 0 : r + this.epoch;
  }

  /** The template a new delivery shares (reserved: counted), or NONE to keep it whole. */
  private templateFor(d: Delivery): number {
    const group = groupOf(d);
    if (!group) return NONE;
    const chat = String(d.chatId);
    if (!d.id.endsWith(chat) || d.id.length === chat.length) return NONE;
    const prefix = d.id.slice(0, d.id.length - chat.length);
    const candidates = this.byGroup.get(group);
    if (candidates) {
      for (const t of candidates) {
        const tpl = this.templates[t]!;
        if (tpl.prefix === prefix && sameShared(d, tpl.shared)) {
          tpl.refs++;
          return t;
        }
      }
    }
    const t = this.addTemplate(`${TEMPLATE_PREFIX}${group}~${this.instance}${(this.seq++).toString(36)}`, prefix, sharedOf(d), false);
    this.templates[t]!.refs++;
    return t;
  }

  private addTemplate(key: string, prefix: string, shared: Shared, durable: boolean): number {
    const t = this.freeTemplates.pop() ?? this.templates.length;
    this.templates[t] = { key, prefix, shared, refs: 0, durable };
    this.templateByKey.set(key, t);
    const g = groupOf(shared) ?? '';
    const list = this.byGroup.get(g);
    if (list) list.push(t);
    else this.byGroup.set(g, [t]);
    return t;
  }

  /** Forget a template in memory; returns its key (to delete from the store if it was written). */
  private dropTemplate(t: number): string | undefined {
    const tpl = this.templates[t]!;
    this.templates[t] = undefined;
    this.freeTemplates.push(t);
    this.templateByKey.delete(tpl.key);
    const g = groupOf(tpl.shared) ?? '';
    const list = this.byGroup.get(g)?.filter((x) => x !== t);
    if (list?.length) this.byGroup.set(g, list);
    else this.byGroup.delete(g);
    return tpl.durable ? tpl.key : undefined;
  }

  /** One reference less; the template's key goes to `gone` when it was the last. */
  private unref(t: number, gone: string[]): void {
    const tpl = this.templates[t]!;
    if (--tpl.refs > 0) return;
    const key = this.dropTemplate(t);
    if (key) gone.push(key);
  }

  /** The Delivery of a handle: its own object, or one built from its template. */
  private delivery(h: number): Delivery {
    const { jobs } = this;
    const own = jobs.obj[h];
    if (own) return own;
    const tpl = this.templates[jobs.tpl[h]!]!;
    const chatId = jobs.chat[h]!;
    return {
      id: tpl.prefix + String(chatId),
      chatId,
      createdAt: jobs.created[h]!,
      notBefore: jobs.notBefore[h]!,
      attempts: jobs.attempts[h]!,
      ...tpl.shared,
    } as Delivery;
  }

  private idOf(h: number): string {
    const own = this.jobs.obj[h];
    return own ? own.id : this.templates[this.jobs.tpl[h]!]!.prefix + String(this.jobs.chat[h]!);
  }

  private sharedOf(h: number): Shared {
    return this.jobs.obj[h] ?? this.templates[this.jobs.tpl[h]!]!.shared;
  }

  private broadcastOf(h: number): string | undefined {
    return this.sharedOf(h).broadcastId;
  }

  /** The handle of job `id` in chat slot `s` (the one in flight, normally), or NONE. */
  private find(s: number, id: string): number {
    const { slots, jobs } = this;
    const cur = slots.current[s]!;
    if (cur !== NONE && this.idOf(cur) === id) return cur;
    for (let q = 0; q < NQ; q++) for (let h = slots.head[s * NQ + q]!; h !== NONE; h = jobs.next[h]!) if (this.idOf(h) === id) return h;
    return NONE;
  }

  private unlink(s: number, qi: number, h: number): void {
    const { slots, jobs } = this;
    const hi = s * NQ + qi;
    let prev = NONE;
    for (let x = slots.head[hi]!; x !== NONE; prev = x, x = jobs.next[x]!) {
      if (x !== h) continue;
      const nx = jobs.next[x]!;
      if (prev === NONE) slots.head[hi] = nx;
      else jobs.next[prev] = nx;
      if (slots.tail[hi] === x) slots.tail[hi] = prev;
      return;
    }
  }

  private index(chatId: number, createdAt: number, notBefore: number, attempts: number, tpl: number, obj: Delivery | undefined): void {
    const { jobs, slots } = this;
    let s = this.chats.get(chatId);
    if (s === undefined) {
      s = slots.alloc();
      this.chats.set(chatId, s);
    }
    const h = jobs.alloc();
    jobs.chat[h] = chatId;
    jobs.created[h] = createdAt;
    jobs.notBefore[h] = notBefore;
    jobs.attempts[h] = attempts;
    jobs.tpl[h] = tpl;
    jobs.obj[h] = obj;
    jobs.next[h] = NONE;
    const shared = obj ?? this.templates[tpl]!.shared;
    const qi = QI[shared.paid ? 'paid' : shared.lane];
    jobs.queue[h] = qi;
    const hi = s * NQ + qi;
    if (slots.tail[hi] === NONE) slots.head[hi] = h;
    else jobs.next[slots.tail[hi]!] = h;
    slots.tail[hi] = h;
    this.count++;
    this.laneCount[shared.lane]++;
    if (shared.broadcastId) this.perBroadcast.set(shared.broadcastId, (this.perBroadcast.get(shared.broadcastId) ?? 0) + 1);
    if (slots.current[s] === NONE) this.push(qi, chatId, s);
  }

  /** Uncount and free a job; its template's key goes to `gone` if it was the last user. */
  private free(h: number, gone: string[]): void {
    const shared = this.sharedOf(h);
    this.count--;
    this.laneCount[shared.lane]--;
    if (shared.broadcastId) {
      const n = (this.perBroadcast.get(shared.broadcastId) ?? 0) - 1;
      if (n > 0) this.perBroadcast.set(shared.broadcastId, n);
      else this.perBroadcast.delete(shared.broadcastId);
    }
    const t = this.jobs.tpl[h]!;
    this.jobs.release(h);
    if (t !== NONE) this.unref(t, gone);
  }

  /** Unlink the chat's queued jobs matching `pred` (never the one in flight). */
  private removeWhere(s: number, pred: (h: number) => boolean): Array<{ h: number; id: string; d: Delivery }> {
    const { slots, jobs } = this;
    const cur = slots.current[s]!;
    const removed: Array<{ h: number; id: string; d: Delivery }> = [];
    for (let q = 0; q < NQ; q++) {
      const hi = s * NQ + q;
      let head = NONE;
      let tail = NONE;
      for (let h = slots.head[hi]!; h !== NONE; ) {
        const nx = jobs.next[h]!;
        if (h !== cur && pred(h)) {
          const d = this.delivery(h);
          removed.push({ h, id: d.id, d });
        } else {
          jobs.next[h] = NONE;
          if (tail === NONE) head = h;
          else jobs.next[tail] = h;
          tail = h;
        }
        h = nx;
      }
      slots.head[hi] = head;
      slots.tail[hi] = tail;
    }
    return removed;
  }

  /** Free removed jobs (template keys after their ids, into `ids`); free the chat if nothing is left. */
  private freeRemoved(chatId: number, s: number, removed: Array<{ h: number }>, ids: string[]): void {
    for (const r of removed) this.free(r.h, ids);
    if (this.slots.current[s] === NONE && this.slots.empty(s)) {
      this.chats.delete(chatId);
      this.slots.release(s);
    }
  }

  /**
   * The job `d` finished (or will be retried: `gone` undefined): the chat is no longer in flight
   * and may receive again at `readyAt`. With `gone`, the job is removed and freed, and the key of a
   * template it was the last user of is added to `gone` (after the job's own id).
   */
  private release(d: Delivery, readyAt: number, gone: string[] | undefined): void {
    const s = this.chats.get(d.chatId);
    if (s === undefined) return;
    const { slots } = this;
    const h = this.find(s, d.id);
    if (gone && h !== NONE) {
      this.unlink(s, this.jobs.queue[h]!, h);
      if (slots.current[s] === h) slots.current[s] = NONE;
      this.free(h, gone);
    } else if (h !== NONE && h === slots.current[s]) slots.current[s] = NONE;
    if (readyAt > this.ready(d.chatId)) this.readyAt.set(d.chatId, readyAt - this.epoch);
    if (slots.empty(s)) {
      this.chats.delete(d.chatId);
      slots.release(s);
      this.prunePacing(readyAt);
      return;
    }
    if (slots.current[s] === NONE) for (let q = 0; q < NQ; q++) if (slots.head[s * NQ + q] !== NONE) this.push(q, d.chatId, s);
  }

  private push(qi: number, chatId: number, s: number): void {
    const bit = 1 << qi;
    const { slots, jobs } = this;
    if (slots.queued[s]! & bit) return;
    const head = slots.head[s * NQ + qi]!;
    slots.queued[s]! |= bit;
    const at = Math.max(this.ready(chatId), jobs.notBefore[head]!);
    this.heaps[qi]!.push(at, jobs.created[head]!, chatId);
  }

  /** Forget pacing of idle chats whose time has passed (bounded memory during big broadcasts). */
  private prunePacing(now: number): void {
    if (this.readyAt.size < 50_000 || now - this.lastPrune < 10_000) return;
    this.lastPrune = now;
    const old = now - 60_000 - this.epoch;
    for (const [id, t] of this.readyAt) if (t < old && !this.chats.has(id)) this.readyAt.delete(id);
  }
}

/** The store record of a delivery that shares template `key`. */
function refOf(d: Delivery, key: string): StoredRef {
  return { ref: key, id: d.id, chatId: d.chatId, createdAt: d.createdAt, notBefore: d.notBefore, attempts: d.attempts };
}
