import { Composer } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { emptyState } from '../../poller/poller.js';
import { discoverFeed } from '../../sources/discover.js';
import { FeedError } from '../../sources/errors.js';
import { fetchFeed } from '../../sources/fetch-feed.js';
import { parseFeed } from '../../sources/parse-feed.js';
import { sourceFromUrl } from '../../sources/registry.js';
import type { SourceRecord } from '../../store/stores.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';

/** Admin source management: /feeds, /addfeed, /removefeed, /pollnow. Mounted behind the admin guard. */
export function feedsFeature(deps: BotDeps) {
  const { stores, logger } = deps;
  const now = deps.now ?? Date.now;
  const c = new Composer<BotContext>();

  c.command('feeds', async (ctx) => {
    const sources = (await stores.sources.all()).sort((a, b) => a.source.id.localeCompare(b.source.id));
    if (!sources.length) return void (await replyHtml(ctx, ctx.t('feeds-empty')));
    const lines = sources.map((r) => feedLine(ctx, r, now()));
    const chunks = chunkLines([ctx.t('feeds-header', { count: sources.length }), ...lines], 3800);
    for (const chunk of chunks) await replyHtml(ctx, chunk);
  });

  c.command('addfeed', async (ctx) => {
    const arg = commandArg(ctx);
    if (!arg || !URL.canParse(arg) || !/^https?:$/.test(new URL(arg).protocol)) {
      return void (await replyHtml(ctx, ctx.t('addfeed-usage')));
    }
    await replyHtml(ctx, ctx.t('addfeed-checking', { url: escapeHtml(arg) }));
    try {
      const opts = { trusted: false, allowPrivate: deps.allowPrivateFeeds };
      const { feedUrl, title } = await discoverFeed(arg, opts);
      const res = await fetchFeed(feedUrl, opts);
      if (res.status !== 'ok') throw new FeedError('not_feed', 'no content');
      const feed = parseFeed(res.body, { sourceId: 'check', baseUrl: res.url });
      const source = sourceFromUrl(feedUrl, 'chat', { addedBy: ctx.from!.id, addedAt: now() });
      if (feed.title ?? title) source.name = (feed.title ?? title)!.slice(0, 80);
      if (feed.link) source.homepage = feed.link;
      const existing = (await stores.sources.all()).find((r) => r.source.id === source.id || r.source.url === feedUrl);
      if (existing) return void (await replyHtml(ctx, ctx.t('addfeed-exists', { id: escapeHtml(existing.source.id) })));
      const rec: SourceRecord = { source, state: emptyState(now()) };
      await stores.sources.save(rec);
      logger.info({ adminId: ctx.from!.id, sourceId: source.id, url: feedUrl }, 'source added');
      await deps.audit.record(ctx.from!.id, 'addfeed', { sourceId: source.id, url: feedUrl });
      await replyHtml(ctx, ctx.t('addfeed-added', { name: escapeHtml(source.name), id: escapeHtml(source.id), items: feed.items.length }));
    } catch (err) {
      const name = err instanceof FeedError ? err.code : 'internal';
      if (!(err instanceof FeedError)) logger.error({ err }, 'addfeed failed');
      await replyHtml(ctx, ctx.t('addfeed-failed', { error: escapeHtml(name) }));
    }
  });

  c.command('removefeed', async (ctx) => {
    const arg = commandArg(ctx);
    if (!arg) return void (await replyHtml(ctx, ctx.t('removefeed-usage')));
    const rec = (await stores.sources.all()).find((r) => r.source.id === arg || r.source.url === arg);
    if (!rec) return void (await replyHtml(ctx, ctx.t('removefeed-missing')));
    await stores.sources.remove(rec.source.id);
    logger.info({ adminId: ctx.from!.id, sourceId: rec.source.id }, 'source removed');
    await deps.audit.record(ctx.from!.id, 'removefeed', { sourceId: rec.source.id, url: rec.source.url });
    await replyHtml(ctx, ctx.t('removefeed-done', { id: escapeHtml(rec.source.id) }));
  });

  c.command('pollnow', async (ctx) => {
    if (!deps.poller) return;
    const count = (await stores.sources.all()).filter((r) => r.source.enabled).length;
    await replyHtml(ctx, ctx.t('pollnow-started', { count }));
    const results = await deps.poller.pollAll();
    const n = (s: string) => results.filter((r) => r.status === s).length;
    const sum = (k: 'fresh' | 'alerts') => results.reduce((acc, r) => acc + (r[k] ?? 0), 0);
    await replyHtml(ctx, ctx.t('pollnow-done', { ok: n('ok'), notModified: n('not-modified'), failed: n('error'), fresh: sum('fresh'), alerts: sum('alerts') }));
  });

  return c;
}

function feedLine(ctx: BotContext, r: SourceRecord, now: number): string {
  const { source: s, state } = r;
  let status = '✅';
  let detail: string;
  if (!s.enabled) [status, detail] = ['⛔', ctx.t('feed-disabled')];
  else if (state.errorCount > 0) [status, detail] = ['⚠️', ctx.t('feed-failing', { error: state.lastError?.name ?? '?', count: state.errorCount })];
  else if (!state.lastSuccessAt) [status, detail] = ['⏳', ctx.t('feed-never')];
  else detail = ctx.t('feed-ok', { ago: ago(now - state.lastSuccessAt), items: state.itemsToday });
  return ctx.t('feed-line', { status, id: escapeHtml(s.id), name: escapeHtml(s.name), detail });
}

/** A short duration like "5m" or "3h". */
export function ago(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h}h` : `${Math.round(h / 24)}d`;
}

/** Split lines into messages under a length limit. */
export function chunkLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lines) {
    if (cur && cur.length + line.length + 1 > max) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) out.push(cur);
  return out;
}

