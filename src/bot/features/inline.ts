import { Composer } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { escapeHtml, link, truncate } from '../../delivery/render.js';
import type { Article } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { searchArticles, storiesNewestFirst } from './search.js';

export const INLINE_PAGE = 20;
export const INLINE_CACHE_SECONDS = 30;

/** The message an inline result posts: headline, summary and the link to the outlet. */
export function inlineMessage(a: Pick<Article, 'title' | 'summary' | 'url' | 'sourceName'>): string {
  const lines = [`<b>${escapeHtml(truncate(a.title, 300))}</b>`];
  if (a.summary) lines.push(escapeHtml(truncate(a.summary, 700)));
  lines.push('', `🔗 ${link(a.url, a.sourceName)}`);
  return lines.join('\n');
}

export function inlineResult(a: Article): InlineQueryResultArticle {
  return {
    type: 'article',
    id: a.id.slice(0, 64),
    title: truncate(a.title, 200),
    description: truncate(`${a.sourceName} — ${a.summary}`, 200),
    url: a.url,
    input_message_content: { message_text: inlineMessage(a), parse_mode: 'HTML', link_preview_options: { is_disabled: false } },
  };
}

/** Inline mode: `@bot <words>` lists matching recent stories (the newest when empty), paged by offset. */
export function inlineFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();
  c.on('inline_query', async (ctx) => {
    const query = ctx.inlineQuery.query.trim().slice(0, 100);
    const recent = deps.stores.articles.recent();
    const found = query ? searchArticles(recent, query) : storiesNewestFirst(recent, () => true);
    const offset = Math.max(0, Number.parseInt(ctx.inlineQuery.offset, 10) || 0);
    const page = found.slice(offset, offset + INLINE_PAGE);
    await ctx.answerInlineQuery(page.map(inlineResult), {
      cache_time: INLINE_CACHE_SECONDS,
      next_offset: offset + INLINE_PAGE < found.length ? String(offset + INLINE_PAGE) : '',
    });
  });
  return c;
}
