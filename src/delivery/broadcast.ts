import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from 'pino';
import type { MetaStore } from '../store/stores.js';
import { escapeHtml, type Translate } from './render.js';
import type { Delivery, Locale, TopicId } from '../types.js';
import type { DeliveryQueue } from './queue.js';
import type { FinalResult, Sender } from './sender.js';

/** Who a broadcast goes to: everyone active, or the followers of a topic or a place (and inside it). */
export type Segment = { kind: 'topic'; id: TopicId } | { kind: 'place'; id: string };

export type BroadcastStatus = 'pending' | 'sending' | 'cancelled' | 'done';

/**
 * One broadcast, stored as a single record in `meta` (`broadcast:<id>`). The audience is expanded
 * into outbox deliveries in chunks, in ascending chat-id order, and `cursor` (the last chat id
 * expanded) is saved after each chunk, so a restart resumes the expansion where it stopped and the
 * outbox resumes the deliveries already written.
 */
export interface BroadcastRecord {
  id: string;
  text: string;
  /** Admin who wrote it, and where progress is shown (the preview message, edited in place). */
  by: number;
  adminChat: number;
  adminLocale: Locale;
  progressMessageId?: number;
  segment?: Segment;
  /** Display name of the segment (topic or place name) for the admin's messages. */
  segmentLabel?: string;
  paid: boolean;
  status: BroadcastStatus;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Recipients counted at confirmation; `expanded` of them are written to the outbox so far. */
  total: number;
  expanded: number;
  cursor?: number;
  expandDone: boolean;
  sent: number;
  failed: number;
  cancelled: number;
}

export interface BroadcastOptions {
  meta: MetaStore;
  outbox: DeliveryQueue;
  /** Active chat ids of a segment (everyone when undefined). */
  audience(segment?: Segment): number[];
  localeOf(chatId: number): Locale;
  /** The message a recipient gets, in its locale (HTML, already escaped). */
  render(rec: BroadcastRecord, locale: Locale): string;
  t: Translate;
  logger: Logger;
  now?: () => number;
  /** Progress message edited at most this often; counters saved as often. */
  progressEveryMs?: number;
  /** Deliveries written to the outbox per step of the expansion. */
  chunk?: number;
}

export class BroadcastNotFoundError extends Error {
  override name = 'BroadcastNotFoundError';
  constructor(readonly broadcastId: string) {
    super(`broadcast ${broadcastId} not found`);
  }
}

export class BroadcastStateError extends Error {
  override name = 'BroadcastStateError';
  constructor(
    readonly broadcastId: string,
    readonly status: BroadcastStatus,
  ) {
    super(`broadcast ${broadcastId} is ${status}`);
  }
}

const ACTIVE_KEY = 'broadcasts:active';
const RECORD_TTL_MS = 30 * 24 * 3600_000;
const key = (id: string) => `broadcast:${id}`;

/** Callback data of the progress message's cancel button. */
export const stopData = (id: string) => `bc:stop:${id}`;

/** "1:05" or "2:03:07" from milliseconds. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Estimated time left (ms) from progress so far; undefined before there is a rate to go on. Pure. */
export function estimateLeft(rec: BroadcastRecord, now: number): number | undefined {
  const settled = rec.sent + rec.failed + rec.cancelled;
  const left = rec.total - settled;
  if (left <= 0) return 0;
  if (!rec.startedAt || settled === 0 || now <= rec.startedAt) return undefined;
  return (left * (now - rec.startedAt)) / settled;
}

/**
 * Broadcasts as jobs: create (pending, with the audience size for the preview) → confirm (expand into
 * the outbox, report progress) → done or cancelled, with a final report to the admin. Survives
 * restarts: `attach` resumes every job that was sending.
 */
export class Broadcasts {
  private readonly jobs = new Map<string, BroadcastRecord>();
  private readonly dirty = new Set<string>();
  private readonly lastText = new Map<string, string>();
  private readonly finishing = new Map<string, Promise<void>>();
  private readonly expanding = new Map<string, Promise<void>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private api: Api | undefined;
  private detach: (() => void) | undefined;
  private readonly now: () => number;
  private readonly every: number;
  private readonly chunk: number;
  private stopped = false;

  constructor(private readonly o: BroadcastOptions) {
    this.now = o.now ?? Date.now;
    this.every = o.progressEveryMs ?? 3000;
    this.chunk = o.chunk ?? 2000;
  }

