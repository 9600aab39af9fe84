/** A small local HTTP server on 127.0.0.1 (port 0) serving fixture routes, for feed tests. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export interface StaticRoute {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
export type Route = RouteHandler | StaticRoute;

export interface FeedServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:12345 */
  url: string;
  port: number;
  close(): Promise<void>;
  setRoute(path: string, route: Route): void;
  /** Number of requests seen for a path (path + query as requested, or pathname). */
  hits(path: string): number;
  /** Request headers of each request to the path, in order. */
  requests(path: string): IncomingHttpHeaders[];
  /** TCP connections accepted so far. */
  connections(): number;
}

export async function startFeedServer(routes: Record<string, Route> = {}): Promise<FeedServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const seen = new Map<string, IncomingHttpHeaders[]>();
  const record = (key: string, headers: IncomingHttpHeaders) => {
    const list = seen.get(key) ?? [];
    list.push(headers);
    seen.set(key, list);
  };
  const server = createServer((req, res) => {
    const full = req.url ?? '/';
    const pathname = new URL(full, 'http://x').pathname;
    record(full, req.headers);
    if (pathname !== full) record(pathname, req.headers);
    const route = table.get(full) ?? table.get(pathname);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      Promise.resolve(route(req, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    const body = route.body ?? '';
    res.writeHead(route.status ?? 200, {
      'content-length': String(Buffer.byteLength(body)),
      ...route.headers,
    });
    res.end(body);
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setRoute: (path, route) => void table.set(path, route),
    hits: (path) => seen.get(path)?.length ?? 0,
    requests: (path) => seen.get(path) ?? [],
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
