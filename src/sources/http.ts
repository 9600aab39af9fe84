/**
 * One bounded HTTP GET: connect and total timeouts, compressed and decompressed size caps (streamed,
 * so a gzip bomb stops early), manual redirects (count + loop detection), the SSRF guard on every hop,
 * conditional GET, charset decoding. Every failure is a FeedError. The returned promise always settles
 * within `totalTimeoutMs` (plus a few ms), whatever the server or the DNS lookup do.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Agent, request } from 'undici';
import { decodeBody } from './charset.js';
import { FeedError } from './errors.js';
import { assertPublicLiteral, guardedLookup, systemLookup, type AddressPolicy, type LookupFn } from './ssrf.js';

export type { LookupFn } from './ssrf.js';

export interface FetchLimits {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  /** Max bytes on the wire (compressed). */
  maxBytes: number;
  /** Max bytes after decompression. */
  maxDecodedBytes: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: FetchLimits = {
  connectTimeoutMs: 5_000,
  totalTimeoutMs: 20_000,
  maxBytes: 5 * 1024 * 1024,
  maxDecodedBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
};

export const DEFAULT_USER_AGENT = 'NabaaBot/0.1 (Arabic news alerts; +https://t.me/)';

export interface FetchOptions {
  /** Sources from the environment / built-in list: no SSRF check. */
  trusted: boolean;
  /** Skip the public-address check even when untrusted (tests, private deployments). */
  allowPrivate?: boolean;
  etag?: string;
  lastModified?: string;
  limits?: Partial<FetchLimits>;
  /** DNS lookup (injectable for tests); defaults to the system resolver. */
  lookup?: LookupFn;
  userAgent?: string;
  accept?: string;
  /**
   * Address policy for untrusted URLs (true = blocked); defaults to "anything but public unicast".
   * A seam for tests and for deployments that must reach one internal host.
   */
  isBlocked?: AddressPolicy;
  /** Optional concurrency limiter (per host + overall); the timeout starts once a slot is granted. */
  limiter?: ConcurrencyLimiter;
  /**
   * Connections kept open between fetches (see `createFetchPool`), used by the fetches that skip the
   * address check (trusted sources, or `allowPrivate`); a checked fetch always connects through a pool of
   * its own, whose lookup checks every address it connects to.
   */
  pool?: Agent;
}

/**
 * A connection pool for many bounded GETs with the same limits and lookup (a poller's): a host with several
 * feeds, or a feed and its pages, is reached over kept-alive connections instead of a new connection (a TLS
 * handshake in production) per fetch. Idle connections close by themselves; `close()` ends the rest.
 */
export function createFetchPool(opts: Pick<FetchOptions, 'limits' | 'lookup'> = {}): Agent {
  const limits: FetchLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  return new Agent({
    connect: { timeout: limits.connectTimeoutMs, ...(opts.lookup ? { lookup: guardedLookup(opts.lookup, false) } : {}) },
    headersTimeout: limits.totalTimeoutMs,
    bodyTimeout: limits.totalTimeoutMs,
    pipelining: 1,
  });
}

export type FetchResult =
  | { status: 'not-modified'; url: string; etag?: string; lastModified?: string; maxAgeMs?: number }
  | {
      status: 'ok';
      /** Final URL after redirects. */
      url: string;
      /** Decoded text. */
      body: string;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Freshness from Cache-Control max-age / Expires, if the server said. */
      maxAgeMs?: number;
    };

/**
 * A response body as received: still compressed and not decoded, so it can cross to another thread as a
 * few compressed bytes and be decoded there (`decodeRaw`). The compressed size cap was applied while
 * reading; the decompressed one travels with it.
 */
export interface RawBody {
  bytes: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
  maxDecodedBytes: number;
}

