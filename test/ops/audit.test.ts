import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createAuditLog } from '../../src/ops/audit.js';
import { createDeliveryLog } from '../../src/ops/delivery-log.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';

/** A pino logger writing JSON lines into an array. */
function capture(level: pino.Level = 'info') {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('audit log', () => {
  it('keeps admin actions in the store, newest first, and logs one line per action without message texts', async () => {
    const factory = await createKeyvFactory('memory://');
    const stores = createStores(factory);
    let clock = Date.UTC(2026, 10, 29, 8);
    const { logger, lines } = capture('info');
    const audit = createAuditLog(stores.meta, () => clock, logger);
    await audit.record(7001, 'broadcast', { broadcastId: 'b1', recipients: 1200, text: 'Secret draft text' });
    clock += 1000;
    await audit.record(7002, 'addfeed', { sourceId: 'bbc', url: 'https://bbc.example/feed.xml' });
    clock += 1000;
    await audit.record(7001, 'removefeed', { sourceId: 'bbc' });

    const recent = await audit.recent();
    expect(recent.map((e) => [e.adminId, e.action])).toEqual([
      [7001, 'removefeed'],
      [7002, 'addfeed'],
      [7001, 'broadcast'],
    ]);
    expect(recent[2]).toEqual({
      at: Date.UTC(2026, 10, 29, 8),
      adminId: 7001,
      action: 'broadcast',
      details: { broadcastId: 'b1', recipients: 1200, text: 'Secret draft text' },
    });
    // Kept in the store: a fresh log over the same store sees them.
    expect(await createAuditLog(stores.meta).recent(1)).toHaveLength(1);

    const actions = lines.filter((l) => l.msg === 'admin action');
    expect(actions).toHaveLength(3);
    expect(actions[0]).toMatchObject({ level: 30, adminId: 7001, action: 'broadcast', details: { broadcastId: 'b1', recipients: 1200 } });
    expect(JSON.stringify(lines)).not.toContain('Secret draft text');
    await factory.close();
  });

  it('logs message texts only at debug', async () => {
    const factory = await createKeyvFactory('memory://');
    const { logger, lines } = capture('debug');
    await createAuditLog(createStores(factory).meta, Date.now, logger).record(1, 'broadcast', { text: 'hello' });
    expect(lines.find((l) => l.msg === 'admin action details')).toMatchObject({ level: 20, details: { text: 'hello' } });
    await factory.close();
  });

  it('serializes concurrent records so none is lost', async () => {
    const factory = await createKeyvFactory('memory://');
    const audit = createAuditLog(createStores(factory).meta);
    await Promise.all(Array.from({ length: 25 }, (_, i) => audit.record(i, 'pollnow')));
    expect(await audit.recent(100)).toHaveLength(25);
    await factory.close();
  });
});

describe('delivery log', () => {
  it('logs one line per batch window with outcomes by lane, no chat ids, nothing for a quiet window', async () => {
    vi.useFakeTimers();
    try {
      const { logger, lines } = capture();
      const log = createDeliveryLog(logger, { everyMs: 10_000 });
      log.start();
      log.onOutcome({ outcome: 'sent', lane: 'alert', latencyMs: 1000 });
      log.onOutcome({ outcome: 'sent', lane: 'alert', latencyMs: 3000 });
      log.onOutcome({ outcome: 'sent', lane: 'digest', latencyMs: 2000 });
      log.onOutcome({ outcome: 'retried', lane: 'alert' });
      await vi.advanceTimersByTimeAsync(10_000);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        msg: 'deliveries',
        windowMs: 10_000,
        sent: 3,
        outcomes: { sent: { alert: 2, digest: 1 }, retried: { alert: 1 } },
        latencyP50Ms: 2000,
        latencyMaxMs: 3000,
      });
      expect(lines[0]).not.toHaveProperty('chatId');
      await vi.advanceTimersByTimeAsync(30_000);
      expect(lines).toHaveLength(1);
      log.onOutcome({ outcome: 'dropped', lane: 'broadcast' });
      log.stop();
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatchObject({ sent: 0, outcomes: { dropped: { broadcast: 1 } } });
    } finally {
      vi.useRealTimers();
    }
  });
});