  /** Start counting outcomes and editing progress; resume jobs that were sending before a restart. */
  async attach(api: Api, sender: Pick<Sender, 'onFinal'>): Promise<number> {
    this.api = api;
    this.detach = sender.onFinal((d, result) => this.settled(d, result));
    this.timer = setInterval(() => void this.tick(), this.every);
    this.timer.unref?.();
    const ids = (await this.o.meta.get<string[]>(ACTIVE_KEY)) ?? [];
    let resumed = 0;
    for (const id of ids) {
      const rec = await this.o.meta.get<BroadcastRecord>(key(id));
      if (!rec || rec.status !== 'sending') continue;
      // Counters are saved in batches, so after a crash the outbox is the truth: whatever of the
      // expanded deliveries is no longer pending was settled (counted as sent unless known failed).
      const pending = this.o.outbox.broadcastPending(id);
      rec.sent = Math.max(rec.sent, rec.expanded - pending - rec.failed - rec.cancelled);
      this.jobs.set(id, rec);
      this.dirty.add(id);
      resumed++;
      this.o.logger.info({ broadcastId: id, expanded: rec.expanded, total: rec.total, pending }, 'resuming broadcast');
      if (!rec.expandDone) this.expand(rec);
      else void this.maybeFinish(rec);
    }
    return resumed;
  }

  /** Stop the progress timer and save counters (before the store closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.detach?.();
    await Promise.allSettled([...this.expanding.values()]);
    // A job that just ended is still saving and reporting: let it finish before the store closes.
    await Promise.allSettled([...this.finishing.values()]);
    await this.saveDirty();
  }

  /** Resolves when the job's audience is fully written to the outbox (or its expansion stopped). */
  async expanded(id: string): Promise<void> {
    await this.expanding.get(id);
  }

  audienceSize(segment?: Segment): number {
    return this.o.audience(segment).length;
  }

  /** A pending broadcast awaiting confirmation (the preview). */
  async create(input: {
    id: string;
    text: string;
    by: number;
    adminChat: number;
    adminLocale: Locale;
    segment?: Segment;
    segmentLabel?: string;
    paid: boolean;
  }): Promise<BroadcastRecord> {
    const rec: BroadcastRecord = {
      ...input,
      status: 'pending',
      createdAt: this.now(),
      total: this.audienceSize(input.segment),
      expanded: 0,
      expandDone: false,
      sent: 0,
      failed: 0,
      cancelled: 0,
    };
    await this.o.meta.set(key(rec.id), rec, RECORD_TTL_MS);
    return rec;
  }

  async get(id: string): Promise<BroadcastRecord | undefined> {
    return this.jobs.get(id) ?? (await this.o.meta.get<BroadcastRecord>(key(id)));
  }

  /**
   * Confirmed: mark it sending (durably, first, so a double tap cannot send it twice), then expand
   * the audience into the outbox in the background. Progress goes to `progressMessageId`.
   */
  async confirm(id: string, progressMessageId: number | undefined): Promise<BroadcastRecord> {
    if (this.jobs.has(id)) throw new BroadcastStateError(id, 'sending');
    const rec = await this.o.meta.get<BroadcastRecord>(key(id));
    if (!rec) throw new BroadcastNotFoundError(id);
    if (rec.status !== 'pending') throw new BroadcastStateError(id, rec.status);
    rec.status = 'sending';
    rec.startedAt = this.now();
    rec.total = this.audienceSize(rec.segment);
    if (progressMessageId !== undefined) rec.progressMessageId = progressMessageId;
    this.jobs.set(id, rec);
    await this.o.meta.set(key(id), rec, RECORD_TTL_MS);
    const active = (await this.o.meta.get<string[]>(ACTIVE_KEY)) ?? [];
    await this.o.meta.set(ACTIVE_KEY, [...active.filter((a) => a !== id), id]);
    this.expand(rec);
    return rec;
  }

  /** Cancel: a pending one is simply marked; a sending one stops expanding and drops what is queued. */
  async cancel(id: string): Promise<BroadcastRecord> {
    const rec = this.jobs.get(id) ?? (await this.o.meta.get<BroadcastRecord>(key(id)));
    if (!rec) throw new BroadcastNotFoundError(id);
    if (rec.status === 'pending') {
      rec.status = 'cancelled';
      await this.o.meta.set(key(id), rec, RECORD_TTL_MS);
      return rec;
    }
    if (rec.status !== 'sending') throw new BroadcastStateError(id, rec.status);
    rec.status = 'cancelled';
    await this.expanding.get(id);
    const dropped = await this.o.outbox.dropBroadcast(id);
    // Never expanded, never sent: counted as cancelled so the report adds up to the total.
    rec.cancelled += dropped.length + (rec.total - rec.expanded);
    rec.expandDone = true;
    this.dirty.add(id);
    await this.finish(rec);
    return rec;
  }

