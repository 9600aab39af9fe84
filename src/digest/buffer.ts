/**
 * Per-chat digest buffers in the meta store: `digest:<chatId>` holds the items waiting for the
 * chat's next digest and when it is due; `digest:index` maps chat ids to due times so the
 * scheduler finds due chats without scanning. Changes are serialized within the process.
 */
import type { MetaStore } from '../store/stores.js';

/** One article waiting in a digest (only what the digest shows). */
export interface HeldItem {
  articleId: string;
  storyId: string;
  title: string;
  summary: string;
  url: string;
  sourceName: string;
  /** Group keys: first topic id and the most specific place's path. */
  topic?: string;
  place?: string;
  at: number;
}

export interface DigestRecord {
  due: number;
  items: HeldItem[];
}

/** Most items one digest keeps (newer items replace the oldest). */
export const MAX_HELD = 50;
const INDEX_KEY = 'digest:index';
const HOUR = 3600_000;
/** The largest hourly cap a chat can set (settings and profile import). */
export const MAX_CAP = 1000;

export class DigestBuffer {
  private chain: Promise<unknown> = Promise.resolve();
  /** Send times per chat in the last hour (memory only: the cap is a courtesy, not an accounting). */
  private readonly sends = new Map<number, number[]>();

  constructor(private readonly meta: MetaStore) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Hold an item for the chat's digest; the digest is due at the earliest due time asked for. */
  hold(chatId: number, item: HeldItem, due: number): Promise<void> {
    return this.serial(async () => {
      const key = `digest:${chatId}`;
      const rec = (await this.meta.get<DigestRecord>(key)) ?? { due, items: [] };
      if (rec.items.some((i) => i.storyId === item.storyId)) return;
      rec.items = [...rec.items, item].slice(-MAX_HELD);
      rec.due = Math.min(rec.due, due);
      await this.meta.set(key, rec);
      const index = (await this.meta.get<Record<string, number>>(INDEX_KEY)) ?? {};
      index[chatId] = rec.due;
      await this.meta.set(INDEX_KEY, index);
    });
  }

  /** Chats whose digest is due at `now`. */
  async due(now: number): Promise<number[]> {
    const index = (await this.meta.get<Record<string, number>>(INDEX_KEY)) ?? {};
    return Object.entries(index)
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => Number(id));
  }

  /** What a chat has waiting (without removing it). */
  peek(chatId: number): Promise<DigestRecord | undefined> {
    return this.meta.get<DigestRecord>(`digest:${chatId}`);
  }

  /** Remove and return a chat's held items. */
  take(chatId: number): Promise<HeldItem[]> {
    return this.serial(async () => {
      const key = `digest:${chatId}`;
      const rec = await this.meta.get<DigestRecord>(key);
      // MetaStore has no delete: an empty record that expires stands for none.
      await this.meta.set<DigestRecord>(key, { due: Number.MAX_SAFE_INTEGER, items: [] }, HOUR);
      const index = (await this.meta.get<Record<string, number>>(INDEX_KEY)) ?? {};
      delete index[chatId];
      await this.meta.set(INDEX_KEY, index);
      return rec?.items ?? [];
    });
  }

  /** Move a chat's pending digest to a new due time (after its settings changed). */
  reschedule(chatId: number, due: number): Promise<void> {
    return this.serial(async () => {
      const rec = await this.meta.get<DigestRecord>(`digest:${chatId}`);
      if (!rec || rec.items.length === 0) return;
      rec.due = due;
      await this.meta.set(`digest:${chatId}`, rec);
      const index = (await this.meta.get<Record<string, number>>(INDEX_KEY)) ?? {};
      index[chatId] = due;
      await this.meta.set(INDEX_KEY, index);
    });
  }

  recordSent(chatId: number, now: number): void {
    const list = this.lastHour(chatId, now);
    if (list.length === 0) this.sends.set(chatId, list);
    list.push(now);
    // Counts above the largest cap decide nothing: keep between MAX_CAP and twice as many times.
    if (list.length >= 2 * MAX_CAP) list.splice(0, list.length - MAX_CAP);
  }

  sentLastHour(chatId: number, now: number): number {
    return this.lastHour(chatId, now).length;
  }

  /** The chat's send times within the hour before `now`, oldest first (recorded in order, so the older ones
   * are at the front, and dropped). */
  private lastHour(chatId: number, now: number): number[] {
    const list = this.sends.get(chatId);
    if (!list) return [];
    let old = 0;
    while (old < list.length && list[old]! <= now - HOUR) old++;
    if (old === list.length) {
      this.sends.delete(chatId);
      return [];
    }
    if (old) list.splice(0, old);
    return list;
  }
}

const buffers = new WeakMap<MetaStore, DigestBuffer>();

/** The one buffer over a meta store (ingest and the scheduler share it). */
export function digestBuffer(meta: MetaStore): DigestBuffer {
  let b = buffers.get(meta);
  if (!b) buffers.set(meta, (b = new DigestBuffer(meta)));
  return b;
}
