import { Composer } from 'grammy';
import { escapeHtml, link, renderEntry } from '../../delivery/render.js';
import { findKeywords, indexByFirstWord, keywordKey } from '../../matcher/keywords.js';
import { resolveTarget, type Target, targetName } from '../../subscriptions.js';
import type { Article, Locale } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';

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
  const out: Article[] = [];
  const stories = new Set<string>();
  const sorted = [...recent].sort((a, b) => b.publishedAt - a.publishedAt);
  for (const a of sorted) {
    if (out.length >= count) break;
    if (stories.has(a.storyId) || (t && !articleMatches(a, t))) continue;
    stories.add(a.storyId);
    out.push(a);
  }
  return out;
}

/** /latest [topic | place | keyword]. */
export function latestFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();
  c.command('latest', async (ctx) => {
    const arg = commandArg(ctx);
    const locale = (await ctx.i18n.getLocale()) as Locale;
    const target = arg ? resolveTarget(arg, deps.gazetteer) : undefined;
    const recent = deps.stores.articles.recent();
    if (recent.length === 0) return void (await replyHtml(ctx, ctx.t('latest-empty')));
    const query = target ? escapeHtml(targetName(target, locale, deps.gazetteer)) : escapeHtml(arg);
    const found = arg && !target ? [] : latestArticles(recent, target);
    if (found.length === 0) return void (await replyHtml(ctx, ctx.t('latest-none-matching', { query })));
    const byId = new Map(recent.map((a) => [a.id, a]));
    const entries = found.map((a) => {
      const first = byId.get(a.storyId) ?? a;
      const others = (first.alsoIn ?? []).filter((o) => o.url !== a.url).slice(0, 3);
      const also = others.length
        ? ctx.t('latest-also', { sources: others.map((o) => link(o.url, o.sourceName)).join('، ') })
        : undefined;
      return renderEntry(a, also);
    });
    const header = arg ? ctx.t('latest-header-query', { query }) : ctx.t('latest-header');
    await replyHtml(ctx, [header, ...entries].join('\n\n'));
  });
  return c;
}
