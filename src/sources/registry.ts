import { createHash } from 'node:crypto';
import { emptyState } from '../poller/poller.js';
import type { SourceRecord, SourceStore } from '../store/stores.js';
import type { Source } from '../types.js';

/** A stable id for a feed URL: host-based and short, e.g. `bbc-co-uk-3f2a`. */
export function sourceIdFor(url: string): string {
  const u = new URL(url);
  const host = u.hostname.replace(/^www\./, '').replace(/[^a-z0-9]+/gi, '-').slice(0, 24);
  const hash = createHash('sha1').update(u.href).digest('hex').slice(0, 4);
  return `${host}-${hash}`;
}

/** The name a source gets before its feed told us its title: the host. */
export function defaultSourceName(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}

/** A source record for a URL given in FEEDS or by /addfeed. */
export function sourceFromUrl(url: string, origin: Source['origin'], extra: Partial<Source> = {}): Source {
  return {
    id: sourceIdFor(url),
    name: defaultSourceName(url),
    url,
    fullText: false,
    enabled: true,
    trusted: origin !== 'chat',
    origin,
    ...extra,
  };
}

/**
 * Make the stored sources match the configured list (FEEDS, or the built-in list) while keeping
 * each source's fetch state and admin changes (enabled, name) and every source added by chat.
 */
export async function syncSources(store: SourceStore, desired: Source[], now: number): Promise<SourceRecord[]> {
  const existing = new Map((await store.all()).map((r) => [r.source.id, r]));
  const wanted = new Set(desired.map((s) => s.id));
  for (const [id, rec] of existing) {
    if (rec.source.origin !== 'chat' && !wanted.has(id)) {
      await store.remove(id);
      existing.delete(id);
    }
  }
  for (const s of desired) {
    const old = existing.get(s.id);
    const rec: SourceRecord = old
      ? { source: { ...s, enabled: old.source.enabled, url: s.url }, state: old.state }
      : { source: s, state: emptyState(now) };
    await store.save(rec);
    existing.set(s.id, rec);
  }
  return [...existing.values()];
}
