import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '../../src/sources/errors.js';
import { ConcurrencyLimiter, decodeRaw, fetchFeed, fetchFeedRaw, fetchText, type FetchOptions } from '../../src/sources/fetch-feed.js';
import { createFetchPool } from '../../src/sources/http.js';
import { parseFeed } from '../../src/sources/parse-feed.js';
import { isBlockedAddress, type LookupFn } from '../../src/sources/ssrf.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

/** Encode text in a single-byte charset (the inverse of TextDecoder for that label). */
function encodeSingleByte(text: string, label: string): Buffer {
  const dec = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const ch = dec.decode(Uint8Array.of(b));
    if (ch !== '\ufffd' && !table.has(ch)) table.set(ch, b);
  }
  return Buffer.from(
    [...text].map((ch) => {
      const b = table.get(ch);
      if (b === undefined) throw new Error(`cannot encode ${ch} in ${label}`);
      return b;
    }),
  );
}

async function expectFeedError(p: Promise<unknown>, code: string): Promise<FeedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedError);
  expect((err as FeedError).code).toBe(code);
  return err as FeedError;
}

const trusted: FetchOptions = { trusted: true };
const ARABIC_TITLE = 'انفجار في مرفأ بيروت';
const cp1256Feed = `<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0"><channel><title>صحيفة عربية</title><link>https://old.example/</link>
<item><title>${ARABIC_TITLE}</title><link>https://old.example/n/1</link><description>أفادت مصادر أمنية بوقوع انفجار.</description></item>
</channel></rss>`;

