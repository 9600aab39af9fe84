/** Child of bench/scale.ts: applies profile changes from pub/sub and prints each delay as a JSON line. */
import pino from 'pino';
import { Profiles } from '../src/profiles.js';
import { startProfileSync } from '../src/scale/pubsub.js';
import { createKeyvFactory } from '../src/store/keyv.js';
import { createStores } from '../src/store/stores.js';

const url = process.argv[2]!;
const f = await createKeyvFactory(url);
const stores = createStores(f);
const profiles = new Profiles(stores.chats, { locale: 'ar', now: Date.now });
await profiles.load();
await startProfileSync({
  redis: f.redis!,
  profiles,
  chats: stores.chats,
  logger: pino({ level: 'silent' }),
  onApplied: (change, delayMs) => {
    // Applied to the index: the matcher sees it from now on.
    const matched = profiles.index.match({ placeIds: ['sy-hasakah'], topics: [], tokens: [] }).has(change.id);
    process.stdout.write(`${JSON.stringify({ id: change.id, delayMs, at: Date.now(), matched })}\n`);
  },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
