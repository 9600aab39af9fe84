/** Child processes of the real program for the multi-process test and `npm run bench -- scale`. */
import net from 'node:net';
import { createKeyvFactory } from '../../src/store/keyv.js';
import type { ChatProfile } from '../../src/types.js';
import type { Proc } from '../helpers/process.js';

export { type Proc, spawnNabaa } from '../helpers/process.js';

export async function stopAll(procs: Proc[]): Promise<void> {
  await Promise.all(
    procs.map(async (p) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return;
      p.child.kill('SIGTERM');
      const t = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
      await p.exited;
      clearTimeout(t);
    }),
  );
}

export async function waitFor(pred: () => boolean | Promise<boolean>, timeoutMs: number, what: string, procs: Proc[] = [], everyMs = 25): Promise<number> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) {
      const logs = procs.map((p) => `--- ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode}) ---\n${p.output().slice(-3000)}`).join('\n');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Date.now() - t0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** What Telegram does in webhook mode: POST the update with the secret-token header. */
export async function postUpdate(url: string, secret: string | undefined, update: unknown): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  return res.status;
}

export function chatProfile(id: number, extra: Partial<ChatProfile> = {}): ChatProfile {
  return { id, type: 'private', locale: 'ar', active: true, strikes: 0, topics: ['culture'], places: [], keywords: [], createdAt: Date.now(), ...extra };
}

/** Write `ids.length` chat profiles straight into the Redis store. */
export async function seedChats(storeUrl: string, ids: number[], extra: Partial<ChatProfile> = {}): Promise<void> {
  const f = await createKeyvFactory(storeUrl);
  try {
    const chats = f.open('chats');
    for (let i = 0; i < ids.length; i += 1000) {
      await chats.setMany(ids.slice(i, i + 1000).map((id) => ({ key: String(id), value: chatProfile(id, extra) })));
    }
  } finally {
    await f.close();
  }
}

/** FLUSHDB on one dedicated db index (never FLUSHALL). */
export async function flushDb(url: string): Promise<void> {
  const { createClient } = await import('@keyv/redis');
  const c = createClient({ url });
  c.on('error', () => undefined);
  await c.connect();
  await c.flushDb();
  c.destroy();
}

/** `redis://host:port` → `redis://host:port/<db>`. */
export function withDb(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