let srv: FeedServer;
beforeAll(async () => {
  srv = await startFeedServer({
    '/rss': { headers: { 'content-type': 'application/rss+xml; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: fixture('rss2.xml') },
    '/cp1256': { headers: { 'content-type': 'application/xml' }, body: encodeSingleByte(cp1256Feed, 'windows-1256') },
    '/iso-8859-6': {
      headers: { 'content-type': 'text/xml; charset=ISO-8859-6' },
      body: encodeSingleByte(cp1256Feed.replace('windows-1256', 'utf-8'), 'iso-8859-6'),
    },
    '/bom': { headers: { 'content-type': 'application/rss+xml' }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixture('rss2.xml'))]) },
    '/meta-html': {
      headers: { 'content-type': 'text/html' },
      body: encodeSingleByte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body><p>${ARABIC_TITLE}</p></body></html>`, 'windows-1256'),
    },
    '/gzip': { headers: { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }, body: gzipSync(fixture('rss2.xml')) },
    '/broken': { headers: { 'content-type': 'application/rss+xml' }, body: fixture('broken.xml') },
    '/missing': { status: 404, body: 'no' },
    '/busy': { status: 503, headers: { 'retry-after': '120' }, body: 'busy' },
    '/expires': {
      headers: { date: 'Mon, 02 Jun 2025 10:00:00 GMT', expires: 'Mon, 02 Jun 2025 10:10:00 GMT' },
      body: fixture('rss2.xml'),
    },
  });
});
afterAll(async () => {
  await srv.close();
});

describe('fetchFeed: happy path and decoding', () => {
  it('fetches, decodes and parses an RSS feed, reporting freshness', async () => {
    const res = await fetchFeed(`${srv.url}/rss`, trusted);
    expect(res.status).toBe('ok');
    if (res.status !== 'ok') return;
    expect(res.url).toBe(`${srv.url}/rss`);
    expect(res.maxAgeMs).toBe(300_000);
    expect(res.contentType).toContain('rss');
    const feed = parseFeed(res.body, { sourceId: 's', baseUrl: res.url });
    expect(feed.items[0]?.title).toBe('وزير الخارجية السوري يصل إلى عمّان في زيارة رسمية');
    const h = srv.requests('/rss')[0]!;
    expect(h['accept']).toContain('application/rss+xml');
    expect(h['accept-encoding']).toContain('gzip');
    expect(h['user-agent']).toMatch(/Nabaa/);
  });

  it('computes maxAge from Expires relative to Date', async () => {
    const res = await fetchFeed(`${srv.url}/expires`, trusted);
    expect(res.maxAgeMs).toBe(600_000);
  });

  it('decodes windows-1256 declared only in the XML prolog', async () => {
    const res = await fetchFeed(`${srv.url}/cp1256`, trusted);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.body).toContain(ARABIC_TITLE);
    const feed = parseFeed(res.body, { sourceId: 'old', baseUrl: res.url });
    expect(feed.title).toBe('صحيفة عربية');
    expect(feed.items[0]?.title).toBe(ARABIC_TITLE);
    expect(feed.items[0]?.text).toBe('أفادت مصادر أمنية بوقوع انفجار.');
  });

  it('decodes ISO-8859-6 named in the Content-Type header (over the prolog)', async () => {
    const res = await fetchFeed(`${srv.url}/iso-8859-6`, trusted);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(parseFeed(res.body, { sourceId: 'x', baseUrl: res.url }).items[0]?.title).toBe(ARABIC_TITLE);
  });

  it('strips a UTF-8 BOM', async () => {
    const res = await fetchFeed(`${srv.url}/bom`, trusted);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.body.charCodeAt(0)).toBe('<'.charCodeAt(0));
    expect(parseFeed(res.body, { sourceId: 'x', baseUrl: res.url }).items.length).toBeGreaterThan(0);
  });

  it('uses <meta> charset for HTML pages', async () => {
    const res = await fetchText(`${srv.url}/meta-html`, trusted);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.body).toContain(ARABIC_TITLE);
    expect(srv.requests('/meta-html')[0]!['accept']).toContain('text/html');
  });

  it('decompresses gzip', async () => {
    const res = await fetchFeed(`${srv.url}/gzip`, trusted);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.body).toContain('أخبار الشرق');
  });

  it('raw, then decoded elsewhere (the poller hands the raw body to a worker): the same text as fetchFeed', async () => {
    srv.setRoute('/deflate', { headers: { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' }, body: deflateSync(fixture('rss2.xml')) });
    srv.setRoute('/br', { headers: { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }, body: brotliCompressSync(fixture('rss2.xml')) });
    for (const path of ['/rss', '/cp1256', '/iso-8859-6', '/bom', '/gzip', '/deflate', '/br']) {
      const raw = await fetchFeedRaw(`${srv.url}${path}`, trusted);
      const decoded = await fetchFeed(`${srv.url}${path}`, trusted);
      if (raw.status !== 'ok' || decoded.status !== 'ok') throw new Error('expected ok');
      expect(decodeRaw(raw.raw), path).toBe(decoded.body);
    }
    const gz = await fetchFeedRaw(`${srv.url}/gzip`, trusted);
    if (gz.status !== 'ok') throw new Error('expected ok');
    expect(gz.raw.bytes.length).toBe(gzipSync(fixture('rss2.xml')).length); // still compressed
  });

  it('raw: a gzip bomb is too_large when decoded, stopping early; a corrupt body is a network error', async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
    srv.setRoute('/bomb-raw', { headers: { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }, body: bomb });
    const res = await fetchFeedRaw(`${srv.url}/bomb-raw`, { trusted: true, limits: { maxDecodedBytes: 2 * 1024 * 1024 } });
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.raw.maxDecodedBytes).toBe(2 * 1024 * 1024);
    await expectFeedError(Promise.resolve().then(() => decodeRaw(res.raw)), 'too_large');
    await expectFeedError(Promise.resolve().then(() => decodeRaw({ bytes: Buffer.alloc(3 * 1024 * 1024, 0x41), maxDecodedBytes: 2 * 1024 * 1024 })), 'too_large');
    await expectFeedError(Promise.resolve().then(() => decodeRaw({ bytes: Buffer.from('not gzip at all'), contentEncoding: 'gzip', maxDecodedBytes: 1024 })), 'network');
    srv.setRoute('/zstd', { headers: { 'content-encoding': 'zstd' }, body: 'x' });
    await expectFeedError(fetchFeedRaw(`${srv.url}/zstd`, trusted), 'network');
  });

  it('returns broken XML as text; the parser names it bad_xml', async () => {
    const res = await fetchFeed(`${srv.url}/broken`, trusted);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(() => parseFeed(res.body, { sourceId: 'b', baseUrl: res.url })).toThrowError(
      expect.objectContaining({ code: 'bad_xml' }),
    );
  });
});

describe('fetchFeed: conditional GET', () => {
  it('sends If-None-Match / If-Modified-Since and reports a 304 run', async () => {
    const etag = '"v1-abc"';
    const lastModified = 'Mon, 02 Jun 2025 09:00:00 GMT';
    srv.setRoute('/cond', (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'cache-control': 'max-age=60' }).end();
        return;
      }
      res.writeHead(200, { etag, 'last-modified': lastModified, 'content-type': 'application/rss+xml' }).end(fixture('rss2.xml'));
    });
    const first = await fetchFeed(`${srv.url}/cond`, trusted);
    expect(first.status).toBe('ok');
    expect(first.etag).toBe(etag);
    expect(first.lastModified).toBe(lastModified);
    for (let i = 0; i < 3; i++) {
      const again = await fetchFeed(`${srv.url}/cond`, { trusted: true, etag: first.etag!, lastModified: first.lastModified! });
      expect(again).toMatchObject({ status: 'not-modified', etag, lastModified, maxAgeMs: 60_000 });
    }
    const reqs = srv.requests('/cond');
    expect(reqs).toHaveLength(4);
    expect(reqs[0]!['if-none-match']).toBeUndefined();
    expect(reqs[3]!['if-none-match']).toBe(etag);
    expect(reqs[3]!['if-modified-since']).toBe(lastModified);
  });
});

describe('fetchFeed: named errors', () => {
  it('http_4xx and http_5xx carry the status and Retry-After', async () => {
    const e404 = await expectFeedError(fetchFeed(`${srv.url}/missing`, trusted), 'http_4xx');
    expect(e404.status).toBe(404);
    const e503 = await expectFeedError(fetchFeed(`${srv.url}/busy`, trusted), 'http_5xx');
    expect(e503.status).toBe(503);
    expect(e503.retryAfterMs).toBe(120_000);
  });

  it('bad_url for garbage and non-http schemes', async () => {
    await expectFeedError(fetchFeed('not a url', trusted), 'bad_url');
    await expectFeedError(fetchFeed('ftp://example.com/feed', trusted), 'bad_url');
    await expectFeedError(fetchFeed('file:///etc/passwd', { trusted: false }), 'bad_url');
  });

  it('dns when the lookup fails', async () => {
    const lookup: LookupFn = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
    };
    await expectFeedError(fetchFeed('http://nowhere.invalid/feed', { trusted: false, lookup }), 'dns');
    await expectFeedError(fetchFeed('http://nowhere.invalid/feed', { trusted: true, lookup }), 'dns');
  });

  it('network when the connection is refused', async () => {
    const tmp = await startFeedServer();
    const url = `${tmp.url}/rss`;
    await tmp.close();
    await expectFeedError(fetchFeed(url, trusted), 'network');
  });

  it('too_large for a 50 MB streamed body, stopping early', async () => {
    let sent = 0;
    let closedEarly = false;
    srv.setRoute('/huge', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }); // chunked, no Content-Length
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const total = 50 * 1024 * 1024;
      res.on('close', () => {
        closedEarly = sent < total;
      });
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const t0 = Date.now();
    await expectFeedError(fetchFeed(`${srv.url}/huge`, { trusted: true, limits: { maxBytes: 1024 * 1024 } }), 'too_large');
    expect(Date.now() - t0).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(closedEarly).toBe(true);
    expect(sent).toBeLessThan(50 * 1024 * 1024);
  });

  it('too_large from Content-Length before reading', async () => {
    srv.setRoute('/declared', (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
      // never finishes; the client must give up on the header alone
    });
    await expectFeedError(fetchFeed(`${srv.url}/declared`, { trusted: true, limits: { maxBytes: 1024 * 1024, totalTimeoutMs: 3_000 } }), 'too_large');
  });

  it('too_large for a gzip bomb (100 MB of zeros), stopping early', async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    srv.setRoute('/bomb', { headers: { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }, body: bomb });
    const t0 = Date.now();
    await expectFeedError(fetchFeed(`${srv.url}/bomb`, { trusted: true, limits: { maxDecodedBytes: 2 * 1024 * 1024 } }), 'too_large');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('timeout for a server that never finishes the body', async () => {
    srv.setRoute('/slow-body', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      // ...and nothing more
    });
    const t0 = Date.now();
    await expectFeedError(fetchFeed(`${srv.url}/slow-body`, { trusted: true, limits: { totalTimeoutMs: 300 } }), 'timeout');
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('timeout for a server that never sends headers', async () => {
    srv.setRoute('/slow-head', () => {
      /* never respond */
    });
    const t0 = Date.now();
    await expectFeedError(fetchFeed(`${srv.url}/slow-head`, { trusted: true, limits: { totalTimeoutMs: 300 } }), 'timeout');
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('timeout when the TCP connection is never accepted (the connect bound, well before the total)', async () => {
    // A listener whose process never accepts: once its accept queue is full, the kernel drops new SYNs,
    // so a connect hangs as it would to an unreachable host.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "const s = require('net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => { " +
          "process.stdout.write(s.address().port + '\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const fillers: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
        child.once('exit', (code) => reject(new Error(`listener exited (${code})`)));
      });
      for (let i = 0; i < 4; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => {}));
      const t0 = Date.now();
      await expectFeedError(
        fetchFeed(`http://127.0.0.1:${port}/feed`, { trusted: true, limits: { connectTimeoutMs: 300, totalTimeoutMs: 10_000 } }),
        'timeout',
      );
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      for (const f of fillers) f.destroy();
      child.kill('SIGKILL');
    }
  });

  it('timeout when the DNS lookup hangs', async () => {
    const lookup: LookupFn = () => new Promise(() => {});
    const t0 = Date.now();
    await expectFeedError(
      fetchFeed('http://hang.example/feed', { trusted: false, lookup, limits: { totalTimeoutMs: 300, connectTimeoutMs: 200 } }),
      'timeout',
    );
    expect(Date.now() - t0).toBeLessThan(1_500);
  });
});

