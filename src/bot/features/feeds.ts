import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { HEALTHS, itemsToday, type PolledState, type SourceHealth, sourceHealth } from '../../poller/health.js';
import { emptyState, type SourceOutcome } from '../../poller/poller.js';
import { discoverFeed } from '../../sources/discover.js';
import { FeedError } from '../../sources/errors.js';
import { ConcurrencyLimiter, fetchFeed, fetchText, type FetchOptions } from '../../sources/fetch-feed.js';
import { fromOpml, type OpmlEntry, toOpml } from '../../sources/opml.js';
import { parseFeed } from '../../sources/parse-feed.js';
import { sourceFromUrl, sourceIdFor } from '../../sources/registry.js';
import type { SourceRecord } from '../../store/stores.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';

/** Sources per /feeds page (issue 8). */
export const FEEDS_PAGE_SIZE = 10;
/** Largest OPML file we download (Telegram reports the size before we fetch it). */
export const MAX_OPML_BYTES = 1024 * 1024;
/** Most feeds one OPML import checks. */
export const MAX_OPML_FEEDS = 500;
/** Failed URLs listed one by one in an import report. */
const MAX_FAILED_LINES = 10;
/** An import's message shows progress every this many checked feeds, or every tenth of the file if more. */
const IMPORT_PROGRESS_STEP = 10;

const HEALTH_ICON: Record<SourceHealth, string> = { ok: '✅', slow: '🐢', failing: '⚠️', disabled: '⛔', new: '⏳' };

/**
 * Admin source management, mounted behind the admin guard:
 *  /feeds [page] — a page of 10 sources with health, last success, last error by name, items today, next
 *    check; ◀ ▶ buttons, and one button per source opening its detail view with disable / enable /
 *    poll-now buttons;
 *  /addfeed <url> (a feed or a homepage), /removefeed, /disablefeed, /enablefeed <id or url>;
 *  /pollnow (every source); /exportfeeds (an OPML document); an .opml / .xml file sent by an admin is
 *  imported (every URL checked as a feed under the SSRF rules, duplicates skipped).
 * Every change is written to the audit log.
 */