  /** Progress (or final) text for the admin. */
  progressText(rec: BroadcastRecord): string {
    const now = this.now();
    const left = estimateLeft(rec, now);
    const vars = {
      sent: rec.sent,
      failed: rec.failed,
      total: rec.total,
      cancelled: rec.cancelled,
      eta: left === undefined ? '…' : formatDuration(left),
      elapsed: formatDuration((rec.finishedAt ?? now) - (rec.startedAt ?? now)),
    };
    const id = rec.status === 'done' ? 'broadcast-done' : rec.status === 'cancelled' ? 'broadcast-stopped' : 'broadcast-progress';
    return this.o.t(rec.adminLocale, id, vars);
  }

  private expand(rec: BroadcastRecord): void {
    const run = this.runExpand(rec)
      .catch((err: unknown) => this.o.logger.error({ err, broadcastId: rec.id }, 'broadcast expansion stopped; it resumes at the next start'))
      .finally(() => this.expanding.delete(rec.id));
    this.expanding.set(rec.id, run);
  }

  private async runExpand(rec: BroadcastRecord): Promise<void> {
    // Ascending ids make the cursor meaningful across restarts (the audience may have changed a little).
    const ids = sortedIds(this.o.audience(rec.segment));
    let i = rec.cursor === undefined ? 0 : upperBound(ids, rec.cursor);
    const texts = new Map<Locale, string>(); // one string per locale, shared by every delivery
    while (i < ids.length && rec.status === 'sending' && !this.stopped) {
      const part = ids.slice(i, i + this.chunk);
      const t = this.now();
      const deliveries: Delivery[] = [];
      for (const chatId of part) {
        const locale = this.o.localeOf(chatId);
        let text = texts.get(locale);
        if (text === undefined) texts.set(locale, (text = this.o.render(rec, locale)));
        deliveries.push({
          id: `bc:${rec.id}:${chatId}`,
          chatId,
          lane: 'broadcast',
          text,
          createdAt: t,
          notBefore: t,
          attempts: 0,
          broadcastId: rec.id,
          ...(rec.paid ? { paid: true } : {}),
        });
      }
      await this.o.outbox.enqueue(deliveries);
      i += part.length;
      rec.expanded += part.length;
      rec.cursor = part[part.length - 1];
      // The cursor must be durable before the next chunk, or a restart would expand this one twice
      // (harmless: same ids, so an upsert, but wasted work).
      await this.o.meta.set(key(rec.id), rec, RECORD_TTL_MS);
      // Let the sender and the bot breathe between chunks.
      await new Promise((r) => setImmediate(r));
    }
    if (rec.status === 'sending' && !this.stopped) {
      rec.expandDone = true;
      // The audience shrank since confirmation (chats left): the total is what was expanded.
      rec.total = rec.expanded;
      this.dirty.add(rec.id);
      await this.o.meta.set(key(rec.id), rec, RECORD_TTL_MS);
      this.o.logger.info({ broadcastId: rec.id, recipients: rec.expanded }, 'broadcast fully queued');
      await this.maybeFinish(rec);
    }
  }

  private settled(d: Delivery, result: FinalResult): void {
    if (!d.broadcastId) return;
    const rec = this.jobs.get(d.broadcastId);
    if (!rec || rec.status !== 'sending') return;
    if (result === 'sent') rec.sent++;
    else rec.failed++;
    this.dirty.add(rec.id);
    if (rec.expandDone && this.o.outbox.broadcastPending(rec.id) === 0) void this.maybeFinish(rec);
  }

  private async maybeFinish(rec: BroadcastRecord): Promise<void> {
    if (rec.status !== 'sending' || !rec.expandDone || this.o.outbox.broadcastPending(rec.id) > 0) return;
    rec.status = 'done';
    // Whatever the counters missed (a crash between a send and the next save) was sent.
    rec.sent = Math.max(rec.sent, rec.total - rec.failed - rec.cancelled);
    await this.finish(rec);
  }

  /** Final state: report to the admin, save, edit the progress message one last time (no button). */
  private finish(rec: BroadcastRecord): Promise<void> {
    const running = this.finishing.get(rec.id);
    if (running) return running;
    const run = this.runFinish(rec).finally(() => {
      this.finishing.delete(rec.id);
      this.lastText.delete(rec.id);
    });
    this.finishing.set(rec.id, run);
    return run;
  }

