import type { Logger } from 'pino';
import type { Outbox } from '../delivery/outbox.js';
import type { AuditLog } from '../ops/audit.js';
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
  outbox: Outbox;
  gazetteer: Gazetteer;
  logger: Logger;
  audit: AuditLog;
  poller?: Poller;
  sender?: Sender;
  now?: () => number;
}
