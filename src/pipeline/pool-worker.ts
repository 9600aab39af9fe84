/** Worker side of pool.ts: analyzes the batches it is sent with the default gazetteer. */
import { parentPort } from 'node:worker_threads';
import { loadGazetteer } from './gazetteer.js';
import { analyze, type AnalyzeInput } from './pipeline.js';
import { toWire, type WorkerReply } from './pool.js';

const port = parentPort;
if (port) {
  let gaz: ReturnType<typeof loadGazetteer> | undefined;
  port.on('message', (m: { id: number; inputs: AnalyzeInput[] }) => {
    let reply: WorkerReply;
    try {
      gaz ??= loadGazetteer();
      const g = gaz;
      reply = {
        id: m.id,
        results: m.inputs.map((input) => {
          try {
            return { ok: toWire(analyze(input, g)) };
          } catch (err) {
            return { error: err instanceof Error ? err.message : String(err) };
          }
        }),
      };
    } catch (err) {
      reply = { id: m.id, fatal: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
}
