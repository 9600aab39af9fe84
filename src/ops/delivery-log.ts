import type { Logger } from 'pino';
import type { Outcome } from '../delivery/sender.js';
import type { Lane } from '../types.js';
import { percentile } from './timeseries.js';

/**
 * One log line per delivery batch: the sender's outcomes are summed for `everyMs` (10 s) and logged
 * as `deliveries` with stable keys {windowMs, outcomes: {sent: {alert: n, …}, retried: {…}, …},
 * sent, latencyP50Ms, latencyMaxMs}. Nothing is logged for a quiet window; no chat ids, no texts.
 */
export function createDeliveryLog(logger: Logger, opts: { everyMs?: number } = {}) {
  const everyMs = opts.everyMs ?? 10_000;
  let outcomes: Partial<Record<Outcome, Partial<Record<Lane, number>>>> = {};
  let latencies: number[] = [];
  let sent = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const flush = () => {
    if (Object.keys(outcomes).length === 0) return;
    logger.info(
      {
        windowMs: everyMs,
        outcomes,
        sent,
        ...(latencies.length ? { latencyP50Ms: percentile(latencies, 0.5), latencyMaxMs: Math.max(...latencies) } : {}),
      },
      'deliveries',
    );
    outcomes = {};
    latencies = [];
    sent = 0;
  };

  return {
    onOutcome(e: { outcome: Outcome; lane: Lane; latencyMs?: number }) {
      const byLane = (outcomes[e.outcome] ??= {});
      byLane[e.lane] = (byLane[e.lane] ?? 0) + 1;
      if (e.outcome === 'sent') {
        sent++;
        if (e.latencyMs !== undefined && latencies.length < 10_000) latencies.push(e.latencyMs);
      }
    },
    flush,
    start() {
      timer ??= setInterval(flush, everyMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      flush();
    },
  };
}