describe('fetchFeed: redirects', () => {
  it('follows redirects and reports the final URL', async () => {
    srv.setRoute('/r1', { status: 301, headers: { location: '/r2' } });
    srv.setRoute('/r2', { status: 302, headers: { location: `${srv.url}/rss` } });
    const res = await fetchFeed(`${srv.url}/r1`, trusted);
    expect(res.status).toBe('ok');
    expect(res.url).toBe(`${srv.url}/rss`);
  });

  it('redirect_loop', async () => {
    srv.setRoute('/loop-a', { status: 302, headers: { location: '/loop-b' } });
    srv.setRoute('/loop-b', { status: 302, headers: { location: '/loop-a' } });
    await expectFeedError(fetchFeed(`${srv.url}/loop-a`, trusted), 'redirect_loop');
  });

  it('too_many_redirects beyond the limit', async () => {
    for (let i = 0; i < 8; i++) srv.setRoute(`/hop${i}`, { status: 307, headers: { location: `/hop${i + 1}` } });
    srv.setRoute('/hop8', { body: fixture('rss2.xml') });
    await expectFeedError(fetchFeed(`${srv.url}/hop0`, { trusted: true, limits: { maxRedirects: 5 } }), 'too_many_redirects');
    const ok = await fetchFeed(`${srv.url}/hop0`, { trusted: true, limits: { maxRedirects: 8 } });
    expect(ok.status).toBe('ok');
  });
});

