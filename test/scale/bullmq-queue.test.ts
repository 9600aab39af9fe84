/** The BullMQ delivery queue passes the same contract as the embedded outbox (test/delivery/queue-contract.ts). */
import { Bot } from 'grammy';
import pino from 'pino';
import { describe } from 'vitest';
import { BullDeliveryQueue, BullDeliveryWorker } from '../../src/delivery/bullmq-queue.js';
import { Profiles } from '../../src/profiles.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import { type MakeDeliverySystem, runQueueContract } from '../delivery/queue-contract.js';
import { TEST_BOT_INFO } from '../helpers/recorded-api.js';
import { deletePrefix, randomPrefix, redisForSuite } from '../helpers/redis.js';

const redis = await redisForSuite('BullMQ delivery queue contract');
const logger = pino({ level: 'silent' });

/** Producer + `workers` worker processes' worth of consumers on one fresh key prefix. */
export function bullmq(workers: number): MakeDeliverySystem {
  return async ({ apiRoot, token, globalRate }) => {
    const prefix = `${redis!.prefix}${randomPrefix()}`;
    const factory = await createKeyvFactory('memory://');
    const profiles = new Profiles(createStores(factory).chats, { locale: 'ar', now: Date.now });
    const producer = await new BullDeliveryQueue({ redisUrl: redis!.url, prefix, logger }).ready();
    const consumers = Array.from({ length: workers }, (_, i) => {
      const bot = new Bot(token, { botInfo: TEST_BOT_INFO, client: { apiRoot } });
      return new BullDeliveryWorker({ redisUrl: redis!.url, prefix, logger, api: bot.api, chats: profiles, id: `w${i}`, ...(globalRate ? { globalRate } : {}) });
    });
    return {
      enqueue: (d) => producer.enqueue(d),
      start: async () => void (await Promise.all(consumers.map((c) => c.start()))),
      async stop() {
        await Promise.all(consumers.map((c) => c.stop()));
        await producer.close();
        await factory.close();
        await deletePrefix(redis!.url, prefix);
      },
    };
  };
}

// Without Redis, redisForSuite has printed why (and failed the file under CI=true).
describe.skipIf(!redis)('BullMQ delivery queue contract', () => {
  runQueueContract('bullmq, one worker', bullmq(1));
  runQueueContract('bullmq, three workers', bullmq(3));
});
