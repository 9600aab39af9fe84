import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Outcome } from '../delivery/sender.js';
import type { SourceOutcome } from '../poller/poller.js';
import { type Lane, LANES } from '../types.js';

/**
 * Prometheus metrics (prom-client), one registry per app so tests can build several.
 *
 *   nabaa_polls_total{status}                 polls of a source by result (ok, not-modified, error, skipped)
 *   nabaa_fetch_errors_total{error}           failed polls by error name (FeedError code, e.g. timeout, http-404)
 *   nabaa_poll_duration_seconds               histogram of one source's poll
 *   nabaa_articles_ingested_total             new articles stored
 *   nabaa_matches_total                       alerts queued for chats (article × chat matches)
 *   nabaa_deliveries_total{outcome,lane}      sender outcomes (sent, retried, throttled, dropped, …)
 *   nabaa_send_latency_seconds{lane}          histogram, job created → Telegram accepted
 *   nabaa_telegram_429_total{lane}            times Telegram asked us to wait (429)
 *   nabaa_outbox_depth{lane}                  jobs waiting, read at scrape time
 *   nabaa_sender_in_flight                    sends awaiting Telegram, read at scrape time
 *   nabaa_admin_notices_total{result}         admin notices queued, suppressed or failed
 * plus prom-client's default process_* and nodejs_* metrics.
 */
export interface Metrics {
  registry: Registry;
  onPolled(o: SourceOutcome & { ms: number }): void;
  onOutcome(e: { outcome: Outcome; lane: Lane; latencyMs?: number }): void;
  notice(result: 'queued' | 'suppressed' | 'failed'): void;
  /** Scrape-time readings. */
  observe(readers: { outboxDepth?: () => Record<Lane, number>; inFlight?: () => number }): void;
  /** The text exposition (what /metrics serves). */
  text(): Promise<string>;
  contentType: string;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const polls = new Counter({ name: 'nabaa_polls_total', help: 'Polls of a source by result', labelNames: ['status'], registers });
  const fetchErrors = new Counter({ name: 'nabaa_fetch_errors_total', help: 'Failed polls by error name', labelNames: ['error'], registers });
  const pollSeconds = new Histogram({
    name: 'nabaa_poll_duration_seconds',
    help: 'Time to poll one source',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const articles = new Counter({ name: 'nabaa_articles_ingested_total', help: 'New articles stored', registers });
  const matches = new Counter({ name: 'nabaa_matches_total', help: 'Alerts queued for chats', registers });
  const deliveries = new Counter({
    name: 'nabaa_deliveries_total',
    help: 'Sender outcomes by lane',
    labelNames: ['outcome', 'lane'],
    registers,
  });
  const latency = new Histogram({
    name: 'nabaa_send_latency_seconds',
    help: 'Delivery job created until Telegram accepted the message',
    labelNames: ['lane'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  const waits = new Counter({ name: 'nabaa_telegram_429_total', help: 'Times Telegram asked us to slow down', labelNames: ['lane'], registers });
  const notices = new Counter({ name: 'nabaa_admin_notices_total', help: 'Admin notices by result', labelNames: ['result'], registers });

  let readers: Parameters<Metrics['observe']>[0] = {};
  new Gauge({
    name: 'nabaa_outbox_depth',
    help: 'Delivery jobs waiting, by lane',
    labelNames: ['lane'],
    registers,
    collect() {
      const d = readers.outboxDepth?.();
      for (const lane of LANES) this.set({ lane }, d?.[lane] ?? 0);
    },
  });
  new Gauge({
    name: 'nabaa_sender_in_flight',
    help: 'Sends awaiting Telegram',
    registers,
    collect() {
      this.set(readers.inFlight?.() ?? 0);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    onPolled(o) {
      polls.inc({ status: o.status });
      pollSeconds.observe(o.ms / 1000);
      if (o.status === 'error') fetchErrors.inc({ error: o.error ?? 'unknown' });
      if (o.fresh) articles.inc(o.fresh);
      if (o.alerts) matches.inc(o.alerts);
    },
    onOutcome(e) {
      deliveries.inc({ outcome: e.outcome, lane: e.lane });
      if (e.outcome === 'sent' && e.latencyMs !== undefined) latency.observe({ lane: e.lane }, e.latencyMs / 1000);
      if (e.outcome === 'throttled') waits.inc({ lane: e.lane });
    },
    notice(result) {
      notices.inc({ result });
    },
    observe(r) {
      readers = { ...readers, ...r };
    },
    text: () => registry.metrics(),
  };
}
