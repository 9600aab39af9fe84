import { randomUUID } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import type { Delivery } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';

interface PendingBroadcast {
  id: string;
  text: string;
  by: number;
  status: 'pending' | 'queued' | 'cancelled';
  createdAt: number;
  recipients?: number;
}

/** Admin /broadcast: preview with the audience size, then send or cancel by button. Mounted behind the admin guard. */
export function broadcastFeature(deps: BotDeps) {
  const { profiles, stores, outbox, logger } = deps;
  const now = deps.now ?? Date.now;
  const c = new Composer<BotContext>();

  c.command('broadcast', async (ctx) => {
    const text = commandArg(ctx);
    if (!text) return void (await replyHtml(ctx, ctx.t('broadcast-usage')));
    const bc: PendingBroadcast = { id: randomUUID().slice(0, 8), text, by: ctx.from!.id, status: 'pending', createdAt: now() };
    await stores.meta.set(`broadcast:${bc.id}`, bc, 7 * 24 * 3600_000);
    const count = profiles.index.audience().length;
    const kb = new InlineKeyboard().text(ctx.t('broadcast-send'), `bc:send:${bc.id}`).text(ctx.t('broadcast-cancel'), `bc:cancel:${bc.id}`);
    await replyHtml(ctx, ctx.t('broadcast-preview', { text: escapeHtml(text), count }), { reply_markup: kb });
  });

  c.callbackQuery(/^bc:(send|cancel):(\w+)$/, async (ctx) => {
    const [, action, id] = ctx.match;
    const key = `broadcast:${id}`;
    const bc = await stores.meta.get<PendingBroadcast>(key);
    if (!bc || bc.status !== 'pending') {
      await ctx.answerCallbackQuery({ text: ctx.t('broadcast-gone') });
      return void (await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined));
    }
    if (action === 'cancel') {
      await stores.meta.set(key, { ...bc, status: 'cancelled' });
      await ctx.answerCallbackQuery();
      return void (await ctx.editMessageText(ctx.t('broadcast-cancelled')));
    }
    // Mark first so a double tap cannot queue the broadcast twice.
    const audience = profiles.index.audience();
    await stores.meta.set(key, { ...bc, status: 'queued', recipients: audience.length });
    const t = now();
    const body = escapeHtml(bc.text);
    const deliveries: Delivery[] = audience.map((chatId) => {
      const locale = profiles.get(chatId)?.locale ?? deps.defaultLocale;
      return {
        id: `bc:${bc.id}:${chatId}`,
        chatId,
        lane: 'broadcast',
        text: `${ctx.i18n.fluent.translate(locale, 'broadcast-header')}\n\n${body}`,
        createdAt: t,
        notBefore: t,
        attempts: 0,
        broadcastId: bc.id,
      };
    });
    await outbox.enqueue(deliveries);
    logger.info({ adminId: ctx.from.id, broadcastId: bc.id, recipients: audience.length }, 'broadcast queued');
    await deps.audit.record(ctx.from.id, 'broadcast', { broadcastId: bc.id, recipients: audience.length, text: bc.text.slice(0, 200) });
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, ctx.t('broadcast-queued', { count: audience.length }));
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  return c;
}
