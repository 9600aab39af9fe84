import { randomUUID } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { TOPIC_NAMES } from '../../pipeline/topics.js';
import { FeedError } from '../../sources/errors.js';
import { discoverFeed } from '../../sources/discover.js';
import { fetchFeed } from '../../sources/fetch-feed.js';
import { parseFeed } from '../../sources/parse-feed.js';
import { sourceFromUrl } from '../../sources/registry.js';
import { emptyState } from '../../poller/poller.js';
import type { SourceRecord } from '../../store/stores.js';
import type { Delivery, Locale, TopicId } from '../../types.js';
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

const ADMIN_COMMANDS = ['broadcast', 'stats', 'feeds', 'addfeed', 'removefeed', 'pollnow'];

/** Admin commands; everyone else gets a polite refusal and nothing happens. */
export function adminFeature(deps: BotDeps) {
  const { profiles, stores, outbox, logger } = deps;
  const now = deps.now ?? Date.now;
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.adminIds.includes(ctx.from.id);
  const c = new Composer<BotContext>();

  c.command(ADMIN_COMMANDS, async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    ctx.logger.info({ userId: ctx.from?.id, command: ctx.msg.text?.split(' ')[0] }, 'admin command refused');
    await replyHtml(ctx, ctx.t('admin-only'));
  });
  c.callbackQuery(/^bc:/, async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    await ctx.answerCallbackQuery({ text: ctx.t('admin-only'), show_alert: true });
  });

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
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, ctx.t('broadcast-queued', { count: audience.length }));
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  c.command('stats', async (ctx) => {
    const locale = (await ctx.i18n.getLocale()) as Locale;
    const all = [...profiles.all()];
    const sources = await stores.sources.all();
    const today = new Date(now()).toISOString().slice(0, 10);
    const recent = stores.articles.recent();
    const sender = deps.sender?.counts;
    const counts = profiles.index.counts();
    const failing = sources.filter((s) => s.state.errorCount > 0 && s.source.enabled);
    const lines = [
      ctx.t('stats', {
        chats: all.length,
        active: all.filter((p) => p.active && !p.deactivated).length,
        paused: all.filter((p) => !p.active).length,
        gone: all.filter((p) => p.deactivated).length,
        articlesToday: recent.filter((a) => new Date(a.seenAt).toISOString().startsWith(today)).length,
        articles: recent.length,
        sent: sender?.sent ?? 0,
        failed: (sender?.dropped ?? 0) + (sender?.deactivated ?? 0),
        queued: outbox.size,
        sources: sources.length,
        failing: failing.length,
        disabled: sources.filter((s) => !s.source.enabled).length,
      }),
    ];
    const top = (m: Map<string, number>, name: (k: string) => string, n: number) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${escapeHtml(name(k))} ${v}`).join('، ');
    if (counts.topics.size) lines.push(ctx.t('stats-topics', { items: top(counts.topics, (k) => TOPIC_NAMES[k as TopicId][locale], 12) }));
    if (counts.places.size) lines.push(ctx.t('stats-places', { items: top(counts.places, (k) => deps.gazetteer.get(k)?.name ?? k, 10) }));
    if (failing.length) {
      lines.push(ctx.t('stats-failing', { items: failing.map((s) => `${escapeHtml(s.source.id)} (${escapeHtml(s.state.lastError?.name ?? '?')})`).join('، ') }));
    }
    await replyHtml(ctx, lines.join('\n'));
  });

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

