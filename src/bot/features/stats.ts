import { Composer, InputFile } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { htmlToPlain } from '../../delivery/sender.js';
import { type ChartLabels, renderStatsChart, seconds } from '../../ops/chart.js';
import { STATS_HOURS, TOP_PLACES, collectStats } from '../../ops/stats-data.js';
import { TOPIC_NAMES } from '../../pipeline/topics.js';
import { scaleStatusLines } from '../../scale/status.js';
import type { Lane, Locale, TopicId } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { replyHtml } from '../util.js';

/** Telegram's limit for a photo caption (characters after entity parsing). */
export const CAPTION_LIMIT = 1024;

/** Fluent wraps variables in bidi isolation marks; the chart draws plain text. */
const unisolate = (s: string) => s.replace(/[\u2068\u2069]/g, '');

/**
 * Admin /stats: one PNG with the last 48 hours (alerts sent per hour by lane, new articles per hour
 * by source, delivery latency p50/p95, followers per topic and for the ten most followed places),
 * and the same numbers as text for screen readers — as the caption when it fits, else as a
 * message right after. Without hourly stats (no `deps.timeseries`) or when the chart cannot be
 * drawn, the text alone. Mounted behind the admin guard.
 */
export function statsFeature(deps: BotDeps) {
  const { profiles, stores, outbox } = deps;
  const now = deps.now ?? Date.now;
  const c = new Composer<BotContext>();

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
    const ranked = (m: Map<string, number>, name: (k: string) => string, n: number) =>
      [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k, v]) => ({ label: name(k), value: v }));
    const topicName = (k: string) => TOPIC_NAMES[k as TopicId]?.[locale] ?? k;
    const placeName = (k: string) => deps.gazetteer.get(k)?.name ?? k;
    const topics = ranked(counts.topics, topicName, 12);
    const places = ranked(counts.places, placeName, TOP_PLACES);
    const sep = locale === 'ar' ? '، ' : ', ';
    const list = (items: Array<{ label: string; value: number }>) => items.map((i) => `${escapeHtml(i.label)} ${i.value}`).join(sep);

    let png: Buffer | undefined;
    if (deps.timeseries) {
      const data = await collectStats({
        timeseries: deps.timeseries,
        now: now(),
        sources: sources.map((s) => ({ id: s.source.id, name: s.source.name })),
        topics,
        places,
        laneLabel: (lane: Lane) => unisolate(ctx.t(`stats-lane-${lane}`)),
        otherLabel: unisolate(ctx.t('stats-other')),
      });
      const { totals } = data;
      lines.push(ctx.t('stats-sent', { hours: STATS_HOURS, alert: totals.sent.alert, digest: totals.sent.digest, broadcast: totals.sent.broadcast }));
      lines.push(
        totals.topSources.length
          ? ctx.t('stats-articles', { hours: STATS_HOURS, count: totals.articles, items: list(totals.topSources) })
          : ctx.t('stats-articles-none', { hours: STATS_HOURS }),
      );
      lines.push(
        totals.p50 === undefined
          ? ctx.t('stats-latency-none', { hours: STATS_HOURS })
          : ctx.t('stats-latency', { p50: seconds(totals.p50), p95: seconds(totals.p95 ?? totals.p50) }),
      );
      const labels: ChartLabels = {
        title: ctx.t('stats-chart-title'),
        subtitle: ctx.t('stats-chart-subtitle', { hours: STATS_HOURS }),
        sent: ctx.t('stats-chart-sent'),
        articles: ctx.t('stats-chart-articles'),
        latency: ctx.t('stats-chart-latency'),
        topics: ctx.t('stats-chart-topics'),
        places: ctx.t('stats-chart-places', { count: TOP_PLACES }),
        empty: ctx.t('stats-chart-empty'),
        p50: ctx.t('stats-chart-p50'),
        p95: ctx.t('stats-chart-p95'),
        seconds: ctx.t('stats-chart-seconds'),
      };
      try {
        const chart = await renderStatsChart(data.chart, {
          labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, unisolate(v)])) as unknown as ChartLabels,
          rtl: locale === 'ar',
          stamp: `${new Date(now()).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        });
        png = chart.png;
      } catch (err) {
        ctx.logger.error({ err }, 'stats chart failed; sending the text only');
      }
    }
    if (topics.length) lines.push(ctx.t('stats-topics', { items: list(topics) }));
    if (places.length) lines.push(ctx.t('stats-places', { items: list(places) }));
    if (failing.length) {
      lines.push(ctx.t('stats-failing', { items: failing.map((s) => `${escapeHtml(s.source.id)} (${escapeHtml(s.state.lastError?.name ?? '?')})`).join(sep) }));
    }
    // Scaled out (issue 7): workers alive, queue depths, poller leader; nothing in one process.
    lines.push(...(await scaleStatusLines(deps, locale)).map(escapeHtml));
    const text = lines.join('\n');
    if (!png) return void (await replyHtml(ctx, text));
    const fits = htmlToPlain(text).length <= CAPTION_LIMIT;
    await ctx.replyWithPhoto(new InputFile(png, 'nabaa-stats.png'), {
      caption: fits ? text : ctx.t('stats-chart-caption', { hours: STATS_HOURS }),
      parse_mode: 'HTML',
    });
    if (!fits) await replyHtml(ctx, text);
  });

  return c;
}
