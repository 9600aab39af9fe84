import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { replyHtml } from '../util.js';
import { auditFeature } from './audit.js';
import { broadcastFeature } from './broadcast.js';
import { feedsFeature } from './feeds.js';
import { statsFeature } from './stats.js';

export const ADMIN_COMMANDS = ['broadcast', 'stats', 'feeds', 'addfeed', 'removefeed', 'pollnow', 'disablefeed', 'enablefeed', 'exportfeeds', 'audit'];

/** Admin commands behind one guard; everyone else gets a polite refusal and nothing happens. */
export function adminFeature(deps: BotDeps) {
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.adminIds.includes(ctx.from.id);
  const c = new Composer<BotContext>();

  c.command(ADMIN_COMMANDS, async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    ctx.logger.info({ userId: ctx.from?.id, command: ctx.msg.text?.split(' ')[0] }, 'admin command refused');
    await replyHtml(ctx, ctx.t('admin-only'));
  });
  c.callbackQuery([/^bc:/, /^fd:/], async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    await ctx.answerCallbackQuery({ text: ctx.t('admin-only'), show_alert: true });
  });

  c.use(broadcastFeature(deps));
  c.use(statsFeature(deps));
  c.use(feedsFeature(deps));
  c.use(auditFeature(deps));
  return c;
}