export function feedsFeature(deps: BotDeps) {
  const { stores, logger } = deps;
  const now = deps.now ?? Date.now;
  const c = new Composer<BotContext>();
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.adminIds.includes(ctx.from.id);

  const sorted = async () => (await stores.sources.all()).sort((a, b) => a.source.id.localeCompare(b.source.id));
  const find = async (arg: string) => (await stores.sources.get(arg)) ?? (await stores.sources.all()).find((r) => r.source.url === arg);

  /** The page view: text and keyboard. `page` is clamped to the pages there are. */
  async function pageView(ctx: BotContext, page: number): Promise<{ text: string; keyboard?: InlineKeyboard }> {
    const all = await sorted();
    if (!all.length) return { text: ctx.t('feeds-empty') };
    const t = now();
    const pages = Math.ceil(all.length / FEEDS_PAGE_SIZE);
    const p = Math.min(Math.max(0, page), pages - 1);
    const counts = Object.fromEntries(HEALTHS.map((h) => [h, 0])) as Record<SourceHealth, number>;
    for (const r of all) counts[sourceHealth(r, t)]++;
    const slice = all.slice(p * FEEDS_PAGE_SIZE, (p + 1) * FEEDS_PAGE_SIZE);
    const header = ctx.t('feeds-page-header', { count: all.length, ...counts, page: p + 1, pages });
    const lines = slice.map((r) => feedRow(ctx, r, t));
    const kb = new InlineKeyboard();
    slice.forEach((r, i) => {
      const data = `fd:s:${r.source.id}:${p}`;
      if (fitsCallback(data)) kb.text(`${HEALTH_ICON[sourceHealth(r, t)]} ${r.source.id}`, data);
      if (i % 2 === 1) kb.row();
    });
    if (pages > 1) {
      kb.row();
      kb.text(p > 0 ? '◀' : '·', p > 0 ? `fd:p:${p - 1}` : 'fd:x');
      kb.text(`${p + 1}/${pages}`, 'fd:x');
      kb.text(p < pages - 1 ? '▶' : '·', p < pages - 1 ? `fd:p:${p + 1}` : 'fd:x');
    }
    return { text: [header, '', ...lines].join('\n'), keyboard: kb };
  }

  function detailView(ctx: BotContext, r: SourceRecord, page: number, note?: string): { text: string; keyboard: InlineKeyboard } {
    const t = now();
    const s = r.source;
    const st = r.state as PolledState;
    const none = ctx.t('feed-none');
    const text = ctx.t('feed-detail', {
      icon: HEALTH_ICON[sourceHealth(r, t)],
      name: escapeHtml(s.name),
      id: escapeHtml(s.id),
      url: escapeHtml(s.url),
      health: ctx.t(`health-${sourceHealth(r, t)}`),
      success: st.lastSuccessAt !== undefined ? ctx.t('feed-ago', { ago: ago(t - st.lastSuccessAt) }) : none,
      check: st.lastCheckAt !== undefined ? ctx.t('feed-ago', { ago: ago(t - st.lastCheckAt) }) : none,
      duration: st.lastDurationMs !== undefined ? `${(st.lastDurationMs / 1000).toFixed(1)}s` : none,
      error: st.lastError ? escapeHtml(`${st.lastError.name}: ${st.lastError.message}`.slice(0, 200)) : none,
      errors: st.errorCount,
      items: itemsToday(st, t),
      next: s.enabled ? nextCheck(ctx, st.nextCheckAt, t) : none,
      origin: escapeHtml(s.origin),
    });
    const kb = new InlineKeyboard();
    const data = (op: string) => `fd:${op}:${s.id}:${page}`;
    if (fitsCallback(data('d'))) {
      kb.text(s.enabled ? ctx.t('btn-feed-disable') : ctx.t('btn-feed-enable'), data(s.enabled ? 'd' : 'e'));
      if (s.enabled && deps.poller) kb.text(ctx.t('btn-feed-poll'), data('n'));
      kb.row();
    }
    kb.text(ctx.t('btn-feed-back'), `fd:p:${page}`);
    return { text: note ? `${text}\n\n${note}` : text, keyboard: kb };
  }

  async function setEnabled(ctx: BotContext, rec: SourceRecord, enabled: boolean, via: 'command' | 'button'): Promise<SourceRecord> {
    const next: SourceRecord = { source: { ...rec.source, enabled }, state: { ...rec.state } };
    if (enabled) {
      // A fresh start: check it on the next tick, and do not let old failures disable it again at once.
      next.state.errorCount = 0;
      next.state.nextCheckAt = now();
    }
    await stores.sources.save(next);
    logger.info({ adminId: ctx.from!.id, sourceId: rec.source.id, enabled }, enabled ? 'source enabled' : 'source disabled');
    await deps.audit.record(ctx.from!.id, enabled ? 'enablefeed' : 'disablefeed', { sourceId: rec.source.id, via });
    return next;
  }

  c.command('feeds', async (ctx) => {
    const page = Math.max(1, Number.parseInt(commandArg(ctx), 10) || 1) - 1;
    const { text, keyboard } = await pageView(ctx, page);
    await replyHtml(ctx, text, keyboard ? { reply_markup: keyboard } : {});
  });

  c.callbackQuery(/^fd:x$/, (ctx) => ctx.answerCallbackQuery());

  c.callbackQuery(/^fd:p:(\d+)$/, async (ctx) => {
    const { text, keyboard } = await pageView(ctx, Number(ctx.match[1]));
    await ctx.answerCallbackQuery();
    await editHtml(ctx, text, keyboard);
  });

  c.callbackQuery(/^fd:([sden]):(.+):(\d+)$/, async (ctx) => {
    const [, op, id, pageStr] = ctx.match;
    const page = Number(pageStr);
    const rec = await stores.sources.get(id!);
    if (!rec) {
      await ctx.answerCallbackQuery({ text: ctx.t('feed-gone'), show_alert: true });
      const { text, keyboard } = await pageView(ctx, page);
      return void (await editHtml(ctx, text, keyboard));
    }
    if (op === 's') {
      await ctx.answerCallbackQuery();
      const { text, keyboard } = detailView(ctx, rec, page);
      return void (await editHtml(ctx, text, keyboard));
    }
    if (op === 'd' || op === 'e') {
      const enable = op === 'e';
      const next = rec.source.enabled === enable ? rec : await setEnabled(ctx, rec, enable, 'button');
      await ctx.answerCallbackQuery({ text: ctx.t(enable ? 'feed-cb-enabled' : 'feed-cb-disabled', { id: rec.source.id }) });
      const { text, keyboard } = detailView(ctx, next, page);
      return void (await editHtml(ctx, text, keyboard));
    }
    // Poll now: answer at once (a poll may take seconds), then show the outcome.
    if (!deps.poller || !rec.source.enabled) return void (await ctx.answerCallbackQuery());
    await ctx.answerCallbackQuery({ text: ctx.t('feed-cb-polling', { id: rec.source.id }) });
    await deps.audit.record(ctx.from.id, 'pollfeed', { sourceId: rec.source.id });
    const outcome = await deps.poller.pollSource(rec.source.id);
    const after = (await stores.sources.get(rec.source.id)) ?? rec;
    const { text, keyboard } = detailView(ctx, after, page, outcomeNote(ctx, outcome));
    await editHtml(ctx, text, keyboard);
  });

  for (const [command, enable] of [['disablefeed', false], ['enablefeed', true]] as const) {
    c.command(command, async (ctx) => {
      const arg = commandArg(ctx);
      if (!arg) return void (await replyHtml(ctx, ctx.t(`${command}-usage`)));
      const rec = await find(arg);
      if (!rec) return void (await replyHtml(ctx, ctx.t('removefeed-missing')));
      const id = escapeHtml(rec.source.id);
      if (rec.source.enabled === enable) return void (await replyHtml(ctx, ctx.t(`${command}-already`, { id })));
      await setEnabled(ctx, rec, enable, 'command');
      await replyHtml(ctx, ctx.t(`${command}-done`, { id }));
    });
  }

  c.command('exportfeeds', async (ctx) => {
    const all = await sorted();
    const xml = toOpml(
      all.map((r) => r.source),
      { now: new Date(now()) },
    );
    const day = new Date(now()).toISOString().slice(0, 10);
    await ctx.replyWithDocument(new InputFile(Buffer.from(xml, 'utf8'), `nabaa-feeds-${day}.opml`), {
      caption: ctx.t('exportfeeds-caption', { count: all.length }),
      parse_mode: 'HTML',
    });
    await deps.audit.record(ctx.from!.id, 'exportfeeds', { count: all.length });
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
    const rec = await find(arg);
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
    await deps.audit.record(ctx.from!.id, 'pollnow', { count });
    const results = await deps.poller.pollAll();
    const n = (s: string) => results.filter((r) => r.status === s).length;
    const sum = (k: 'fresh' | 'alerts') => results.reduce((acc, r) => acc + (r[k] ?? 0), 0);
    await replyHtml(ctx, ctx.t('pollnow-done', { ok: n('ok'), notModified: n('not-modified'), failed: n('error'), fresh: sum('fresh'), alerts: sum('alerts') }));
  });

  // OPML import: an admin sends the file. Anyone else's documents pass through untouched.
  c.on('message:document', async (ctx, next) => {
    const doc = ctx.msg.document;
    const name = doc.file_name ?? '';
    const looksOpml = /\.(opml|xml)$/i.test(name) || /opml/i.test(doc.mime_type ?? '');
    if (!isAdmin(ctx) || !looksOpml) return next();
    if ((doc.file_size ?? 0) > MAX_OPML_BYTES) {
      return void (await replyHtml(ctx, ctx.t('importfeeds-too-large', { max: MAX_OPML_BYTES / 1024 })));
    }
    let entries: OpmlEntry[];
    try {
      const xml = await downloadFile(ctx);
      entries = fromOpml(xml).slice(0, MAX_OPML_FEEDS);
    } catch (err) {
      const code = err instanceof FeedError ? err.code : 'internal';
      // Never log the error itself: the file URL carries the bot token.
      logger.warn({ adminId: ctx.from!.id, code }, 'OPML file could not be read');
      return void (await replyHtml(ctx, ctx.t('importfeeds-unreadable', { error: escapeHtml(code) })));
    }
    if (!entries.length) return void (await replyHtml(ctx, ctx.t('importfeeds-none')));
    const file = escapeHtml(name);
    const started = await replyHtml(ctx, ctx.t('importfeeds-started', { count: entries.length, file }));
    // A long import (hundreds of feeds, each up to a fetch timeout) edits its message as feeds are
    // checked: about ten edits at most, one at a time; a failed edit never stops the import.
    const step = Math.max(IMPORT_PROGRESS_STEP, Math.ceil(entries.length / 10));
    let editing: Promise<unknown> | undefined;
    const progress = (checked: number) => {
      if (checked % step !== 0 || checked >= entries.length || editing) return;
      const text = ctx.t('importfeeds-progress', { count: entries.length, file, checked });
      editing = ctx.api
        .editMessageText(started.chat.id, started.message_id, text, { parse_mode: 'HTML' })
        .catch((err: unknown) => logger.warn({ err, adminId: ctx.from!.id }, 'could not show OPML import progress'))
        .finally(() => (editing = undefined));
    };
    const report = await importEntries(entries, ctx.from!.id, progress);
    await editing;
    logger.info({ adminId: ctx.from!.id, added: report.added.length, skipped: report.skipped, failed: report.failed.length }, 'OPML imported');
    await deps.audit.record(ctx.from!.id, 'importfeeds', {
      file: name.slice(0, 100),
      added: report.added.length,
      skipped: report.skipped,
      failed: report.failed.length,
    });
    const lines = [ctx.t('importfeeds-done', { added: report.added.length, skipped: report.skipped, failed: report.failed.length })];
    for (const f of report.failed.slice(0, MAX_FAILED_LINES)) {
      lines.push(ctx.t('importfeeds-failed-line', { url: escapeHtml(f.url.slice(0, 200)), error: escapeHtml(f.error) }));
    }
    if (report.failed.length > MAX_FAILED_LINES) lines.push(ctx.t('importfeeds-more', { count: report.failed.length - MAX_FAILED_LINES }));
    await replyHtml(ctx, lines.join('\n'));
  });

  /** The document's text, fetched from the Bot API file endpoint under the usual bounds. */
  async function downloadFile(ctx: BotContext): Promise<string> {
    const file = await ctx.getFile();
    if (!file.file_path) throw new FeedError('network', 'Telegram gave no file path');
    const root = ctx.api.options?.apiRoot ?? 'https://api.telegram.org';
    const url = `${root}/file/bot${ctx.api.token}/${file.file_path}`;
    const res = await fetchText(url, { trusted: true, limits: { maxBytes: MAX_OPML_BYTES, maxDecodedBytes: 4 * MAX_OPML_BYTES } });
    if (res.status !== 'ok') throw new FeedError('network', 'no file content');
    return res.body;
  }

  /**
   * Add the entries that are new and really feeds. Each URL is fetched and parsed as a feed with the
   * chat-added rules (SSRF guard unless ALLOW_PRIVATE_FEEDS), a few at a time, politely per host.
   */
  async function importEntries(entries: OpmlEntry[], adminId: number, progress: (checked: number) => void) {
    const existing = await stores.sources.all();
    const ids = new Set(existing.map((r) => r.source.id));
    const urls = new Set(existing.map((r) => r.source.url));
    const added: string[] = [];
    const failed: { url: string; error: string }[] = [];
    let skipped = 0;
    const fresh: OpmlEntry[] = [];
    for (const e of entries) {
      if (urls.has(e.url)) skipped++;
      else {
        urls.add(e.url);
        fresh.push(e);
      }
    }
    const limiter = new ConcurrencyLimiter({ overall: 6, perHost: 2 });
    const opts: FetchOptions = { trusted: false, allowPrivate: deps.allowPrivateFeeds, limiter };
    let done = skipped; // duplicates need no check
    const checked = await Promise.all(
      fresh.map(async (e) => {
        try {
          const res = await fetchFeed(e.url, opts);
          if (res.status !== 'ok') throw new FeedError('not_feed', 'no content');
          const feed = parseFeed(res.body, { sourceId: 'check', baseUrl: res.url });
          return { e, feed };
        } catch (err) {
          return { e, error: err instanceof FeedError ? err.code : 'internal' };
        } finally {
          progress(++done);
        }
      }),
    );
    for (const r of checked) {
      if ('error' in r) {
        failed.push({ url: r.e.url, error: r.error! });
        continue;
      }
      const wanted = r.e.id && /^[a-z0-9][a-z0-9-]{0,39}$/.test(r.e.id) ? r.e.id : sourceIdFor(r.e.url);
      const id = ids.has(wanted) ? sourceIdFor(r.e.url) : wanted;
      if (ids.has(id)) {
        skipped++;
        continue;
      }
      const source = sourceFromUrl(r.e.url, 'chat', {
        id,
        name: (r.e.name || r.feed.title || new URL(r.e.url).hostname).slice(0, 80),
        addedBy: adminId,
        addedAt: now(),
        ...(r.e.homepage ?? r.feed.link ? { homepage: (r.e.homepage ?? r.feed.link)! } : {}),
        ...(r.e.region ? { region: r.e.region } : {}),
        ...(r.e.fullText !== undefined ? { fullText: r.e.fullText } : {}),
      });
      await stores.sources.save({ source, state: emptyState(now()) });
      ids.add(id);
      added.push(id);
    }
    return { added, skipped, failed };
  }

  return c;
}

