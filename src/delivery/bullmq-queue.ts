/**
 * QUEUE=bullmq: deliveries on BullMQ (Redis), consumed by any number of worker processes.
 *
 * - Two BullMQ queues: `deliveries` (the free lanes as priorities: broadcast, alert, digest, as in
 *   the embedded outbox) and `paid` (allow_paid_broadcast, its own budget). Job id = delivery id, so
 *   enqueueing the same delivery twice adds it once; jobs are removed when they complete.
 * - One rate limit per bot token shared by every worker: BullMQ's queue limiter (global across
 *   workers) gates how fast jobs are taken, in priority order, and an exact sliding one-second
 *   window in Redis (a Lua script over a sorted set, using the Redis clock) gates each send, with a
 *   small margin for network jitter so Telegram never sees more than the limit in any second.
 * - Per-chat pacing and order across workers: a key per chat holds when it may next receive
 *   (1 s private, 3 s group), and a sorted set per chat holds its pending jobs in enqueue order;
 *   only the chat's oldest job may be sent. A job whose chat is not ready goes back to delayed.
 * - A worker killed mid-job: BullMQ's stalled-job check hands its jobs to another worker (after
 *   `lockDurationMs`); a `sent:<id>` marker written right after Telegram accepts a message keeps
 *   the repeat from sending again, so duplicates can only come from a kill between Telegram's
 *   answer and that write.
 * - The error policy is policy.ts `decide`, as in the embedded sender.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Api } from 'grammy';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Delivery, Lane } from '../types.js';
import { type Decision, decide } from './policy.js';
import type { ChatEvents, FinalResult, Outcome } from './sender.js';
import { htmlToPlain, sendOptions, zeroCounts } from './sender.js';

export type BullQueueName = 'deliveries' | 'paid';
const PRIORITY: Record<Lane, number> = { broadcast: 1, alert: 2, digest: 3 };

/** Redis could not take the deliveries (they were not queued). */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
}

export interface BullQueueOptions {
  redisUrl: string;
  /** Prefix of every key (tests, several deployments on one Redis). */
  prefix?: string;
  logger: Logger;
}

export interface BullWorkerOptions extends BullQueueOptions {
  api: Api;
  chats: ChatEvents;
  /** Messages per second across all chats and all workers (the bot token's limit). */
  globalRate?: number;
  paidRate?: number;
  /** Added to the one-second window so network jitter never makes Telegram count one too many. */
  rateMarginMs?: number;
  privateIntervalMs?: number;
  groupIntervalMs?: number;
  strikeGrace?: number;
  /** Jobs processed at once by this worker. */
  concurrency?: number;
  /** A killed worker's jobs go to another worker after about this long. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Shown in /stats. */
  id?: string;
  random?: () => number;
  onOutcome?: (e: { outcome: Outcome; lane: Lane; chatId: number; latencyMs?: number }) => void;
}

/** Key names shared by producer, workers and status. */
export function bullKeys(prefix = '') {
  const k = `${prefix}nabaa:`;
  return {
    bullPrefix: `${prefix}nabaa`,
    rate: (q: BullQueueName) => `${k}rate:${q}`,
    hold: (q: BullQueueName) => `${k}hold:${q}`,
    chatNext: (chatId: number) => `${k}chat:${chatId}`,
    chatQueue: (chatId: number) => `${k}cq:${chatId}`,
    gone: (chatId: number) => `${k}gone:${chatId}`,
    sent: (id: string) => `${k}sent:${id}`,
    bcPending: `${k}bc:pending`,
    bcJobs: (broadcastId: string) => `${k}bc:jobs:${broadcastId}`,
    finals: `${k}finals`,
    workers: `${k}workers`,
    workerInfo: `${k}workerinfo`,
  };
}

const queueOfDelivery = (d: Delivery): BullQueueName => (d.paid ? 'paid' : 'deliveries');

