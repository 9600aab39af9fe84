import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { TOPIC_NAMES } from '../../pipeline/topics.js';
import {
  countSubscriptions,
  MAX_SUBSCRIPTIONS,
  resolveTarget,
  type Target,
  targetName,
  toggleTarget,
} from '../../subscriptions.js';
import { type ChatProfile, type Locale, TOPIC_IDS, type TopicId } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';
import { type ChatTarget, chatTarget, editableTarget } from './access.js';

/** A line naming the managed channel when a command from a private chat changes a channel. */
export function targetNote(ctx: BotContext, target: ChatTarget): string {
  return target.channel ? `${ctx.t('managing-note', { title: escapeHtml(target.channel.title) })}\n` : '';
}

/** /subscribe, /unsubscribe, /list, /topics. */
export function followFeature(deps: BotDeps) {
  const { profiles, gazetteer: gaz } = deps;
  const c = new Composer<BotContext>();
  const locale = async (ctx: BotContext) => (await ctx.i18n.getLocale()) as Locale;

  const subscribedMessage = (ctx: BotContext, t: Target, name: string, undo: string) => {
    if (t.kind === 'topic') return ctx.t('subscribed-topic', { name, undo });
    if (t.kind === 'place') return ctx.t('subscribed-place', { name, undo, path: gaz.path(t.id).join(' › ') });
    return ctx.t('subscribed-keyword', { name, undo });
  };

  c.command(['subscribe', 'follow'], async (ctx) => {
    const arg = commandArg(ctx);
    if (!arg) return void (await replyHtml(ctx, ctx.t('subscribe-usage')));
    const target = resolveTarget(arg, gaz);
    if (!target) return void (await replyHtml(ctx, ctx.t('keyword-too-short')));
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const loc = await locale(ctx);
    const name = escapeHtml(targetName(target, loc, gaz));
    const current = profiles.get(chat.id);
    if (current && countSubscriptions(current) >= MAX_SUBSCRIPTIONS) {
      return void (await replyHtml(ctx, ctx.t('too-many-subscriptions', { max: MAX_SUBSCRIPTIONS })));
    }
    let changed = false;
    await profiles.update(chat.id, chat.type, (p) => {
      changed = toggleTarget(p, target, true);
      if (!current) p.locale = loc;
    });
    const note = targetNote(ctx, chat);
    if (!changed) return void (await replyHtml(ctx, note + ctx.t('already-following', { name })));
    await replyHtml(ctx, note + subscribedMessage(ctx, target, name, escapeHtml(arg)));
  });

  c.command(['unsubscribe', 'unfollow'], async (ctx) => {
    const arg = commandArg(ctx);
    if (!arg) return void (await replyHtml(ctx, ctx.t('unsubscribe-usage')));
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const target = resolveTarget(arg, gaz);
    const p = profiles.get(chat.id);
    const name = escapeHtml(target ? targetName(target, await locale(ctx), gaz) : arg);
    const note = targetNote(ctx, chat);
    if (!target || !p) return void (await replyHtml(ctx, note + ctx.t('not-following', { name })));
    let changed = false;
    await profiles.update(p.id, p.type, (q) => void (changed = toggleTarget(q, target, false)));
    await replyHtml(ctx, note + ctx.t(changed ? 'unsubscribed' : 'not-following', { name }));
  });

  c.command(['list', 'my'], async (ctx) => {
    const chat = await chatTarget(ctx, deps);
    const p = chat ? profiles.get(chat.id) : undefined;
    const note = chat ? targetNote(ctx, chat) : '';
    if (!p || countSubscriptions(p) === 0) return void (await replyHtml(ctx, note + ctx.t('list-empty')));
    await replyHtml(ctx, note + describeProfile(ctx, p, await locale(ctx), deps));
  });

  c.command('topics', async (ctx) => {
    const chat = await chatTarget(ctx, deps);
    const p = chat ? profiles.get(chat.id) : undefined;
    await ctx.reply(ctx.t('topics-prompt'), { reply_markup: topicsKeyboard(p?.topics ?? [], await locale(ctx), ctx.t('topics-done')) });
  });

  c.callbackQuery(/^topic:(\w+)$/, async (ctx) => {
    const id = ctx.match[1] as TopicId;
    if (!TOPIC_IDS.includes(id)) return void (await ctx.answerCallbackQuery());
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const before = profiles.get(chat.id);
    const on = !(before?.topics.includes(id) ?? false);
    const p = await profiles.update(chat.id, chat.type, (q) => void toggleTarget(q, { kind: 'topic', id }, on));
    const loc = await locale(ctx);
    await ctx.answerCallbackQuery({ text: `${on ? '✅' : '➖'} ${TOPIC_NAMES[id][loc]}` });
    await ctx.editMessageReplyMarkup({ reply_markup: topicsKeyboard(p.topics, loc, ctx.t('topics-done')) });
  });

  c.callbackQuery('topics:done', async (ctx) => {
    const chat = await chatTarget(ctx, deps);
    const p = chat ? profiles.get(chat.id) : undefined;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('topics-saved', { count: p?.topics.length ?? 0 }));
  });

  return c;
}

export function topicsKeyboard(selected: readonly TopicId[], locale: Locale, done: string, prefix = 'topic:', doneData = 'topics:done'): InlineKeyboard {
  const kb = new InlineKeyboard();
  TOPIC_IDS.forEach((id, i) => {
    kb.text(`${selected.includes(id) ? '✅ ' : ''}${TOPIC_NAMES[id][locale]}`, `${prefix}${id}`);
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(done, doneData);
}

export function describeProfile(ctx: BotContext, p: ChatProfile, locale: Locale, deps: BotDeps): string {
  const lines = [ctx.t('list-header')];
  const join = (xs: string[]) => xs.map(escapeHtml).join('، ');
  if (p.topics.length) lines.push(ctx.t('list-topics', { items: join(p.topics.map((t) => TOPIC_NAMES[t][locale])) }));
  if (p.places.length) {
    lines.push(ctx.t('list-places', { items: join(p.places.map((id) => deps.gazetteer.path(id).join(' › ') || id)) }));
  }
  if (p.keywords.length) lines.push(ctx.t('list-keywords', { items: join(p.keywords) }));
  if (!p.active) lines.push(ctx.t('list-paused'));
  return lines.join('\n');
}
