import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from 'grammy';
import pino from 'pino';
import { afterAll } from 'vitest';
import { Outbox } from '../../src/delivery/outbox.js';
import { Sender } from '../../src/delivery/sender.js';
import { Profiles } from '../../src/profiles.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import { TEST_BOT_INFO } from '../helpers/recorded-api.js';
import { type MakeDeliverySystem, runQueueContract } from './queue-contract.js';

const logger = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'nabaa-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The embedded queue: Outbox on a keyv store + Sender, as src/app.ts wires them. */
function embedded(storeUrl: () => string): MakeDeliverySystem {
  return async ({ apiRoot, token, globalRate }) => {
    const factory = await createKeyvFactory(storeUrl());
    const stores = createStores(factory);
    // Unknown chats have no profile, so a 403 deactivates them at once (Profiles.strike → Infinity).
    const profiles = new Profiles(stores.chats, { locale: 'ar', now: Date.now });
    const outbox = new Outbox(stores.outbox);
    await outbox.load();
    const bot = new Bot(token, { botInfo: TEST_BOT_INFO, client: { apiRoot } });
    const sender = new Sender({ api: bot.api, outbox, chats: profiles, logger, ...(globalRate ? { globalRate } : {}) });
    return {
      enqueue: (d) => outbox.enqueue(d),
      start: () => sender.start(),
      async stop() {
        await sender.stop();
        await outbox.close();
        await factory.close();
      },
    };
  };
}

let n = 0;
runQueueContract('outbox on memory://', embedded(() => 'memory://'));
runQueueContract('outbox on sqlite://', embedded(() => `sqlite://${join(dir, `contract-${++n}.sqlite`)}`));
