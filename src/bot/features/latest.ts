import { Composer } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { findKeywords, indexByFirstWord, keywordKey } from '../../matcher/keywords.js';
import { resolveTarget, type Target, targetName } from '../../subscriptions.js';
import type { Article, Locale } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';
import { recallQuery, rememberQuery, resultPage, storiesNewestFirst } from './search.js';

export const LATEST_COUNT = 5;

/** Does an article match a topic, place (or anything inside it) or keyword? */
export function articleMatches(a: Article, t: Target): boolean {
  if (t.kind === 'topic') return a.topics.includes(t.id);
  if (t.kind === 'place') return a.placeIds.includes(t.id);
  const key = keywordKey(t.id);
  return findKeywords(a.tokens, indexByFirstWord([key])).size > 0;
}

/** The newest articles matching an optional target, one per story. */
export function latestArticles(recent: readonly Article[], t: Target | undefined, count = LATEST_COUNT): Article[] {
  return storiesNewestFirst(recent, (a) => !t || articleMatches(a, t)).slice(0, count);
}

/** /latest [topic | place | keyword], five stories a page with ‹ › buttons. */
export function latestFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  const render = async (ctx: BotContext, arg: string, page: number, qid: string) => {
    const locale = (await ctx.i18n.getLocale()) as Locale;
    const target = arg ? resolveTarget(arg, deps.gazetteer) : undefined;
    const recent = deps.stores.articles.recent();
    if (recent.length === 0) return { empty: ctx.t('latest-empty') };
    const query = target ? escapeHtml(targetName(target, locale, deps.gazetteer)) : escapeHtml(arg);
    const found = arg && !target ? [] : storiesNewestFirst(recent, (a) => !target || articleMatches(a, target));
    if (found.length === 0) return { empty: ctx.t('latest-none-matching', { query }) };
    const header = arg ? ctx.t('latest-header-query', { query }) : ctx.t('latest-header');
    return resultPage(ctx, header, found, page, 'lt', qid, recent);
  };

  c.command('latest', async (ctx) => {
    const arg = commandArg(ctx).slice(0, 100);
    const page = await render(ctx, arg, 0, await rememberQuery(deps, arg));
    if ('empty' in page) return void (await replyHtml(ctx, page.empty));
    await replyHtml(ctx, page.text, page.extra);
  });

  c.callbackQuery(/^lt:(\d+):(.+)$/, async (ctx) => {
    const arg = await recallQuery(deps, ctx.match[2]!);
    if (arg === undefined) return void (await ctx.answerCallbackQuery({ text: ctx.t('results-expired') }));
    const page = await render(ctx, arg, Number(ctx.match[1]), ctx.match[2]!);
    await ctx.answerCallbackQuery();
    if ('empty' in page) return void (await ctx.editMessageText(page.empty, { parse_mode: 'HTML' }));
    await ctx.editMessageText(page.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...page.extra });
  });
  return c;
}
