import { Composer } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import { TOPIC_NAMES } from '../../pipeline/topics.js';
import type { Locale, TopicId } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { replyHtml } from '../util.js';

/** Admin /stats. Mounted behind the admin guard. */
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
    const top = (m: Map<string, number>, name: (k: string) => string, n: number) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${escapeHtml(name(k))} ${v}`).join('، ');
    if (counts.topics.size) lines.push(ctx.t('stats-topics', { items: top(counts.topics, (k) => TOPIC_NAMES[k as TopicId][locale], 12) }));
    if (counts.places.size) lines.push(ctx.t('stats-places', { items: top(counts.places, (k) => deps.gazetteer.get(k)?.name ?? k, 10) }));
    if (failing.length) {
      lines.push(ctx.t('stats-failing', { items: failing.map((s) => `${escapeHtml(s.source.id)} (${escapeHtml(s.state.lastError?.name ?? '?')})`).join('، ') }));
    }
    await replyHtml(ctx, lines.join('\n'));
  });

  return c;
}
