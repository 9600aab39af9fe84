import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Logger } from 'pino';

/** The context every handler sees: grammY's, with i18n and a per-update child logger. */
export type BotContext = Context & I18nFlavor & { logger: Logger };