describe('SSRF guard', () => {
  it('blocks an untrusted URL to 127.0.0.1 without connecting', async () => {
    const before = srv.hits('/rss');
    await expectFeedError(fetchFeed(`${srv.url}/rss`, { trusted: false }), 'blocked_address');
    expect(srv.hits('/rss')).toBe(before);
  });

  it('blocks a public-looking host that resolves to 10.0.0.1', async () => {
    const lookup: LookupFn = async () => [{ address: '10.0.0.1', family: 4 }];
    await expectFeedError(fetchFeed('http://news.example.com/feed', { trusted: false, lookup }), 'blocked_address');
  });

  it('blocks when any resolved address is private, and metadata addresses', async () => {
    const mixed: LookupFn = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    await expectFeedError(fetchFeed('http://mixed.example/feed', { trusted: false, lookup: mixed }), 'blocked_address');
    await expectFeedError(fetchFeed('http://169.254.169.254/latest/meta-data/', { trusted: false }), 'blocked_address');
    await expectFeedError(fetchFeed('http://[fd00:ec2::254]/', { trusted: false }), 'blocked_address');
    await expectFeedError(fetchFeed('http://[::ffff:127.0.0.1]/', { trusted: false }), 'blocked_address');
  });

  it('connects to the checked address (the lookup result), for the happy path with allowPrivate', async () => {
    let calls = 0;
    const lookup: LookupFn = async (host) => {
      calls++;
      expect(host).toBe('feeds.example.org');
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const res = await fetchFeed(`http://feeds.example.org:${srv.port}/rss`, { trusted: false, allowPrivate: true, lookup });
    expect(res.status).toBe('ok');
    expect(calls).toBe(1);
    expect(srv.requests('/rss').at(-1)!['host']).toBe(`feeds.example.org:${srv.port}`);
  });

  it('checks again after a redirect: allowed host → 127.0.0.1 is blocked', async () => {
    srv.setRoute('/to-local', { status: 302, headers: { location: `${srv.url}/rss` } });
    // The test policy treats allowed.example as public (it is served from 127.0.0.1 here).
    const isBlocked = (ip: string, host: string) => host !== 'allowed.example' && isBlockedAddress(ip);
    const lookup: LookupFn = async (host) => {
      if (host === 'allowed.example') return [{ address: '127.0.0.1', family: 4 }];
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const before = srv.hits('/rss');
    await expectFeedError(
      fetchFeed(`http://allowed.example:${srv.port}/to-local`, { trusted: false, lookup, isBlocked }),
      'blocked_address',
    );
    expect(srv.hits('/to-local')).toBeGreaterThan(0);
    expect(srv.hits('/rss')).toBe(before);

    // ...and a redirect to a name that resolves privately is blocked the same way.
    srv.setRoute('/to-private-name', { status: 302, headers: { location: 'http://intranet.example/feed' } });
    const lookup2: LookupFn = async (host) =>
      host === 'allowed.example' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '192.168.1.10', family: 4 }];
    await expectFeedError(
      fetchFeed(`http://allowed.example:${srv.port}/to-private-name`, { trusted: false, lookup: lookup2, isBlocked }),
      'blocked_address',
    );
  });

  it('a shared pool keeps connections for unchecked fetches, never for checked ones', async () => {
    const pool = createFetchPool();
    try {
      const before = srv.connections();
      for (let i = 0; i < 6; i++) expect((await fetchFeed(`${srv.url}/rss`, { trusted: true, pool })).status).toBe('ok');
      // (a fetch sent before the previous connection is idle again may open a second one)
      expect(srv.connections() - before).toBeLessThanOrEqual(2);
      // A checked fetch connects on its own (its lookup checks the address), and a redirect to a blocked
      // address is still refused.
      const isBlocked = (ip: string, host: string) => host !== 'allowed.example' && isBlockedAddress(ip);
      const lookup: LookupFn = async () => [{ address: '127.0.0.1', family: 4 }];
      const mid = srv.connections();
      for (let i = 0; i < 3; i++) {
        expect((await fetchFeed(`http://allowed.example:${srv.port}/rss`, { trusted: false, lookup, isBlocked, pool })).status).toBe('ok');
      }
      expect(srv.connections() - mid).toBe(3);
      await expectFeedError(fetchFeed(`http://allowed.example:${srv.port}/to-local`, { trusted: false, lookup, isBlocked, pool }), 'blocked_address');
    } finally {
      await pool.close();
    }
  });

  it('trusted sources are not checked', async () => {
    const res = await fetchFeed(`${srv.url}/rss`, { trusted: true });
    expect(res.status).toBe('ok');
  });

  it('classifies addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '::ffff:10.0.0.1', '2002:a00:1::1']) {
      expect(isBlockedAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8']) {
      expect(isBlockedAddress(ip), ip).toBe(false);
    }
  });
});

