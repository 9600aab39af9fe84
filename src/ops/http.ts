import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Health } from './health.js';
import type { Metrics } from './metrics.js';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** Named error for a port we could not listen on. */
export class OpsServerListenError extends Error {
  override name = 'OpsServerListenError';
}

/**
 * The operators' HTTP endpoint on METRICS_PORT:
 *   GET /metrics  Prometheus text exposition
 *   GET /healthz  200 {"ok":true,...} when the store answers and the loops are alive, else 503
 * Anything else is 404; methods other than GET/HEAD are 405.
 */
export async function startOpsServer(o: {
  port: number;
  host?: string;
  metrics: Metrics;
  health: Health;
  logger?: Logger;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const reply = async () => {
      if (path === '/metrics') {
        const body = await o.metrics.text();
        res.writeHead(200, { 'content-type': o.metrics.contentType }).end(req.method === 'HEAD' ? undefined : body);
      } else if (path === '/healthz') {
        const report = await o.health.check();
        if (!report.ok) o.logger?.warn({ checks: report.checks }, 'health check failed');
        res
          .writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
          .end(req.method === 'HEAD' ? undefined : JSON.stringify(report));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      }
    };
    reply().catch((err) => {
      o.logger?.error({ err, path }, 'ops endpoint failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(new OpsServerListenError(`could not listen on port ${o.port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(o.port, o.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  o.logger?.info({ port, host: o.host ?? 'all interfaces' }, 'serving /metrics and /healthz');
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
