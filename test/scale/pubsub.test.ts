import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Profiles } from '../../src/profiles.js';
import { startProfileSync } from '../../src/scale/pubsub.js';
import { createKeyvFactory, type KeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import { deletePrefix, FlakyProxy, redisForSuite } from '../helpers/redis.js';

const redis = await redisForSuite('profile changes over Redis pub/sub');
const logger = pino({ level: 'silent' });

async function until(pred: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - t0;
}

const article = (placeIds: string[], topics: string[] = []) => ({ placeIds, topics: topics as never, tokens: [] });

describe.skipIf(!redis)('profile changes reach every process’s match index', () => {
  const prefix = redis?.prefix ?? '';
  const factories: KeyvFactory[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    for (const f of factories) await f.close();
    await deletePrefix(redis!.url, prefix);
  });

  /** One "process": its own connection, stores, Profiles and subscription. */
  async function proc(url = redis!.url) {
    const f = await createKeyvFactory(url, { prefix, connectTimeoutMs: 2000 });
    factories.push(f);
    const stores = createStores(f);
    const profiles = new Profiles(stores.chats, { locale: 'ar', now: Date.now });
    await profiles.load();
    const delays: number[] = [];
    const sync = await startProfileSync({ redis: f.redis!, prefix, profiles, chats: stores.chats, logger, onApplied: (_c, d) => delays.push(d) });
    closers.push(() => sync.close());
    return { profiles, sync, delays };
  }

  it('a /subscribe in one process makes the others match at once; unsubscribe and migrate too', async () => {
    const web = await proc();
    const poller = await proc();
    const worker = await proc();
    await web.profiles.update(42, 'private', (p) => void (p.places = ['sy-hasakah']));
    const took = await until(() => poller.profiles.index.match(article(['sy-hasakah'])).has(42), 1000);
    await until(() => worker.profiles.get(42)?.places[0] === 'sy-hasakah', 1000);
    expect(took).toBeLessThan(1000);
    expect(poller.delays[0]).toBeLessThan(500);
    // The origin does not apply its own change twice.
    expect(web.sync.applied).toBe(0);

    await web.profiles.update(42, 'private', (p) => void (p.places = []));
    await until(() => !poller.profiles.index.match(article(['sy-hasakah'])).has(42), 1000);

    await worker.profiles.update(-1001, 'group', (p) => void (p.topics = ['sports']));
    await until(() => poller.profiles.get(-1001) !== undefined, 1000);
    await worker.profiles.migrate(-1001, -1009);
    await until(() => poller.profiles.get(-1001) === undefined && web.profiles.get(-1009)?.topics[0] === 'sports', 1000);
    expect(poller.profiles.index.match(article([], ['sports'])).has(-1009)).toBe(true);
    expect(poller.profiles.index.match(article([], ['sports'])).has(-1001)).toBe(false);
  });

  it('a process that missed messages during an outage resynchronises from the store', async () => {
    const proxy = await FlakyProxy.start(redis!.url);
    closers.push(() => proxy.down());
    const web = await proc();
    const cut = await proc(proxy.url(redis!.url));
    await proxy.down();
    await web.profiles.update(77, 'private', (p) => void (p.topics = ['economy']));
    await new Promise((r) => setTimeout(r, 100));
    expect(cut.profiles.get(77)).toBeUndefined(); // missed while cut off
    await proxy.up();
    await until(() => cut.profiles.index.match(article([], ['economy'])).has(77), 5000);
  });
});