/** A FetchResult whose body is left raw (see `boundedGetRaw`). */
export type RawFetchResult =
  | Extract<FetchResult, { status: 'not-modified' }>
  | (Omit<Extract<FetchResult, { status: 'ok' }>, 'body' | 'contentType'> & { raw: RawBody });

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Drop a response body we will not read (destroying emits an 'error' that must not go unhandled). */
function discard(body: { on(ev: 'error', fn: (e: unknown) => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseHttpUrl(url: string, base?: string | URL): URL {
  let u: URL;
  try {
    u = new URL(url.trim(), base);
  } catch (e) {
    throw new FeedError('bad_url', `invalid URL: ${url.slice(0, 200)}`, { cause: e });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FeedError('bad_url', `unsupported scheme ${u.protocol}`);
  }
  if (!u.hostname) throw new FeedError('bad_url', `URL without host: ${url.slice(0, 200)}`);
  u.hash = '';
  return u;
}

/** Freshness lifetime from Cache-Control max-age, else Expires − Date. */
export function maxAgeFromHeaders(headers: Headers, now = Date.now()): number | undefined {
  const cc = header(headers, 'cache-control');
  if (cc) {
    const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/i.exec(cc);
    if (m?.[1]) return Number(m[1]) * 1000;
  }
  const expires = header(headers, 'expires');
  if (expires) {
    const exp = Date.parse(expires);
    if (Number.isNaN(exp)) return 0; // invalid Expires means "already expired"
    const date = Date.parse(header(headers, 'date') ?? '');
    return Math.max(0, exp - (Number.isNaN(date) ? now : date));
  }
  return undefined;
}

/** Retry-After as ms from now (delta-seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: Headers, now = Date.now()): number | undefined {
  const ra = header(headers, 'retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

class ByteCounter extends Transform {
  private seen = 0;
  constructor(
    private readonly max: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) cb(new FeedError('too_large', `${this.what} body exceeds ${this.max} bytes`));
    else cb(null, chunk);
  }
}

type Coding = 'gzip' | 'deflate' | 'br';

/** The codings of a Content-Encoding header in the order they are undone. Throws on one we cannot undo. */
function codings(contentEncoding: string | undefined): Coding[] {
  if (!contentEncoding) return [];
  return contentEncoding
    .toLowerCase()
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'identity')
    .reverse()
    .map((c) => {
      if (c === 'gzip' || c === 'x-gzip') return 'gzip';
      if (c === 'deflate' || c === 'br') return c;
      throw new FeedError('network', `unsupported content-encoding ${c}`);
    });
}

function decoders(contentEncoding: string | undefined): Transform[] {
  return codings(contentEncoding).map((c) =>
    c === 'gzip' ? zlib.createGunzip() : c === 'deflate' ? zlib.createInflate() : zlib.createBrotliDecompress(),
  );
}

/**
 * The text of a raw body: decompressed (stopping as soon as it outgrows `maxDecodedBytes`, so a gzip bomb
 * stops early here too), then decoded as `decodeBody` does. Synchronous, for a worker thread. Throws
 * FeedError.
 */
export function decodeRaw(raw: RawBody): string {
  let bytes = raw.bytes;
  const tooLarge = () => new FeedError('too_large', `decoded body exceeds ${raw.maxDecodedBytes} bytes`);
  for (const c of codings(raw.contentEncoding)) {
    const opts = { maxOutputLength: raw.maxDecodedBytes };
    try {
      bytes = c === 'gzip' ? zlib.gunzipSync(bytes, opts) : c === 'deflate' ? zlib.inflateSync(bytes, opts) : zlib.brotliDecompressSync(bytes, opts);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw new FeedError('network', `network error: bad ${c} body (${(e as Error).message})`, { cause: e });
    }
  }
  if (bytes.length > raw.maxDecodedBytes) throw tooLarge();
  return decodeBody(bytes, raw.contentType);
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'ENODATA', 'EAI_NONAME']);

function findFeedError(e: unknown, depth = 0): FeedError | undefined {
  if (e instanceof FeedError) return e;
  if (depth > 4 || !e || typeof e !== 'object') return undefined;
  return findFeedError((e as { cause?: unknown }).cause, depth + 1);
}

/** Map anything thrown while fetching to a FeedError. */
export function toFeedError(e: unknown, signal?: AbortSignal): FeedError {
  const fe = findFeedError(e);
  if (fe) return fe;
  if (signal?.aborted && signal.reason instanceof FeedError) return signal.reason;
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TIMEOUT_CODES.has(code)) return new FeedError('timeout', `timed out (${code})`, { cause: e });
      if (DNS_CODES.has(code)) return new FeedError('dns', `DNS failure (${code})`, { cause: e });
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new FeedError('network', `network error: ${msg}`, { cause: e });
}

