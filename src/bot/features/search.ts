import { createHash } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml, link, renderEntry } from '../../delivery/render.js';
import { findKeywords, indexByFirstWord, keywordKey } from '../../matcher/keywords.js';
import { words } from '../../pipeline/normalize.js';
import type { Article } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';

export const PAGE_SIZE = 5;
/** Query words considered at most. */
const MAX_QUERY_WORDS = 8;

/**
 * Does the article contain every word of the query? Normalized Arabic, and each word may carry
 * clitics in the text (و، ف، ب، ك، ل، ال): "الحسكة" finds "وبالحسكة".
 */
export function matchesQuery(a: Pick<Article, 'tokens'>, query: string): boolean {
  const keys = [...new Set(words(query).map((w) => keywordKey(w)).filter((k) => k.length >= 2))].slice(0, MAX_QUERY_WORDS);
  if (keys.length === 0) return false;
  const found = findKeywords(a.tokens, indexByFirstWord(keys));
  return keys.every((k) => found.has(k));
}

/** Newest first (by publication), one article per story. */
export function storiesNewestFirst(recent: readonly Article[], pred: (a: Article) => boolean): Article[] {
  const out: Article[] = [];
  const stories = new Set<string>();
  for (const a of [...recent].sort((x, y) => y.publishedAt - x.publishedAt)) {
    if (stories.has(a.storyId) || !pred(a)) continue;
    stories.add(a.storyId);
    out.push(a);
  }
  return out;
}

/** Articles matching a free-text search over recent articles, newest first, one per story. */
export function searchArticles(recent: readonly Article[], query: string): Article[] {
  return storiesNewestFirst(recent, (a) => matchesQuery(a, query));
}

/** The list entry of a story: headline link, outlet, summary, and the other outlets that reported it. */
export function storyEntry(ctx: BotContext, a: Article, byId: ReadonlyMap<string, Article>): string {
  const first = byId.get(a.storyId) ?? a;
  const outlets = [first, ...(first.alsoIn ?? [])].filter((o) => o.url !== a.url && o.sourceName !== a.sourceName).slice(0, 3);
  const also = outlets.length ? ctx.t('latest-also', { sources: outlets.map((o) => link(o.url, o.sourceName)).join('، ') }) : undefined;
  return renderEntry(a, also);
}

/** Short stable id for a query in callback data (the text itself is kept in the meta store). */
export const queryId = (q: string) => createHash('sha1').update(q).digest('base64url').slice(0, 10);
const QUERY_TTL = 24 * 3600_000;

export async function rememberQuery(deps: BotDeps, q: string): Promise<string> {
  if (!q) return '-';
  const id = queryId(q);
  await deps.stores.meta.set(`q:${id}`, q, QUERY_TTL);
  return id;
}

export async function recallQuery(deps: BotDeps, id: string): Promise<string | undefined> {
  if (id === '-') return '';
  return deps.stores.meta.get<string>(`q:${id}`);
}

/** ‹ newer · n/N · older › buttons; data `<prefix>:<page>:<queryId>`. */
export function pagerKeyboard(prefix: string, page: number, pages: number, qid: string): InlineKeyboard | undefined {
  if (pages <= 1) return undefined;
  const kb = new InlineKeyboard();
  if (page > 0) kb.text('‹', `${prefix}:${page - 1}:${qid}`);
  kb.text(`${page + 1}/${pages}`, `${prefix}:noop`);
  if (page < pages - 1) kb.text('›', `${prefix}:${page + 1}:${qid}`);
  return kb;
}

/** A page of a result list: text and pager. */
export function resultPage(ctx: BotContext, header: string, found: Article[], page: number, prefix: string, qid: string, recent: readonly Article[]) {
  const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const byId = new Map(recent.map((a) => [a.id, a]));
  const entries = found.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).map((a) => storyEntry(ctx, a, byId));
  const text = [header, ...entries].join('\n\n');
  const kb = pagerKeyboard(prefix, p, pages, qid);
  return { text, extra: kb ? { reply_markup: kb } : {} };
}

/** /search <words>: recent articles containing all the words, newest first, with paging. */
export function searchFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  const render = (ctx: BotContext, query: string, page: number, qid: string) => {
    const recent = deps.stores.articles.recent();
    const found = searchArticles(recent, query);
    if (found.length === 0) return undefined;
    const header = ctx.t('search-header', { query: escapeHtml(query), count: found.length });
    return resultPage(ctx, header, found, page, 'sr', qid, recent);
  };

  c.command('search', async (ctx) => {
    const query = commandArg(ctx).slice(0, 100);
    if (!query) return void (await replyHtml(ctx, ctx.t('search-usage')));
    const page = render(ctx, query, 0, await rememberQuery(deps, query));
    if (!page) return void (await replyHtml(ctx, ctx.t('search-none', { query: escapeHtml(query) })));
    await replyHtml(ctx, page.text, page.extra);
  });

  c.callbackQuery(/^sr:(\d+):(.+)$/, async (ctx) => {
    const query = await recallQuery(deps, ctx.match[2]!);
    const page = query ? render(ctx, query, Number(ctx.match[1]), ctx.match[2]!) : undefined;
    if (!page) return void (await ctx.answerCallbackQuery({ text: ctx.t('results-expired') }));
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(page.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...page.extra });
  });

  return c;
}