function outcomeNote(ctx: BotContext, o: SourceOutcome): string {
  return ctx.t('feed-polled', { status: escapeHtml(o.status === 'error' ? (o.error ?? 'error') : o.status), fresh: o.fresh ?? 0 });
}

/** Edit the message the button is on; "message is not modified" is not an error here. */
async function editHtml(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  try {
    await ctx.editMessageText(text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  } catch (err) {
    if (err instanceof Error && /message is not modified/i.test(err.message)) return;
    throw err;
  }
}

function nextCheck(ctx: BotContext, at: number, now: number): string {
  return at <= now ? ctx.t('feed-next-due') : ctx.t('feed-next-in', { in: ago(at - now) });
}

/** One source on a /feeds page: icon, id, name, then health, last success, last error, items today, next check. */
export function feedRow(ctx: BotContext, r: SourceRecord, now: number): string {
  const { source: s, state } = r;
  const health = sourceHealth(r, now);
  const parts: string[] = [ctx.t(`health-${health}`)];
  parts.push(state.lastSuccessAt !== undefined ? ctx.t('feed-last-success', { ago: ago(now - state.lastSuccessAt) }) : ctx.t('feed-never'));
  if (state.lastError) parts.push(ctx.t('feed-last-error', { error: escapeHtml(state.lastError.name), count: state.errorCount }));
  parts.push(ctx.t('feed-items-today', { items: itemsToday(state, now) }));
  if (s.enabled) parts.push(nextCheck(ctx, state.nextCheckAt, now));
  return ctx.t('feeds-row', { icon: HEALTH_ICON[health], id: escapeHtml(s.id), name: escapeHtml(s.name), details: parts.join(' · ') });
}

function fitsCallback(data: string): boolean {
  return Buffer.byteLength(data, 'utf8') <= 64;
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
