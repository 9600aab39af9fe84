import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Bot, type Context, webhookCallback } from 'grammy';
import type { Logger } from 'pino';

export interface WebhookServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface WebhookServerOptions {
  port: number;
  /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token on every update. */
  secret: string;
  /** Path of the webhook (default: the path of WEBHOOK_URL, else `/`). */
  path?: string;
  logger: Logger;
  host?: string;
}

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

function sameSecret(got: string | string[] | undefined, want: string): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * ROLE=web: Telegram POSTs updates here. Requests without the secret-token header Telegram was
 * given in setWebhook get 401 before their body is read; `GET /healthz` answers 200.
 */
export async function startWebhookServer<C extends Context>(bot: Bot<C>, o: WebhookServerOptions): Promise<WebhookServer> {
  const path = o.path ?? '/';
  // grammY checks the secret too; answering Telegram within its timeout, the update keeps running.
  const handle = webhookCallback(bot, 'http', { secretToken: o.secret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && url === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (url !== path) return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    if (!sameSecret(req.headers[SECRET_HEADER], o.secret)) {
      o.logger.warn({ ip: req.socket.remoteAddress }, 'webhook request without the right secret token; refused');
      req.resume();
      return void res.writeHead(401).end('secret token mismatch\n');
    }
    handle(req, res).catch((err: unknown) => {
      o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook update failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  o.logger.info({ port, path }, 'taking updates by webhook');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      }),
  };
}
