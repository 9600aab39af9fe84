import type { Logger } from 'pino';
import type { Broadcasts } from '../delivery/broadcast.js';
import type { DeliveryQueue } from '../delivery/queue.js';
import type { AuditLog } from '../ops/audit.js';
import type { Notices } from '../ops/notices.js';
import type { TimeSeries } from '../ops/timeseries.js';
import type { Sender } from '../delivery/sender.js';
import type { Gazetteer } from '../pipeline/gazetteer.js';
import type { Poller } from '../poller/poller.js';
import type { Profiles } from '../profiles.js';
import type { Stores } from '../store/stores.js';
import type { Locale } from '../types.js';

/** Everything the bot's features need; built once in main.ts (or a test). */
export interface BotDeps {
  adminIds: number[];
  defaultLocale: Locale;
  allowPrivateFeeds: boolean;
  profiles: Profiles;
  stores: Stores;
  outbox: DeliveryQueue;
  gazetteer: Gazetteer;
  logger: Logger;
  audit: AuditLog;
  poller?: Poller;
  /** Outcome counts of whatever sends in this process (the Sender, or a BullMQ worker). */
  sender?: Pick<Sender, 'counts'>;
  now?: () => number;
  /** Admin notices, each cause at most once an hour: `notices.notify(cause, localeId, vars)` (src/ops/notices.ts). */
  notices?: Notices;
  /** Hourly counters behind the /stats chart (src/ops/timeseries.ts). */
  timeseries?: TimeSeries;
  /** Broadcast jobs (src/delivery/broadcast.ts), resumed at start-up; features make their own when absent. */
  broadcasts?: Broadcasts;
  /** config PAID_BROADCAST: admins may send `/broadcast !paid …` (allow_paid_broadcast). Absent = false. */
  paidBroadcast?: boolean;
}
