import type { ChatEvents } from './delivery/sender.js';
import { MatchIndex } from './matcher/index.js';
import type { ChatStore } from './store/stores.js';
import type { ChatProfile, ChatType, Locale } from './types.js';

/** A saved change to one chat's profile: its new value, or its removal. */
export interface ProfileChange {
  id: number;
  profile?: ChatProfile;
  removed?: true;
}

/**
 * Chat profiles: the store is the truth, a memory copy serves reads, and every change goes
 * through `update`, which writes the store and refreshes the match index in one place.
 */
export class Profiles implements ChatEvents {
  readonly index = new MatchIndex();
  private readonly cache = new Map<number, ChatProfile>();
  /** Told after every local change is saved (scale/pubsub.ts tells the other processes). */
  private readonly changeListeners = new Set<(change: ProfileChange) => void>();

  constructor(
    private readonly store: ChatStore,
    private readonly defaults: { locale: Locale; now: () => number },
  ) {}

  async load(): Promise<number> {
    for (const p of await this.store.all()) {
      this.cache.set(p.id, p);
      this.index.set(p);
    }
    return this.cache.size;
  }

  get(id: number): ChatProfile | undefined {
    return this.cache.get(id);
  }

  all(): IterableIterator<ChatProfile> {
    return this.cache.values();
  }

  get size(): number {
    return this.cache.size;
  }

  /** A new profile (not saved) for a chat we have not seen. */
  fresh(id: number, type: ChatType, locale?: Locale): ChatProfile {
    return {
      id,
      type,
      locale: locale ?? this.defaults.locale,
      active: true,
      strikes: 0,
      topics: [],
      places: [],
      keywords: [],
      createdAt: this.defaults.now(),
    };
  }

  /** Apply a change to a chat's profile (creating it if needed), save it and re-index it. */
  async update(id: number, type: ChatType, change: (p: ChatProfile) => void): Promise<ChatProfile> {
    const current = this.cache.get(id);
    const next = structuredClone(current ?? this.fresh(id, type));
    change(next);
    await this.store.save(next);
    this.cache.set(id, next);
    this.index.set(next);
    this.emitChange({ id, profile: next });
    return next;
  }

  async delivered(chatId: number): Promise<void> {
    const p = this.cache.get(chatId);
    if (p && p.strikes > 0) await this.update(chatId, p.type, (q) => void (q.strikes = 0));
  }

  async strike(chatId: number): Promise<number> {
    const p = this.cache.get(chatId);
    if (!p) return Infinity;
    return (await this.update(chatId, p.type, (q) => void (q.strikes += 1))).strikes;
  }

  async deactivate(chatId: number, reason: string): Promise<void> {
    const p = this.cache.get(chatId);
    if (p) await this.update(chatId, p.type, (q) => void (q.deactivated = reason));
  }

  async migrate(from: number, to: number): Promise<void> {
    const p = this.cache.get(from);
    if (!p) return;
    await this.update(to, 'supergroup', (q) => {
      Object.assign(q, structuredClone(p), { id: to, type: 'supergroup' as const });
    });
    await this.store.remove(from);
    this.cache.delete(from);
    this.index.remove(from);
    this.emitChange({ id: from, removed: true });
  }

  /** Listen to local changes (after they are saved). Returns the unsubscribe function. */
  onChange(fn: (change: ProfileChange) => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** A change made by another process (already saved there): update the cache and index only. */
  applyRemote(change: ProfileChange): void {
    if (change.removed) {
      this.cache.delete(change.id);
      this.index.remove(change.id);
    } else if (change.profile) {
      this.cache.set(change.id, change.profile);
      this.index.set(change.profile);
    }
  }

  /** Re-read one chat from the store (e.g. after a missed remote change). */
  async reload(id: number): Promise<ChatProfile | undefined> {
    const p = await this.store.get(id);
    this.applyRemote(p ? { id, profile: p } : { id, removed: true });
    return p;
  }

  private emitChange(change: ProfileChange): void {
    for (const fn of this.changeListeners) {
      try {
        fn(change);
      } catch {
        // a listener's failure never undoes a saved change
      }
    }
  }
}
