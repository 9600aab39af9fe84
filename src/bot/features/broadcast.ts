import { randomUUID } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { BroadcastStateError, Broadcasts, renderBroadcast, type Segment, segmentAudience, stopKeyboard } from '../../delivery/broadcast.js';
import { escapeHtml } from '../../delivery/render.js';
import type { Gazetteer } from '../../pipeline/gazetteer.js';
import { resolveTarget, targetName } from '../../subscriptions.js';
import type { Locale } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { translator } from '../i18n.js';
import { commandArg, replyHtml } from '../util.js';

/** `/broadcast [!paid] [#topic | @place] text`: the options, in any order, before the text. */
export interface BroadcastArgs {
  text: string;
  paid: boolean;
  /** The segment as typed (without # or @), underscores read as spaces (`@دير_الزور`). */
  segment?: { sigil: '#' | '@'; name: string };
}

/** Pure: split the options off the command's argument. */
export function parseBroadcastArgs(arg: string): BroadcastArgs {
  let rest = arg.trim();
  let paid = false;
  let segment: BroadcastArgs['segment'];
  for (;;) {
    const m = /^(\S+)(?:\s+|$)/.exec(rest);
    if (!m) break;
    const word = m[1]!;
    if (word.toLowerCase() === '!paid' && !paid) paid = true;
    else if (!segment && /^[#@]\S+$/u.test(word)) segment = { sigil: word[0] as '#' | '@', name: word.slice(1).replace(/_/g, ' ') };
    else break;
    rest = rest.slice(m[0].length);
  }
  return { text: rest.trim(), paid, ...(segment ? { segment } : {}) };
}

/** A typed segment → a topic or place segment, or undefined when it names neither. */
export function resolveSegment(s: NonNullable<BroadcastArgs['segment']>, gaz: Gazetteer): Segment | undefined {
  const target = resolveTarget(s.name, gaz);
  if (target?.kind === 'topic') return { kind: 'topic', id: target.id };
  if (target?.kind === 'place') return { kind: 'place', id: target.id };
  return undefined;
}

/**
 * Admin /broadcast: preview with the audience size (everyone, or a topic/place segment), then send
 * or cancel by button. Sending turns the preview into a progress message (edited every few seconds,
 * with a stop button) and ends with a report. Mounted behind the admin guard.
 */
export function broadcastFeature(deps: BotDeps) {
  const { profiles, gazetteer, logger } = deps;
  // The app passes the job manager it resumes at start-up; a bare BotDeps (tests) gets its own.
  const jobs = deps.broadcasts ?? standaloneBroadcasts(deps);
  const c = new Composer<BotContext>();
  const localeOf = (ctx: BotContext): Locale => (ctx.chat ? profiles.get(ctx.chat.id)?.locale : undefined) ?? deps.defaultLocale;

  c.command('broadcast', async (ctx) => {
    const args = parseBroadcastArgs(commandArg(ctx));
    if (!args.text) return void (await replyHtml(ctx, ctx.t('broadcast-usage')));
    if (args.paid && !deps.paidBroadcast) return void (await replyHtml(ctx, ctx.t('broadcast-paid-disabled')));
    let segment: Segment | undefined;
    let segmentLabel: string | undefined;
    if (args.segment) {
      segment = resolveSegment(args.segment, gazetteer);
      if (!segment) return void (await replyHtml(ctx, ctx.t('broadcast-bad-segment', { name: escapeHtml(args.segment.name) })));
      segmentLabel = targetName(segment, localeOf(ctx), gazetteer);
    }
    const rec = await jobs.create({
      id: randomUUID().replace(/-/g, '').slice(0, 10),
      text: args.text,
      by: ctx.from!.id,
      adminChat: ctx.chat!.id,
      adminLocale: localeOf(ctx),
      paid: args.paid,
      ...(segment ? { segment } : {}),
      ...(segmentLabel ? { segmentLabel } : {}),
    });
    const lines = [ctx.t('broadcast-preview', { text: escapeHtml(rec.text), count: rec.total })];
    if (segmentLabel) lines.push(ctx.t('broadcast-preview-segment', { segment: escapeHtml(segmentLabel) }));
    if (rec.paid) lines.push(ctx.t('broadcast-preview-paid'));
    const kb = new InlineKeyboard().text(ctx.t('broadcast-send'), `bc:send:${rec.id}`).text(ctx.t('broadcast-cancel'), `bc:cancel:${rec.id}`);
    await replyHtml(ctx, lines.join('\n'), { reply_markup: kb });
  });

  c.callbackQuery(/^bc:(send|cancel|stop):(\w+)$/, async (ctx) => {
    const [, action, id] = ctx.match;
    const rec = await jobs.get(id!);
    const expected = action === 'stop' ? 'sending' : 'pending';
    if (!rec || rec.status !== expected) {
      await ctx.answerCallbackQuery({ text: ctx.t('broadcast-gone') });
      return void (await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined));
    }
    try {
      if (action === 'cancel') {
        await jobs.cancel(rec.id);
        await ctx.answerCallbackQuery();
        return void (await ctx.editMessageText(ctx.t('broadcast-cancelled')));
      }
      if (action === 'stop') {
        const done = await jobs.cancel(rec.id);
        logger.info({ adminId: ctx.from.id, broadcastId: rec.id, sent: done.sent }, 'broadcast stopped');
        await deps.audit.record(ctx.from.id, 'broadcast-stop', { broadcastId: rec.id, sent: done.sent, cancelled: done.cancelled });
        return void (await ctx.answerCallbackQuery({ text: ctx.t('broadcast-stopping') }));
      }
      // The progress message is the preview itself, edited in place from now on.
      const messageId = ctx.callbackQuery.message?.message_id;
      const started = await jobs.confirm(rec.id, messageId);
      logger.info({ adminId: ctx.from.id, broadcastId: rec.id, recipients: started.total, paid: started.paid }, 'broadcast confirmed');
      await deps.audit.record(ctx.from.id, 'broadcast', {
        broadcastId: rec.id,
        recipients: started.total,
        paid: started.paid,
        ...(started.segment ? { segment: `${started.segment.kind}:${started.segment.id}` } : {}),
        text: rec.text.slice(0, 200),
      });
      await ctx.answerCallbackQuery({ text: ctx.t('broadcast-queued', { count: started.total }) });
      await ctx
        .editMessageText(jobs.progressText(started), { parse_mode: 'HTML', reply_markup: stopKeyboard(started, (l, k, v) => ctx.i18n.fluent.translate(l, k, v)) })
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not show broadcast progress'));
    } catch (err) {
      // A double tap racing the first: the job is already running (or over).
      if (!(err instanceof BroadcastStateError)) throw err;
      await ctx.answerCallbackQuery({ text: ctx.t('broadcast-gone') });
    }
  });

  return c;
}

/** A job manager for a BotDeps built without one: deliveries go out, without live progress. */
function standaloneBroadcasts(deps: BotDeps): Broadcasts {
  const t = translator(deps.defaultLocale);
  return new Broadcasts({
    meta: deps.stores.meta,
    outbox: deps.outbox,
    audience: (segment) => segmentAudience(deps.profiles.index, deps.gazetteer, segment),
    localeOf: (id) => deps.profiles.get(id)?.locale ?? deps.defaultLocale,
    render: (rec, locale) => renderBroadcast(t, rec, locale),
    t,
    logger: deps.logger,
    ...(deps.now ? { now: deps.now } : {}),
  });
}
