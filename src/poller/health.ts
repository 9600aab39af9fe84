/**
 * Pure health rules for a source, as shown by /feeds (no clock: `now` is passed in).
 *
 *  - disabled: an admin or the poller (after a long run of failures) turned it off;
 *  - failing:  its last poll failed (errorCount > 0); it is backing off;
 *  - new:      never polled with success and never failed yet;
 *  - slow:     it works, but its last poll took at least `slowPollMs` (fetch, parse and ingest), or
 *              its check is overdue by more than `overdueMs` (the poller is behind on it), or its
 *              next check was pushed more than `farIntervalMs` past its last one (the server's
 *              Cache-Control / Expires asks us to come back rarely);
 *  - ok:       otherwise.
 */
import type { SourceRecord } from '../store/stores.js';
import type { SourceState } from '../types.js';

/** The poller also keeps how long the last poll took, beside the shared state fields. */
export interface PolledState extends SourceState {
  lastDurationMs?: number;
}

export type SourceHealth = 'ok' | 'slow' | 'failing' | 'disabled' | 'new';
export const HEALTHS: readonly SourceHealth[] = ['ok', 'slow', 'failing', 'disabled', 'new'];

export interface HealthThresholds {
  slowPollMs: number;
  overdueMs: number;
  farIntervalMs: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  slowPollMs: 5_000,
  overdueMs: 5 * 60_000,
  farIntervalMs: 60 * 60_000,
};

export function sourceHealth(rec: SourceRecord, now: number, t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): SourceHealth {
  const state = rec.state as PolledState;
  if (!rec.source.enabled) return 'disabled';
  if (state.errorCount > 0) return 'failing';
  if (state.lastSuccessAt === undefined) return 'new';
  if ((state.lastDurationMs ?? 0) >= t.slowPollMs) return 'slow';
  if (now - state.nextCheckAt > t.overdueMs) return 'slow';
  if (state.nextCheckAt - (state.lastCheckAt ?? state.lastSuccessAt) > t.farIntervalMs) return 'slow';
  return 'ok';
}

/** Items ingested today (UTC day of `now`); 0 when the counter is from an earlier day. */
export function itemsToday(state: SourceState, now: number): number {
  return state.itemsDay === new Date(now).toISOString().slice(0, 10) ? state.itemsToday : 0;
}
