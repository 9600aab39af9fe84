/** Worker side of pool.ts: analyzes the batches and parses the feed documents it is sent. */
import { parentPort } from 'node:worker_threads';
import { FeedError } from '../sources/errors.js';
import { decodeRaw } from '../sources/http.js';
import { parseFeed } from '../sources/parse-feed.js';
import { loadGazetteer } from './gazetteer.js';
import { analyze } from './pipeline.js';
import { toWire } from './analysis-text.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort;
if (port) {
  let gaz: ReturnType<typeof loadGazetteer> | undefined;
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  port.on('message', (m: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      if ('feed' in m) {
        try {
          reply = { id: m.id, parsed: parseFeed(decodeRaw(m.feed.raw), m.feed.ctx) };
        } catch (err) {
          if (!(err instanceof FeedError)) throw err;
          reply = { id: m.id, feedError: { code: err.code, message: err.message } };
        }
      } else {
        gaz ??= loadGazetteer();
        const g = gaz;
        reply = {
          id: m.id,
          results: m.inputs.map((input) => {
            try {
              return { ok: toWire(analyze(input, g)) };
            } catch (err) {
              return { error: message(err) };
            }
          }),
        };
      }
    } catch (err) {
      reply = { id: m.id, fatal: message(err) };
    }
    port.postMessage(reply);
  });
}
