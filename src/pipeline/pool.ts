/**
 * A small worker-thread pool for the pipeline: `analyze` and `parseFeed` are pure and their input and
 * output are plain data, so the poller's feeds can be parsed and their items analyzed on other cores
 * while the main thread fetches, groups stories and writes. Each worker loads the gazetteer once (the
 * default one: a custom gazetteer given to createIngest is not seen by the pool). The CLI and the tests
 * keep the in-thread path.
 *
 * Workers run pool-worker.ts through tsx (registered in the worker when the process was not started
 * with the tsx loader). A worker that dies fails its pending batches (the caller falls back to analyzing
 * in its own thread) and is replaced on the next batch.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FeedError, type FeedErrorCode } from '../sources/errors.js';
import type { RawBody } from '../sources/http.js';
import type { ParseContext, ParsedFeed } from '../sources/parse-feed.js';
import type { Analysis } from '../types.js';
import type { AnalyzeInput } from './pipeline.js';
import { fromWire, type WireAnalysis } from './analysis-text.js';

export interface AnalyzerPool {
  /** One result per input, in order: the analysis, or the Error analyze threw for that input. */
  analyze(inputs: AnalyzeInput[]): Promise<Array<Analysis | Error>>;
  /** `parseFeed(decodeRaw(raw))` on a worker: the same feed, or the same FeedError. */
  parseFeed(raw: RawBody, ctx: ParseContext): Promise<ParsedFeed>;
  readonly size: number;
  /** Milliseconds the live workers' event loops have been busy since they started (for benchmarks). */
  busyMs(): number;
  close(): Promise<void>;
}

export interface AnalyzerPoolOptions {
  /** Number of workers (default: the number of cores minus one, at least one). */
  size?: number;
  /** Largest number of items sent to a worker in one message (a batch is split between workers). */
  chunk?: number;
}


/** What a worker is sent: items to analyze, or a feed document to parse. */
export type WorkerRequest = { id: number; inputs: AnalyzeInput[] } | { id: number; feed: { raw: RawBody; ctx: ParseContext } };

/** What a worker answers for one message. */
export type WorkerReply =
  | { id: number; results: Array<{ ok: WireAnalysis } | { error: string }> }
  | { id: number; parsed: ParsedFeed }
  | { id: number; feedError: { code: FeedErrorCode; message: string } }
  | { id: number; fatal: string };

interface Task {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
  size: number;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Task>;
  /** Items sent and not answered yet (for picking the least loaded worker). */
  load: number;
}

const WORKER_URL = new URL('./pool-worker.ts', import.meta.url).href;

/**
 * Bootstrap run as the worker's script (CommonJS eval): import the TypeScript worker, registering tsx
 * first when this process was not started with it.
 */
const BOOTSTRAP = `
const url = ${JSON.stringify(WORKER_URL)};
import(url).catch(async (err) => {
  if (err && err.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import('tsx/esm/api');
  register();
  await import(url + '?tsx'); // the failed import is cached under the plain URL
}).catch((err) => { setImmediate(() => { throw err; }); });
`;

export function createAnalyzerPool(opts: AnalyzerPoolOptions = {}): AnalyzerPool {
  const size = Math.max(1, Math.floor(opts.size ?? availableParallelism() - 1));
  const chunk = Math.max(1, Math.floor(opts.chunk ?? 25));
  const slots: Array<Slot | undefined> = new Array(size).fill(undefined);
  let nextId = 1;
  let closed = false;
  /** Workers that died in a row without answering anything: after a few, the pool gives up. */
  let deaths = 0;
  let broken: Error | undefined;

  const fail = (slot: Slot, err: Error) => {
    for (const t of slot.pending.values()) t.reject(err);
    slot.pending.clear();
    slot.load = 0;
  };

  const spawn = (i: number): Slot => {
    const worker = new Worker(BOOTSTRAP, { eval: true });
    worker.unref();
    const slot: Slot = { worker, pending: new Map(), load: 0 };
    let answered = false;
    worker.on('message', (m: WorkerReply) => {
      answered = true;
      deaths = 0;
      const task = slot.pending.get(m.id);
      if (!task) return;
      slot.pending.delete(m.id);
      slot.load -= task.size;
      if (slot.pending.size === 0) worker.unref();
      if ('fatal' in m) task.reject(new Error(m.fatal));
      else task.resolve(m);
    });
    const gone = (err: Error) => {
      if (slots[i] !== slot) return;
      slots[i] = undefined;
      if (!answered && !closed && ++deaths >= 3) broken = new Error(`analyzer workers keep failing: ${err.message}`);
      fail(slot, err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`analyzer worker exited (${code})`)));
    return slot;
  };

  /** Sends a request to the least loaded worker; `load` is its size in items. */
  const run = (request: Omit<WorkerRequest, 'id'>, load: number): Promise<WorkerReply> => {
    if (closed) return Promise.reject(new Error('analyzer pool closed'));
    if (broken) return Promise.reject(broken);
    // The least loaded worker (spawned on first use).
    let best = 0;
    for (let i = 0; i < size; i++) {
      if (!slots[i]) {
        best = i;
        break;
      }
      if (slots[i]!.load < slots[best]!.load) best = i;
    }
    const slot = (slots[best] ??= spawn(best));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, size: load });
      slot.load += load;
      slot.worker.ref();
      slot.worker.postMessage({ id, ...request });
    });
  };
  const analyzePart = async (inputs: AnalyzeInput[]): Promise<Array<Analysis | Error>> => {
    const reply = await run({ inputs }, inputs.length);
    if (!('results' in reply)) throw new Error('analyzer worker: unexpected reply');
    return reply.results.map((r) => ('ok' in r ? fromWire(r.ok) : new Error(r.error)));
  };

  return {
    size,
    async analyze(inputs) {
      if (inputs.length === 0) return [];
      const parts: AnalyzeInput[][] = [];
      const per = Math.min(chunk, Math.ceil(inputs.length / size));
      for (let i = 0; i < inputs.length; i += per) parts.push(inputs.slice(i, i + per));
      return (await Promise.all(parts.map(analyzePart))).flat();
    },
    async parseFeed(raw, ctx) {
      // Parsing a feed costs about as much as analyzing a few of its items (bodies compress about 10×).
      const reply = await run({ feed: { raw, ctx } }, Math.ceil(raw.bytes.length / 2_000));
      if ('parsed' in reply) return reply.parsed;
      if ('feedError' in reply) throw new FeedError(reply.feedError.code, reply.feedError.message);
      throw new Error('analyzer worker: unexpected reply');
    },
    busyMs() {
      let ms = 0;
      for (const slot of slots) if (slot) ms += slot.worker.performance.eventLoopUtilization().active;
      return ms;
    },
    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (slot, i) => {
          if (!slot) return;
          slots[i] = undefined; // before terminate: its exit is not a failure
          fail(slot, new Error('analyzer pool closed'));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
