import { Composer, GrammyError } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';
import { type ManagedChannel, manageKey } from './access.js';

const isAdmin = (status: string) => status === 'creator' || status === 'administrator';

/** A channel reference we cannot use: not found, not an admin, the bot not in it. */
export class ChannelAccessError extends Error {
  override readonly name = 'ChannelAccessError';
  constructor(readonly reason: 'not-found' | 'not-admin' | 'bot-missing') {
    super(`channel access: ${reason}`);
  }
}

/** Check that `userId` administers the channel and the bot may post in it; its id and title. */
export async function checkChannel(ctx: BotContext, chat: number | string, userId: number): Promise<ManagedChannel> {
  let info;
  try {
    info = await ctx.api.getChat(chat);
  } catch (err) {
    if (err instanceof GrammyError) throw new ChannelAccessError('not-found');
    throw err;
  }
  if (info.type !== 'channel') throw new ChannelAccessError('not-found');
  const user = await ctx.api.getChatMember(info.id, userId).catch(() => undefined);
  if (!user || !isAdmin(user.status)) throw new ChannelAccessError('not-admin');
  const me = await ctx.api.getChatMember(info.id, ctx.me.id).catch(() => undefined);
  if (!me || me.status !== 'administrator' || !('can_post_messages' in me) || !me.can_post_messages) {
    throw new ChannelAccessError('bot-missing');
  }
  return { id: info.id, title: info.title ?? String(info.id) };
}

/**
 * Channels are managed from a private chat: `/manage @channel` (or forwarding one of its posts)
 * selects it after checking the user is its admin; following and settings commands then change
 * the channel until `/manage off`.
 */
export function manageFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();
  const pm = c.chatType('private');

  const select = async (ctx: BotContext, ref: number | string) => {
    const from = ctx.from!;
    try {
      const ch = await checkChannel(ctx, ref, from.id);
      await deps.stores.meta.set(manageKey(from.id), ch);
      const existed = deps.profiles.get(ch.id);
      const locale = (await ctx.i18n.getLocale()) as 'ar' | 'en';
      await deps.profiles.update(ch.id, 'channel', (p) => {
        if (!existed) p.locale = locale;
      });
      ctx.logger.info({ userId: from.id, channelId: ch.id }, 'managing channel');
      await replyHtml(ctx, ctx.t('manage-selected', { title: escapeHtml(ch.title) }));
    } catch (err) {
      if (!(err instanceof ChannelAccessError)) throw err;
      await replyHtml(ctx, ctx.t(`manage-error-${err.reason}`));
    }
  };

  pm.command('manage', async (ctx) => {
    const arg = commandArg(ctx);
    if (!arg) {
      const current = await deps.stores.meta.get<ManagedChannel | null>(manageKey(ctx.from.id));
      return void (await replyHtml(ctx, current ? ctx.t('manage-current', { title: escapeHtml(current.title) }) : ctx.t('manage-usage')));
    }
    if (/^(off|stop|إيقاف|خروج)$/i.test(arg)) {
      await deps.stores.meta.set(manageKey(ctx.from.id), null);
      return void (await replyHtml(ctx, ctx.t('manage-off')));
    }
    const ref = /^-100\d+$/.test(arg) ? Number(arg) : arg.startsWith('@') ? arg : `@${arg.replace(/^https?:\/\/t\.me\//, '')}`;
    await select(ctx, ref);
  });

  // A post forwarded from a channel selects that channel.
  pm.on('message', async (ctx, next) => {
    const origin = ctx.msg.forward_origin;
    if (origin?.type !== 'channel') return next();
    await select(ctx, origin.chat.id);
  });

  return c;
}