describe('ConcurrencyLimiter', () => {
  it('caps per host and overall, without one host blocking another', async () => {
    const lim = new ConcurrencyLimiter({ overall: 3, perHost: 1 });
    const running = new Map<string, number>();
    let maxOverall = 0;
    let current = 0;
    const order: string[] = [];
    const job = (host: string, ms: number) =>
      lim.run(host, async () => {
        current++;
        running.set(host, (running.get(host) ?? 0) + 1);
        expect(running.get(host)).toBe(1);
        maxOverall = Math.max(maxOverall, current);
        await new Promise((r) => setTimeout(r, ms));
        running.set(host, running.get(host)! - 1);
        current--;
        order.push(host);
        return host;
      });
    const results = await Promise.all([job('a', 40), job('a', 40), job('a', 40), job('b', 5), job('c', 5), job('d', 5)]);
    expect(results).toEqual(['a', 'a', 'a', 'b', 'c', 'd']);
    expect(maxOverall).toBe(3);
    // b, c, d finish before the queued a's
    expect(order.slice(0, 3).sort()).toEqual(['b', 'c']. concat('d').sort());
  });

  it('fetchFeed accepts a limiter', async () => {
    const lim = new ConcurrencyLimiter({ overall: 1, perHost: 1 });
    const all = await Promise.all([1, 2, 3].map(() => fetchFeed(`${srv.url}/rss`, { trusted: true, limiter: lim })));
    expect(all.every((r) => r.status === 'ok')).toBe(true);
  });
});