/**
 * BullMQ job id of a delivery: BullMQ refuses custom ids that look like integers or contain ':'
 * (reserved for its repeatable jobs), so ':' is escaped; one delivery id, one job id.
 */
export function jobIdOf(d: Pick<Delivery, 'id'>): string {
  return `d~${d.id.replace(/~/g, '~~').replace(/:/g, '~c')}`;
}

function ioredis(url: string, forWorker: boolean): Redis {
  const r = new Redis(url, {
    // Workers block on Redis and must wait for it forever; producers fail fast instead of hanging.
    maxRetriesPerRequest: forWorker ? null : 2,
    ...(forWorker ? {} : { commandTimeout: 5000 }),
    connectTimeout: 3000,
    retryStrategy: (n) => Math.min(2000, 100 * 2 ** n),
    lazyConnect: false,
  });
  r.on('error', () => undefined); // reported by BullMQ / the caller; reconnects by itself
  return r;
}

/**
 * The producer side (web, poller, every role that enqueues) and the queue's state for /stats and
 * broadcasts. Same `enqueue(deliveries)` as the embedded Outbox.
 */
export class BullDeliveryQueue {
  readonly keys: ReturnType<typeof bullKeys>;
  private readonly redis: Redis;
  private readonly queues: Record<BullQueueName, Queue>;
  private sub: Redis | undefined;
  private readonly finalListeners = new Set<(d: Delivery, result: FinalResult, reason?: string) => void>();
  private readonly pending = new Map<string, number>();
  private cachedDepth: Record<Lane, number> & { paid: number; delayed: number; active: number } = {
    broadcast: 0,
    alert: 0,
    digest: 0,
    paid: 0,
    delayed: 0,
    active: 0,
  };
  private refresher: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly o: BullQueueOptions) {
    this.keys = bullKeys(o.prefix);
    this.redis = ioredis(o.redisUrl, false);
    const mk = (name: BullQueueName) => new Queue(name, { connection: ioredis(o.redisUrl, false), prefix: this.keys.bullPrefix });
    this.queues = { deliveries: mk('deliveries'), paid: mk('paid') };
    for (const q of Object.values(this.queues)) q.on('error', (err) => o.logger.warn({ err: err.message }, 'delivery queue: redis error'));
  }

  /** Wait until Redis answers (start-up), with a clear error after `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<this> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.all([this.redis.ping(), ...Object.values(this.queues).map((q) => q.waitUntilReady())]),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
      ]);
    } catch (err) {
      throw new QueueUnavailableError(`BullMQ queue: Redis did not answer (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
    await this.refresh().catch(() => undefined);
    this.refresher = setInterval(() => void this.refresh().catch(() => undefined), 1000);
    this.refresher.unref?.();
    return this;
  }

  /** Durable once this resolves: every job is in Redis (duplicates by id are ignored). */
  async enqueue(deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    const CHUNK = 1000;
    const base = Date.now() * 1000;
    try {
      for (let i = 0; i < deliveries.length; i += CHUNK) {
        const part = deliveries.slice(i, i + CHUNK);
        const now = Date.now();
        // Chat order and broadcast bookkeeping first, so a job never runs before its chat knows it.
        const multi = this.redis.multi();
        part.forEach((d, j) => multi.zadd(this.keys.chatQueue(d.chatId), 'NX', base + i + j, jobIdOf(d)));
        const byBroadcast = new Map<string, string[]>();
        for (const d of part) {
          if (!d.broadcastId) continue;
          const list = byBroadcast.get(d.broadcastId) ?? [];
          list.push(jobIdOf(d));
          byBroadcast.set(d.broadcastId, list);
        }
        const order = [...byBroadcast.keys()];
        for (const id of order) multi.sadd(this.keys.bcJobs(id), ...byBroadcast.get(id)!);
        const res = (await multi.exec()) ?? [];
        const added = res.slice(part.length).map(([, n]) => Number(n));
        if (order.length) {
          const m2 = this.redis.multi();
          order.forEach((id, j) => {
            m2.hincrby(this.keys.bcPending, id, added[j] ?? 0);
            this.pending.set(id, (this.pending.get(id) ?? 0) + (added[j] ?? 0));
          });
          await m2.exec();
        }
        for (const name of ['deliveries', 'paid'] as const) {
          const jobs = part
            .filter((d) => queueOfDelivery(d) === name)
            .map((d) => ({
              name: d.lane,
              data: d,
              opts: {
                jobId: jobIdOf(d),
                priority: PRIORITY[d.lane],
                ...(d.notBefore > now ? { delay: d.notBefore - now } : {}),
                removeOnComplete: true,
                removeOnFail: { age: 7 * 24 * 3600 },
                attempts: 5,
                backoff: { type: 'exponential', delay: 2000 },
              },
            }));
          if (jobs.length) await this.queues[name].addBulk(jobs);
        }
      }
    } catch (err) {
      throw new QueueUnavailableError(`could not queue ${deliveries.length} deliveries: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /** Jobs not yet settled (waiting, delayed or being sent), as of the last refresh (≤ 1 s old). */
  get size(): number {
    const d = this.cachedDepth;
    return d.broadcast + d.alert + d.digest + d.paid + d.delayed + d.active;
  }

  depth(): Record<Lane, number> {
    const { broadcast, alert, digest } = this.cachedDepth;
    return { broadcast, alert, digest };
  }

  /** Exact counts from Redis, per queue and state. */
  async counts(): Promise<Record<BullQueueName, Record<string, number>>> {
    const [a, b] = await Promise.all(
      (['deliveries', 'paid'] as const).map((n) => this.queues[n].getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed')),
    );
    return { deliveries: a!, paid: b! };
  }

  private async refresh(): Promise<void> {
    const c = await this.counts();
    const pr = await Promise.all([1, 2, 3].map((p) => this.queues.deliveries.getCountsPerPriority([p])));
    const lane = (p: number) => Number(Object.values(pr[p - 1] ?? {})[0] ?? 0);
    this.cachedDepth = {
      broadcast: lane(1),
      alert: lane(2),
      digest: lane(3),
      paid: (c.paid.wait ?? 0) + (c.paid.prioritized ?? 0),
      delayed: (c.deliveries.delayed ?? 0) + (c.paid.delayed ?? 0),
      active: (c.deliveries.active ?? 0) + (c.paid.active ?? 0),
    };
    const all = await this.redis.hgetall(this.keys.bcPending);
    this.pending.clear();
    for (const [id, n] of Object.entries(all)) this.pending.set(id, Number(n));
  }

  /** Deliveries of a broadcast not settled yet (as of the last refresh or final). */
  broadcastPending(broadcastId: string): number {
    return Math.max(0, this.pending.get(broadcastId) ?? 0);
  }

  /** Cancel a broadcast: remove its jobs that are not being sent; returns them. */
  async dropBroadcast(broadcastId: string): Promise<Delivery[]> {
    const ids = await this.redis.smembers(this.keys.bcJobs(broadcastId));
    const removed: Delivery[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(
        ids.slice(i, i + 200).map(async (id) => {
          for (const q of Object.values(this.queues)) {
            const job = await q.getJob(id);
            if (!job) continue;
            if ((await q.remove(id)) === 1) {
              removed.push(job.data as Delivery);
              await settle(this.redis, this.keys, job.data as Delivery);
            }
          }
        }),
      );
    }
    await this.refresh().catch(() => undefined);
    return removed;
  }

  /** Told when a delivery is settled by any worker (sent or failed for good). */
  onFinal(fn: (d: Delivery, result: FinalResult, reason?: string) => void): () => void {
    this.finalListeners.add(fn);
    if (!this.sub) {
      const sub = (this.sub = ioredis(this.o.redisUrl, true));
      void sub.subscribe(this.keys.finals).catch((err: unknown) => this.o.logger.warn({ err }, 'could not subscribe to delivery results'));
      sub.on('message', (_ch: string, raw: string) => {
        let m: { d: Delivery; result: FinalResult; reason?: string };
        try {
          m = JSON.parse(raw);
        } catch {
          return;
        }
        if (m.d.broadcastId) this.pending.set(m.d.broadcastId, (this.pending.get(m.d.broadcastId) ?? 1) - 1);
        for (const f of this.finalListeners) {
          try {
            f(m.d, m.result, m.reason);
          } catch (err) {
            this.o.logger.error({ err, jobId: m.d.id }, 'delivery listener failed');
          }
        }
      });
    }
    return () => this.finalListeners.delete(fn);
  }

  async close(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    await Promise.allSettled(Object.values(this.queues).map((q) => q.close()));
    for (const r of [this.redis, this.sub]) r?.disconnect();
  }
}

/** A settled delivery leaves its chat's order and its broadcast's pending count. */
async function settle(redis: Redis, keys: ReturnType<typeof bullKeys>, d: Delivery): Promise<void> {
  const id = jobIdOf(d);
  const m = redis.multi().zrem(keys.chatQueue(d.chatId), id);
  if (d.broadcastId) m.srem(keys.bcJobs(d.broadcastId), id).hincrby(keys.bcPending, d.broadcastId, -1);
  await m.exec();
}

/**
 * May this job be sent now? One atomic step on the Redis clock:
 * 4 already sent · 3 chat gone · 1 chat not ready / not its turn (wait ms) · 2 global window full or
 * held after a 429 (wait ms) · 0 go (a slot in the window is taken, the chat is paced).
 */
const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('EXISTS', KEYS[6]) == 1 then return {4, 0} end
if redis.call('EXISTS', KEYS[5]) == 1 then return {3, 0} end
local head = redis.call('ZRANGE', KEYS[4], 0, 0)
while head[1] and head[1] ~= ARGV[1] do
  if not redis.call('ZSCORE', KEYS[4], ARGV[1]) then break end
  if redis.call('EXISTS', ARGV[6] .. ':deliveries:' .. head[1]) == 1 or redis.call('EXISTS', ARGV[6] .. ':paid:' .. head[1]) == 1 then
    return {1, 250}
  end
  redis.call('ZREM', KEYS[4], head[1])
  head = redis.call('ZRANGE', KEYS[4], 0, 0)
end
local nxt = tonumber(redis.call('GET', KEYS[3]) or '0')
if nxt > now then return {1, nxt - now} end
local hold = redis.call('PTTL', KEYS[2])
if hold > 0 then return {2, hold} end
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {2, math.max(1, tonumber(oldest[2]) + window - now + 1)}
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], window * 2)
local interval = tonumber(ARGV[4])
redis.call('SET', KEYS[3], now + interval, 'PX', interval + 1000)
return {0, now}
`;

/**
 * After Telegram answered: the send's slot in the window moves to the answer's time (Telegram
 * counted it somewhere between reservation and answer, so this is the safe end), the chat is paced
 * from now, and a success leaves a `sent` marker.
 */
const SENT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
local interval = tonumber(ARGV[2])
redis.call('SET', KEYS[3], now + interval, 'PX', interval + 1000)
if ARGV[3] == '1' then
  redis.call('SET', KEYS[2], '1', 'PX', 86400000)
  redis.call('ZREM', KEYS[4], ARGV[4])
  if ARGV[5] ~= '' then
    redis.call('SREM', KEYS[5], ARGV[4])
    redis.call('HINCRBY', KEYS[6], ARGV[5], -1)
  end
end
return now
`;

type Reserve = [code: number, value: number];

/** Consumes deliveries: one per worker process (ROLE=worker), any number of them. */
export class BullDeliveryWorker {
  readonly id: string;
  readonly keys: ReturnType<typeof bullKeys>;
  readonly counts = zeroCounts();
  readonly latencies: number[] = [];
  lastRunAt = 0;
  private readonly redis: Redis;
  private readonly workers: Worker[] = [];
  private readonly producer: BullDeliveryQueue;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly finals = new Set<(d: Delivery, result: FinalResult, reason?: string) => void>();
  private readonly o: Required<Omit<BullWorkerOptions, 'prefix' | 'onOutcome' | 'id'>> & Pick<BullWorkerOptions, 'onOutcome'>;

  constructor(opts: BullWorkerOptions) {
    this.o = {
      globalRate: 30,
      paidRate: 1000,
      rateMarginMs: 5,
      privateIntervalMs: 1000,
      groupIntervalMs: 3000,
      strikeGrace: 3,
      concurrency: 64,
      lockDurationMs: 10_000,
      stalledIntervalMs: 5000,
      random: Math.random,
      ...opts,
    } as typeof this.o;
    this.id = opts.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 6)}`;
    this.keys = bullKeys(opts.prefix);
    this.redis = ioredis(opts.redisUrl, true);
    this.redis.defineCommand('nabaaReserve', { numberOfKeys: 6, lua: RESERVE_LUA });
    this.redis.defineCommand('nabaaSent', { numberOfKeys: 6, lua: SENT_LUA });
    this.producer = new BullDeliveryQueue(opts);
  }

  onFinal(fn: (d: Delivery, result: FinalResult, reason?: string) => void): () => void {
    this.finals.add(fn);
    return () => this.finals.delete(fn);
  }

  get inFlight(): number {
    return this.workers.reduce((n, w) => n + ((w as unknown as { running?: number }).running ?? 0), 0);
  }

  async start(): Promise<void> {
    await this.producer.ready();
    for (const name of ['deliveries', 'paid'] as const) {
      const rate = name === 'paid' ? this.o.paidRate : this.o.globalRate;
      const w = new Worker(name, (job, token) => this.process(name, job, token), {
        connection: ioredis(this.o.redisUrl, true),
        prefix: this.keys.bullPrefix,
        concurrency: this.o.concurrency,
        // Coarse and global across workers: jobs are taken in priority order at about the rate;
        // the exact per-second window is checked per send (RESERVE_LUA). At high rates (paid
        // broadcasts, one lane) the exact window alone is enough and BullMQ fetches faster without.
        ...(rate < 1000 ? { limiter: { max: Math.max(1, Math.floor(rate)), duration: 1000 } } : {}),
        lockDuration: this.o.lockDurationMs,
        stalledInterval: this.o.stalledIntervalMs,
        maxStalledCount: 1000,
        autorun: false,
        name: this.id,
      });
      w.on('error', (err) => this.o.logger.warn({ err: err.message, queue: name }, 'delivery worker: redis error'));
      w.on('failed', (job, err) => this.o.logger.error({ jobId: job?.id, err: err.message }, 'delivery job failed unexpectedly'));
      this.workers.push(w);
      void w.run().catch((err: unknown) => this.o.logger.error({ err }, 'delivery worker stopped'));
    }
    const beat = async () => {
      this.lastRunAt = Date.now();
      await this.redis
        .multi()
        .zadd(this.keys.workers, Date.now(), this.id)
        .hset(this.keys.workerInfo, this.id, JSON.stringify({ id: this.id, host: hostname(), pid: process.pid, sent: this.counts.sent, at: Date.now() }))
        .exec();
    };
    await beat().catch(() => undefined);
    this.heartbeat = setInterval(() => void beat().catch(() => undefined), 2000);
    this.heartbeat.unref?.();
  }

  /** Finish the jobs in flight, then stop. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await this.redis
      .multi()
      .zrem(this.keys.workers, this.id)
      .hdel(this.keys.workerInfo, this.id)
      .exec()
      .catch(() => undefined);
    await this.producer.close();
    this.redis.disconnect();
  }

  private answered(q: BullQueueName, d: Delivery, slot: string, interval: number, ok: boolean): Promise<number> {
    const k = this.keys;
    return (this.redis as unknown as { nabaaSent(...a: Array<string | number>): Promise<number> }).nabaaSent(
      k.rate(q),
      k.sent(jobIdOf(d)),
      k.chatNext(d.chatId),
      k.chatQueue(d.chatId),
      k.bcJobs(d.broadcastId ?? '-'),
      k.bcPending,
      slot,
      interval,
      ok ? '1' : '0',
      jobIdOf(d),
      d.broadcastId ?? '',
    );
  }

  private reserve(q: BullQueueName, d: Delivery, interval: number, slot: string): Promise<Reserve> {
    const k = this.keys;
    const rate = q === 'paid' ? this.o.paidRate : this.o.globalRate;
    return (this.redis as unknown as { nabaaReserve(...a: Array<string | number>): Promise<Reserve> }).nabaaReserve(
      k.rate(q),
      k.hold(q),
      k.chatNext(d.chatId),
      k.chatQueue(d.chatId),
      k.gone(d.chatId),
      k.sent(jobIdOf(d)),
      jobIdOf(d),
      Math.max(1, Math.floor(rate)),
      1000 + this.o.rateMarginMs,
      interval,
      slot,
      k.bullPrefix,
    );
  }

  private async process(q: BullQueueName, job: Job, token: string | undefined): Promise<string> {
    const d = job.data as Delivery;
    this.lastRunAt = Date.now();
    const interval = d.chatId < 0 ? this.o.groupIntervalMs : this.o.privateIntervalMs;
    const slot = `${jobIdOf(d)}:${randomUUID().slice(0, 8)}`;
    for (;;) {
      const [code, value] = await this.reserve(q, d, interval, slot);
      if (code === 0) break;
      if (code === 4) return this.finish(d, 'sent', 'already sent');
      if (code === 3) {
        this.count('dropped', d);
        return this.finish(d, 'failed', 'chat deactivated');
      }
      // Not this chat's time (or the window is held for long): give the slot back to the queue.
      if (code === 1 ? value > 300 : value > 2000) {
        await job.moveToDelayed(Date.now() + value, token);
        throw new DelayedError();
      }
      await new Promise((r) => setTimeout(r, Math.max(1, value)));
    }
    try {
      await this.o.api.sendMessage(d.chatId, d.text, sendOptions(d));
    } catch (err) {
      await this.answered(q, d, slot, interval, false).catch(() => undefined);
      return this.fail(q, job, token, d, decide(err, d.attempts, this.o.random()), err);
    }
    const now = Date.now();
    // First thing after Telegram's answer, in one step: a repeat of this job (after a crash) must
    // not send again, and the job leaves its chat's order and its broadcast's count.
    await this.answered(q, d, slot, interval, true);
    this.count('sent', d, now - d.createdAt);
    this.latencies.push(now - d.createdAt);
    if (this.latencies.length > 1000) this.latencies.splice(0, this.latencies.length - 1000);
    try {
      await this.o.chats.delivered(d.chatId);
    } catch (err) {
      this.o.logger.warn({ err, chatId: d.chatId }, 'could not reset strikes');
    }
    return this.finish(d, 'sent', undefined, false, true);
  }

  /** Back to delayed with a changed delivery (attempts, text...). */
  private async later(job: Job, token: string | undefined, d: Delivery, at: number, patch: Partial<Delivery>): Promise<never> {
    const next: Delivery = { ...d, ...patch, notBefore: at };
    await job.updateData(next);
    await job.moveToDelayed(Math.max(at, Date.now() + 1), token);
    throw new DelayedError();
  }

  private async fail(q: BullQueueName, job: Job, token: string | undefined, d: Delivery, decision: Decision, err: unknown): Promise<string> {
    const { logger, chats } = this.o;
    const now = Date.now();
    const log = { chatId: d.chatId, jobId: d.id, lane: d.lane, attempts: d.attempts, decision: decision.kind, worker: this.id };
    switch (decision.kind) {
      case 'throttle':
        this.count('throttled', d);
        // Hold the whole queue for every worker, exactly retry_after.
        await this.redis.set(this.keys.hold(q), '1', 'PX', decision.afterMs);
        logger.warn({ ...log, retryAfterMs: decision.afterMs }, 'telegram asked us to slow down');
        return this.later(job, token, d, now + decision.afterMs, {});
      case 'retry':
        this.count('retried', d);
        logger.warn({ ...log, reason: decision.reason }, 'send failed, will retry');
        return this.later(job, token, d, now + decision.afterMs, { attempts: d.attempts + 1 });
      case 'strike': {
        this.count('struck', d);
        const strikes = await chats.strike(d.chatId, decision.reason);
        if (strikes >= this.o.strikeGrace) return this.deactivate(d, decision.reason);
        logger.info({ ...log, strikes }, 'chat refused a message');
        return this.later(job, token, d, now + 60_000 * strikes, { attempts: d.attempts + 1 });
      }
      case 'deactivate':
        return this.deactivate(d, decision.reason);
      case 'migrate':
        this.count('migrated', d);
        logger.info({ ...log, to: decision.to }, 'chat migrated to a supergroup');
        await chats.migrate(d.chatId, decision.to);
        await this.producer.enqueue([{ ...d, id: `${d.id}>${decision.to}`, chatId: decision.to, notBefore: now }]);
        return this.finish(d, 'failed', `migrated to ${decision.to}`, true);
      case 'plain':
        this.count('plain', d);
        logger.error({ ...log, reason: decision.reason }, 'BUG: Telegram rejected our HTML; resending as plain text');
        return this.later(job, token, d, now, { plain: true, text: htmlToPlain(d.text), attempts: d.attempts + 1 });
      case 'no-thread':
        if (d.threadId) {
          this.count('unthreaded', d);
          return this.later(job, token, d, now, { threadId: undefined });
        }
      // falls through
      case 'no-paid':
        if (d.paid) {
          this.count('unpaid', d);
          // The free queue paces it now.
          await this.producer.enqueue([{ ...d, id: `${d.id}>free`, paid: false, notBefore: now }]);
          return this.finish(d, 'failed', 'paid refused; re-queued free', true);
        }
      // falls through
      case 'drop':
        this.count('dropped', d);
        logger.error({ ...log, err: err instanceof Error ? err.message : String(err), reason: decision.reason }, 'delivery dropped');
        return this.finish(d, 'failed', decision.reason);
    }
  }

  private async deactivate(d: Delivery, reason: string): Promise<string> {
    this.count('deactivated', d);
    this.o.logger.info({ chatId: d.chatId, reason }, 'chat deactivated');
    await this.o.chats.deactivate(d.chatId, reason);
    // Other jobs of this chat, in any worker, are dropped when their turn comes.
    await this.redis.set(this.keys.gone(d.chatId), reason.slice(0, 200), 'PX', 10 * 60_000);
    return this.finish(d, 'failed', reason);
  }

  /** Settle: leave the chat's order and the broadcast's count, tell listeners (here and in other processes). */
  private async finish(d: Delivery, result: FinalResult, reason?: string, silent = false, settled = false): Promise<string> {
    if (!settled) await settle(this.redis, this.keys, d);
    if (!silent) {
      // Only broadcasts need their results elsewhere (progress in the web process).
      if (d.broadcastId) await this.redis.publish(this.keys.finals, JSON.stringify({ d: { id: d.id, chatId: d.chatId, lane: d.lane, broadcastId: d.broadcastId }, result, reason }));
      for (const fn of this.finals) {
        try {
          fn(d, result, reason);
        } catch (err) {
          this.o.logger.error({ err, jobId: d.id }, 'delivery listener failed');
        }
      }
    }
    return reason ? `${result}: ${reason}` : result;
  }

  private count(outcome: Outcome, d: Delivery, latencyMs?: number): void {
    this.counts[outcome]++;
    this.o.onOutcome?.({ outcome, lane: d.lane, chatId: d.chatId, ...(latencyMs === undefined ? {} : { latencyMs }) });
  }
}
