import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { keywordKey } from '../../matcher/keywords.js';
import { countSubscriptions, MAX_SUBSCRIPTIONS, toggleTarget } from '../../subscriptions.js';
import { type Locale, TOPIC_IDS, type TopicId } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { replyHtml } from '../util.js';
import { chatTarget, editableTarget } from './access.js';
import { topicsKeyboard } from './follow.js';
import { suggestionsKeyboard } from './places.js';

/** What a private chat's next plain text means during set-up. */
export type Awaiting = 'place' | 'keyword';
const AWAIT_TTL = 30 * 60_000;
export const awaitKey = (chatId: number) => `await:${chatId}`;
export const SUGGESTIONS = 6;

export function languageStep(ctx: BotContext) {
  return {
    text: ctx.t('onb-language'),
    reply_markup: new InlineKeyboard().text('العربية', 'ob:l:ar').text('English', 'ob:l:en').row().text(ctx.t('btn-skip'), 'ob:topics'),
  };
}

/** Start the guided set-up (after the welcome of a new private chat). */
export async function sendOnboarding(ctx: BotContext): Promise<void> {
  const step = languageStep(ctx);
  await replyHtml(ctx, step.text, { reply_markup: step.reply_markup });
}

/** Split what someone typed into keywords (commas, Arabic commas, new lines). */
export function splitKeywords(text: string): string[] {
  return text
    .split(/[,،\n؛;]+/)
    .map((k) => k.trim().replace(/\s+/g, ' '))
    .filter((k) => keywordKey(k).replace(/\s/g, '').length >= 2 && k.length <= 60);
}

/**
 * The guided set-up, one message edited step by step: language → topics (toggle buttons) → places
 * (type a name and pick a suggestion, or browse) → keywords. Every step has Skip / Next, and
 * /settings opens any step again.
 */
export function onboardingFeature(deps: BotDeps) {
  const { profiles, gazetteer: gaz } = deps;
  const c = new Composer<BotContext>();
  const locale = async (ctx: BotContext) => (await ctx.i18n.getLocale()) as Locale;
  const setAwaiting = (chatId: number, what: Awaiting | null) => deps.stores.meta.set(awaitKey(chatId), what, AWAIT_TTL);

  const edit = (ctx: BotContext, text: string, reply_markup: InlineKeyboard) =>
    ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup, link_preview_options: { is_disabled: true } });

  const topicsStep = async (ctx: BotContext, selected: readonly TopicId[]) =>
    edit(ctx, ctx.t('onb-topics'), topicsKeyboard(selected, await locale(ctx), ctx.t('btn-next'), 'ob:t:', 'ob:places'));

  c.callbackQuery(/^ob:(.+)$/, async (ctx) => {
    const data = ctx.match[1]!;
    const chat = await editableTarget(ctx, deps);
    if (!chat || !ctx.chat) return;
    const here = ctx.chat.id;
    if (data === 'lang') {
      await ctx.answerCallbackQuery();
      const step = languageStep(ctx);
      return void (await edit(ctx, step.text, step.reply_markup));
    }
    const lang = /^l:(ar|en)$/.exec(data);
    if (lang) {
      const loc = lang[1] as Locale;
      await profiles.update(chat.id, chat.type, (p) => void (p.locale = loc));
      if (chat.id === here) ctx.i18n.useLocale(loc);
      await ctx.answerCallbackQuery();
      return void (await topicsStep(ctx, profiles.get(chat.id)?.topics ?? []));
    }
    if (data === 'topics') {
      await ctx.answerCallbackQuery();
      return void (await topicsStep(ctx, profiles.get(chat.id)?.topics ?? []));
    }
    const topic = /^t:(\w+)$/.exec(data);
    if (topic) {
      const id = topic[1] as TopicId;
      if (!TOPIC_IDS.includes(id)) return void (await ctx.answerCallbackQuery());
      const on = !(profiles.get(chat.id)?.topics.includes(id) ?? false);
      const p = await profiles.update(chat.id, chat.type, (q) => void toggleTarget(q, { kind: 'topic', id }, on));
      await ctx.answerCallbackQuery();
      return void (await ctx.editMessageReplyMarkup({
        reply_markup: topicsKeyboard(p.topics, await locale(ctx), ctx.t('btn-next'), 'ob:t:', 'ob:places'),
      }));
    }
    if (data === 'places') {
      await setAwaiting(here, 'place');
      await ctx.answerCallbackQuery();
      const kb = new InlineKeyboard().text(ctx.t('btn-browse'), 'br:root:0').row().text(ctx.t('btn-next'), 'ob:kw');
      return void (await edit(ctx, ctx.t('onb-places'), kb));
    }
    if (data === 'kw') {
      await setAwaiting(here, 'keyword');
      await ctx.answerCallbackQuery();
      return void (await edit(ctx, ctx.t('onb-keywords'), new InlineKeyboard().text(ctx.t('btn-finish'), 'ob:done')));
    }
    if (data === 'done') {
      await setAwaiting(here, null);
      await ctx.answerCallbackQuery();
      const p = profiles.get(chat.id);
      return void (await ctx.editMessageText(ctx.t('onb-done', { count: p ? countSubscriptions(p) : 0 }), { parse_mode: 'HTML' }));
    }
    await ctx.answerCallbackQuery();
  });

  // Plain text while a step waits for it: a place name (suggestions) or keywords.
  c.chatType('private').on('message:text', async (ctx, next) => {
    if (ctx.msg.text.startsWith('/')) return next();
    const awaiting = await deps.stores.meta.get<Awaiting | null>(awaitKey(ctx.chat.id));
    if (!awaiting) return next();
    const target = await chatTarget(ctx, deps);
    if (!target) return next();
    const text = ctx.msg.text.trim().slice(0, 200);
    if (awaiting === 'place') {
      const found = gaz.suggest(text, SUGGESTIONS).map((p) => p.id);
      if (found.length === 0) return void (await replyHtml(ctx, ctx.t('onb-place-none', { query: escapeHtml(text) })));
      return void (await replyHtml(ctx, ctx.t('onb-place-pick'), { reply_markup: suggestionsKeyboard(ctx, gaz, found).row().text(ctx.t('btn-next'), 'ob:kw') }));
    }
    const words = splitKeywords(text);
    if (words.length === 0) return void (await replyHtml(ctx, ctx.t('keyword-too-short')));
    const added: string[] = [];
    await profiles.update(target.id, target.type, (p) => {
      for (const w of words) {
        if (countSubscriptions(p) >= MAX_SUBSCRIPTIONS) break;
        if (toggleTarget(p, { kind: 'keyword', id: w }, true)) added.push(w);
      }
    });
    await replyHtml(ctx, ctx.t('onb-keywords-added', { items: escapeHtml(added.join('، ') || '—') }), {
      reply_markup: new InlineKeyboard().text(ctx.t('btn-finish'), 'ob:done'),
    });
  });

  return c;
}