/** A bounded GET. `accept` is the Accept header. */
export async function boundedGet(url: string, opts: FetchOptions, accept: string): Promise<FetchResult> {
  return (await limited(url, opts, accept, false)) as FetchResult;
}

/** `boundedGet` that leaves the body compressed and undecoded (`decodeRaw` finishes it, on any thread). */
export async function boundedGetRaw(url: string, opts: FetchOptions, accept: string): Promise<RawFetchResult> {
  return (await limited(url, opts, accept, true)) as RawFetchResult;
}

function limited(url: string, opts: FetchOptions, accept: string, raw: boolean): Promise<FetchResult | RawFetchResult> {
  const start = parseHttpUrl(url);
  if (opts.limiter) return opts.limiter.run(start.host, () => boundedGetNow(start, opts, accept, raw));
  return boundedGetNow(start, opts, accept, raw);
}

async function boundedGetNow(start: URL, opts: FetchOptions, accept: string, raw: boolean): Promise<FetchResult | RawFetchResult> {
  const limits: FetchLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const check = !opts.trusted && !opts.allowPrivate;
  const lookup = opts.lookup ?? systemLookup;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new FeedError('timeout', `no complete response within ${limits.totalTimeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, limits.totalTimeoutMs);
  });
  // A fetch without the address check may use the caller's kept-alive connections.
  const shared = check ? undefined : opts.pool;
  const agent =
    shared ??
    new Agent({
      connect: {
        timeout: limits.connectTimeoutMs,
        // Only hand a lookup to net.connect when we need one: the check, or an injected resolver.
        ...(check || opts.lookup ? { lookup: guardedLookup(lookup, check, opts.isBlocked) } : {}),
      },
      headersTimeout: limits.totalTimeoutMs,
      bodyTimeout: limits.totalTimeoutMs,
      connections: 1,
      pipelining: 1,
    });
  try {
    return await Promise.race([run(start, opts, accept, limits, check, agent, controller.signal, raw), deadline]);
  } catch (e) {
    throw toFeedError(e, controller.signal);
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(new FeedError('network', 'request finished'));
    if (!shared) agent.destroy().catch(() => {});
  }
}

async function run(
  start: URL,
  opts: FetchOptions,
  accept: string,
  limits: FetchLimits,
  check: boolean,
  agent: Agent,
  signal: AbortSignal,
  raw: boolean,
): Promise<FetchResult | RawFetchResult> {
  let current = start;
  const visited = new Set<string>();
  for (let hop = 0; ; hop++) {
    if (check) assertPublicLiteral(current.hostname, opts.isBlocked);
    visited.add(current.href);
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
      accept: opts.accept ?? accept,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

    const res = await request(current, { method: 'GET', headers, dispatcher: agent, signal });
    const h = res.headers as Headers;
    const status = res.statusCode;

    if (REDIRECTS.has(status)) {
      discard(res.body);
      const location = header(h, 'location');
      if (!location) throw new FeedError('network', `redirect ${status} without Location from ${current.href}`);
      const next = parseHttpUrl(location, current);
      if (visited.has(next.href)) throw new FeedError('redirect_loop', `redirect loop at ${next.href}`);
      if (hop + 1 > limits.maxRedirects) {
        throw new FeedError('too_many_redirects', `more than ${limits.maxRedirects} redirects`);
      }
      current = next;
      continue;
    }

    const etag = header(h, 'etag');
    const lastModified = header(h, 'last-modified');
    const maxAgeMs = maxAgeFromHeaders(h);
    const meta = {
      url: current.href,
      ...(etag !== undefined ? { etag } : {}),
      ...(lastModified !== undefined ? { lastModified } : {}),
      ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
    };

    if (status === 304) {
      discard(res.body);
      return {
        status: 'not-modified',
        ...meta,
        ...(meta.etag === undefined && opts.etag ? { etag: opts.etag } : {}),
        ...(meta.lastModified === undefined && opts.lastModified ? { lastModified: opts.lastModified } : {}),
      };
    }
    if (status >= 400) {
      discard(res.body);
      const retryAfterMs = retryAfterFromHeaders(h);
      const code = status >= 500 ? 'http_5xx' : 'http_4xx';
      throw new FeedError(code, `HTTP ${status} from ${current.href}`, {
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    if (status < 200 || status >= 300) {
      discard(res.body);
      throw new FeedError('network', `unexpected HTTP ${status} from ${current.href}`, { status });
    }

    const declared = Number(header(h, 'content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      discard(res.body);
      throw new FeedError('too_large', `Content-Length ${declared} exceeds ${limits.maxBytes} bytes`);
    }
    const contentEncoding = header(h, 'content-encoding');
    let decs: Transform[];
    try {
      decs = decoders(contentEncoding);
    } catch (e) {
      discard(res.body);
      throw e;
    }
    const chunks: Buffer[] = [];
    const collect = async function (source: AsyncIterable<Buffer>): Promise<void> {
      for await (const chunk of source) chunks.push(chunk);
    };
    // The array overload of pipeline is not typed for an async-function sink.
    await (pipeline as unknown as (...args: unknown[]) => Promise<void>)(
      res.body,
      new ByteCounter(limits.maxBytes, 'compressed'),
      ...(raw ? [] : [...decs, new ByteCounter(limits.maxDecodedBytes, 'decoded')]),
      collect,
      { signal },
    );
    const contentType = header(h, 'content-type');
    if (raw) {
      const body: RawBody = { bytes: Buffer.concat(chunks), maxDecodedBytes: limits.maxDecodedBytes };
      if (contentEncoding !== undefined) body.contentEncoding = contentEncoding;
      if (contentType !== undefined) body.contentType = contentType;
      return { status: 'ok', ...meta, raw: body };
    }
    const body = decodeBody(Buffer.concat(chunks), contentType);
    return { status: 'ok', ...meta, body, ...(contentType !== undefined ? { contentType } : {}) };
  }
}

/**
 * Caps concurrent work overall and per key (host). FIFO, but a waiter whose host is full does not
 * hold back waiters for other hosts.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly perKey = new Map<string, number>();
  private readonly queue: { key: string; start: () => void }[] = [];

  constructor(readonly limits: { overall: number; perHost: number } = { overall: 8, perHost: 2 }) {}

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.active++;
        this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
        let p: Promise<T>;
        try {
          p = fn();
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(resolve, reject).finally(() => {
          this.active--;
          const n = (this.perKey.get(key) ?? 1) - 1;
          if (n <= 0) this.perKey.delete(key);
          else this.perKey.set(key, n);
          this.pump();
        });
      };
      this.queue.push({ key, start });
      this.pump();
    });
  }

  /** Currently running / waiting. */
  get stats(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.queue.length };
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length && this.active < this.limits.overall; ) {
      const w = this.queue[i]!;
      if ((this.perKey.get(w.key) ?? 0) < this.limits.perHost) {
        this.queue.splice(i, 1);
        w.start();
      } else i++;
    }
  }
}