  private async runFinish(rec: BroadcastRecord): Promise<void> {
    rec.finishedAt = this.now();
    this.jobs.delete(rec.id);
    this.dirty.delete(rec.id);
    // Reported first, so the admin hears of the end even when the process is stopping right now.
    await this.report(rec);
    await this.o.meta.set(key(rec.id), rec, RECORD_TTL_MS);
    const active = (await this.o.meta.get<string[]>(ACTIVE_KEY)) ?? [];
    await this.o.meta.set(
      ACTIVE_KEY,
      active.filter((a) => a !== rec.id),
    );
    await this.edit(rec, undefined);
    this.o.logger.info(
      { broadcastId: rec.id, status: rec.status, sent: rec.sent, failed: rec.failed, cancelled: rec.cancelled, total: rec.total },
      'broadcast finished',
    );
  }

  /**
   * The final report, sent at once (a new message, so the admin gets a notification; edits are
   * silent). If Telegram cannot be reached it goes through the outbox instead, durable and retried.
   * A crash between this and saving the final state repeats the report after the restart, never
   * the broadcast.
   */
  private async report(rec: BroadcastRecord): Promise<void> {
    const text = this.progressText(rec);
    if (this.api) {
      try {
        await this.api.sendMessage(rec.adminChat, text, { parse_mode: 'HTML' });
        return;
      } catch (err) {
        this.o.logger.warn({ err: err instanceof Error ? err.message : String(err), broadcastId: rec.id }, 'broadcast report: sending through the outbox');
      }
    }
    const t = this.now();
    await this.o.outbox.enqueue([
      { id: `bc:${rec.id}:report`, chatId: rec.adminChat, lane: 'broadcast', text, createdAt: t, notBefore: t, attempts: 0 },
    ]);
  }

  /** Every `progressEveryMs`: save changed counters and edit changed progress messages. */
  private async tick(): Promise<void> {
    const changed = [...this.dirty];
    await this.saveDirty();
    for (const id of changed) {
      const rec = this.jobs.get(id);
      if (rec?.status === 'sending') await this.edit(rec, stopKeyboard(rec, this.o.t));
    }
  }

  private async saveDirty(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const rec = this.jobs.get(id);
      if (!rec) continue;
      try {
        await this.o.meta.set(key(id), rec, RECORD_TTL_MS);
      } catch (err) {
        this.dirty.add(id);
        this.o.logger.warn({ err, broadcastId: id }, 'could not save broadcast progress');
      }
    }
  }

  /** Edit the progress message; a failed edit is logged and never stops the job. */
  private async edit(rec: BroadcastRecord, markup: InlineKeyboardMarkup | undefined): Promise<void> {
    if (!this.api || rec.progressMessageId === undefined) return;
    const text = this.progressText(rec);
    if (this.lastText.get(rec.id) === text && markup) return; // "message is not modified"
    this.lastText.set(rec.id, text);
    try {
      await this.api.editMessageText(rec.adminChat, rec.progressMessageId, text, {
        parse_mode: 'HTML',
        ...(markup ? { reply_markup: markup } : {}),
      });
    } catch (err) {
      this.o.logger.warn({ err: err instanceof Error ? err.message : String(err), broadcastId: rec.id }, 'could not edit broadcast progress');
    }
  }
}

export function stopKeyboard(rec: Pick<BroadcastRecord, 'id' | 'adminLocale'>, t: Translate): InlineKeyboardMarkup {
  return { inline_keyboard: [[{ text: t(rec.adminLocale, 'broadcast-stop'), callback_data: stopData(rec.id) }]] };
}

/** Chat ids sorted ascending (a typed array: compact, and sorts numerically). */
function sortedIds(ids: number[]): Float64Array {
  return Float64Array.from(ids).sort();
}

/** First index whose id is greater than `cursor` in a sorted array. */
function upperBound(ids: Float64Array, cursor: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Active chats of a segment: a place includes everything inside it (سوريا gets الحسكة's followers). */
export function segmentAudience(
  index: { audience(segment?: { topic?: TopicId; place?: string; placeWithin?: (id: string) => boolean }): number[] },
  gaz: { ancestors(id: string): string[] },
  segment: Segment | undefined,
): number[] {
  if (!segment) return index.audience();
  if (segment.kind === 'topic') return index.audience({ topic: segment.id });
  const place = segment.id;
  return index.audience({ place, placeWithin: (id) => gaz.ancestors(id).includes(place) });
}

/** What every recipient sees: the broadcast header and the admin's text, escaped. */
export function renderBroadcast(t: Translate, rec: Pick<BroadcastRecord, 'text'>, locale: Locale): string {
  return `${t(locale, 'broadcast-header')}\n\n${escapeHtml(rec.text)}`;
}
