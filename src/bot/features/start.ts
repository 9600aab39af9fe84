import { Composer, InlineKeyboard } from 'grammy';
import { TOPIC_NAMES } from '../../pipeline/topics.js';
import { countSubscriptions } from '../../subscriptions.js';
import { TOPIC_IDS } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { chatType, replyHtml } from '../util.js';
import { canChange } from './access.js';
import { sendOnboarding } from './onboarding.js';

/** /start, /help, /stop, /language. */
export function startFeature(deps: BotDeps) {
  const { profiles } = deps;
  const c = new Composer<BotContext>();

  c.command('start', async (ctx) => {
    const id = ctx.chat.id;
    const before = profiles.get(id);
    const locale = (await ctx.i18n.getLocale()) as 'ar' | 'en';
    const p = await profiles.update(id, chatType(ctx), (q) => {
      q.active = true;
      q.strikes = 0;
      delete q.deactivated;
      if (!before) q.locale = locale;
    });
    const resumed = before && (!before.active || before.deactivated);
    await replyHtml(ctx, resumed ? ctx.t('welcome-back', { count: countSubscriptions(p) }) : ctx.t('welcome'));
    // A new private chat is walked through language, topics, places and keywords.
    if (!before && ctx.chat.type === 'private') await sendOnboarding(ctx);
  });

  c.command('help', async (ctx) => {
    const locale = (await ctx.i18n.getLocale()) as 'ar' | 'en';
    const topics = TOPIC_IDS.map((t) => TOPIC_NAMES[t][locale]).join('، ');
    let text = `${ctx.t('help', { topics })}\n\n${ctx.t('help-more')}`;
    if (ctx.from && deps.adminIds.includes(ctx.from.id)) text += `\n\n${ctx.t('help-admin')}`;
    await replyHtml(ctx, text);
  });

  c.command('stop', async (ctx) => {
    if (!(await canChange(ctx))) return void (await replyHtml(ctx, ctx.t('group-admins-only')));
    const p = profiles.get(ctx.chat.id);
    if (p && !p.active) return void (await replyHtml(ctx, ctx.t('already-stopped')));
    await profiles.update(ctx.chat.id, chatType(ctx), (q) => void (q.active = false));
    await replyHtml(ctx, ctx.t('stopped'));
  });

  c.command('language', async (ctx) => {
    const kb = new InlineKeyboard().text('العربية', 'lang:ar').text('English', 'lang:en');
    await ctx.reply(ctx.t('language-prompt'), { reply_markup: kb });
  });

  c.callbackQuery(/^lang:(ar|en)$/, async (ctx) => {
    const locale = ctx.match[1] as 'ar' | 'en';
    const chat = ctx.chat;
    if (!chat) return void (await ctx.answerCallbackQuery());
    if (!(await canChange(ctx))) return void (await ctx.answerCallbackQuery({ text: ctx.t('group-admins-only'), show_alert: true }));
    await profiles.update(chat.id, chatType(ctx), (q) => void (q.locale = locale));
    ctx.i18n.useLocale(locale);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('language-set'));
  });

  return c;
}
