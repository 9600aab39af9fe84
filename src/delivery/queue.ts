import type { Delivery } from '../types.js';

/**
 * What producers of deliveries (ingest, digests, broadcasts, notices, /stats) need from a delivery
 * queue. Two real implementations: the embedded Outbox on the store (outbox.ts) and the BullMQ queue on
 * Redis (bullmq-queue.ts); both pass test/delivery/queue-contract.ts.
 */
export interface DeliveryQueue {
  /** Resolves once every delivery is durable. */
  enqueue(deliveries: Delivery[]): Promise<void>;
  /** Deliveries not yet accepted by Telegram (as far as this process knows). */
  readonly size: number;
  /** Deliveries of one broadcast still waiting. */
  broadcastPending(broadcastId: string): number;
  /** Cancel a broadcast: its waiting deliveries are removed and returned. */
  dropBroadcast(broadcastId: string): Promise<Delivery[]>;
}
