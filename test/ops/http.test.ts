import { afterEach, describe, expect, it } from 'vitest';
import { type HealthReport, createHealth } from '../../src/ops/health.js';
import { type OpsServer, OpsServerListenError, startOpsServer } from '../../src/ops/http.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import { StoreTimeoutError, cronTickMs, storePinger } from '../../src/ops/health.js';

const MIN = 60_000;

describe('metrics and health over HTTP on loopback', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(o: {
    clock: { now: number };
    storeUp?: () => boolean;
    sender?: { lastRunAt: number };
    poller?: { lastRunAt: number };
    nextAt?: () => number | undefined;
  }) {
    const metrics = createMetrics();
    const health = createHealth({
      pingStore: async () => {
        if (o.storeUp && !o.storeUp()) throw new StoreTimeoutError('store did not answer within 2000 ms');
      },
      sender: o.sender ?? { lastRunAt: o.clock.now },
      poller: o.poller ?? { lastRunAt: o.clock.now },
      outboxNextAt: o.nextAt ?? (() => undefined),
      now: () => o.clock.now,
      startedAt: o.clock.now,
      pollerStaleMs: 7 * MIN,
      senderStaleMs: 5 * MIN,
    });
    server = await startOpsServer({ port: 0, host: '127.0.0.1', metrics, health });
    const base = `http://127.0.0.1:${server.port}`;
    return { metrics, get: (path: string) => fetch(base + path) };
  }

  it('serves Prometheus metrics fed by the poller and sender hooks, plus process metrics', async () => {
    const { metrics, get } = await start({ clock: { now: Date.now() } });
    metrics.observe({ outboxDepth: () => ({ alert: 7, digest: 1, broadcast: 0 }), inFlight: () => 3 });
    metrics.onPolled({ sourceId: 'a', status: 'ok', fresh: 4, alerts: 9, ms: 120 });
    metrics.onPolled({ sourceId: 'b', status: 'error', error: 'timeout', ms: 15_000 });
    metrics.onPolled({ sourceId: 'c', status: 'not-modified', ms: 40 });
    metrics.onOutcome({ outcome: 'sent', lane: 'alert', latencyMs: 1500 });
    metrics.onOutcome({ outcome: 'sent', lane: 'alert', latencyMs: 2500 });
    metrics.onOutcome({ outcome: 'throttled', lane: 'broadcast' });
    metrics.notice('queued');

    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toContain('nabaa_polls_total{status="ok"} 1');
    expect(body).toContain('nabaa_polls_total{status="error"} 1');
    expect(body).toContain('nabaa_polls_total{status="not-modified"} 1');
    expect(body).toContain('nabaa_fetch_errors_total{error="timeout"} 1');
    expect(body).toContain('nabaa_articles_ingested_total 4');
    expect(body).toContain('nabaa_matches_total 9');
    expect(body).toContain('nabaa_deliveries_total{outcome="sent",lane="alert"} 2');
    expect(body).toContain('nabaa_deliveries_total{outcome="throttled",lane="broadcast"} 1');
    expect(body).toContain('nabaa_telegram_429_total{lane="broadcast"} 1');
    expect(body).toContain('nabaa_send_latency_seconds_count{lane="alert"} 2');
    expect(body).toContain('nabaa_send_latency_seconds_sum{lane="alert"} 4');
    expect(body).toContain('nabaa_send_latency_seconds_bucket{le="2",lane="alert"} 1');
    expect(body).toContain('nabaa_outbox_depth{lane="alert"} 7');
    expect(body).toContain('nabaa_sender_in_flight 3');
    expect(body).toContain('nabaa_poll_duration_seconds_count 3');
    expect(body).toContain('nabaa_admin_notices_total{result="queued"} 1');
    expect(body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes \d/m);

    expect((await get('/nope')).status).toBe(404);
  });

  it('answers /healthz 200 only when the store answers and both loops ran recently', async () => {
    const clock = { now: Date.UTC(2026, 10, 29, 8) };
    let storeUp = true;
    const sender = { lastRunAt: clock.now };
    const poller = { lastRunAt: clock.now };
    let due: number | undefined;
    const { get } = await start({ clock, storeUp: () => storeUp, sender, poller, nextAt: () => due });

    let res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ ok: true, checks: { store: { ok: true }, sender: { ok: true }, poller: { ok: true } } });

    // The store stops answering.
    storeUp = false;
    res = await get('/healthz');
    expect(res.status).toBe(503);
    const report = (await res.json()) as HealthReport;
    expect(report.ok).toBe(false);
    expect(report.checks.store).toEqual({ ok: false, detail: 'StoreTimeoutError: store did not answer within 2000 ms' });
    storeUp = true;

    // An idle sender is healthy for as long as nothing is due.
    clock.now += 20 * MIN;
    poller.lastRunAt = clock.now - MIN;
    expect((await get('/healthz')).status).toBe(200);
    // A job due for six minutes while the loop sat still: stuck.
    due = clock.now - 6 * MIN;
    res = await get('/healthz');
    expect(res.status).toBe(503);
    expect(((await res.json()) as HealthReport).checks.sender.ok).toBe(false);
    // The loop runs again.
    sender.lastRunAt = clock.now;
    expect((await get('/healthz')).status).toBe(200);

    // The poller has not started a cycle for longer than three ticks and a minute.
    clock.now += 8 * MIN;
    sender.lastRunAt = clock.now;
    res = await get('/healthz');
    expect(res.status).toBe(503);
    expect(((await res.json()) as HealthReport).checks.poller).toMatchObject({ ok: false, detail: 'last cycle 540s ago' });
    poller.lastRunAt = clock.now;
    expect((await get('/healthz')).status).toBe(200);
  });

  it('treats a sender that never started as unhealthy, and gives the poller start-up grace', async () => {
    const clock = { now: Date.UTC(2026, 10, 29, 8) };
    const { get } = await start({ clock, sender: { lastRunAt: 0 }, poller: { lastRunAt: 0 } });
    const report = (await (await get('/healthz')).json()) as HealthReport;
    expect(report.checks.sender).toEqual({ ok: false, detail: 'not started' });
    expect(report.checks.poller).toEqual({ ok: true, detail: 'starting' });
  });

  it('reports a port it cannot listen on with a named error', async () => {
    const { get } = await start({ clock: { now: Date.now() } });
    expect((await get('/healthz')).status).toBe(200);
    const port = server!.port;
    await expect(
      startOpsServer({ port, host: '127.0.0.1', metrics: createMetrics({ defaultMetrics: false }), health: createHealth({ pingStore: async () => {} }) }),
    ).rejects.toBeInstanceOf(OpsServerListenError);
  });
});

describe('store ping and cron ticks', () => {
  it('pings the store with a write and a read, and times out with a named error', async () => {
    const factory = await createKeyvFactory('memory://');
    const stores = createStores(factory);
    await expect(storePinger(stores.meta)()).resolves.toBeUndefined();
    expect(await stores.meta.get('health:ping')).toMatch(/^\d+:1$/);
    const hanging = { ...stores.meta, set: () => new Promise<void>(() => {}) };
    await expect(storePinger(hanging, { timeoutMs: 20 })()).rejects.toBeInstanceOf(StoreTimeoutError);
    await factory.close();
  });

  it('derives the poll tick from a cron expression', () => {
    expect(cronTickMs('*/2 * * * *')).toBe(2 * MIN);
    expect(cronTickMs('*/1 * * * * *')).toBe(1000);
  });
});
