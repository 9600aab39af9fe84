import { Composer, InlineKeyboard } from 'grammy';
import {
  DEFAULT_DIGEST_HOUR,
  DEFAULT_TZ,
  isValidTimezone,
  nextDigestAt,
  TZ_CITIES,
} from '../../chat-policy.js';
import { escapeHtml } from '../../delivery/render.js';
import { digestBuffer } from '../../digest/buffer.js';
import type { ChatProfile, ChatSettings, Locale } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';
import { type ChatTarget, chatTarget, editableTarget } from './access.js';
import { targetNote } from './follow.js';

export const CAP_STEPS = [0, 5, 10, 20] as const;
export const QUIET_PRESETS: ReadonlyArray<[number, number]> = [
  [22, 7],
  [23, 7],
  [0, 8],
  [21, 6],
];
export const OFFSET_CHOICES = ['UTC+0', 'UTC+1', 'UTC+2', 'UTC+3', 'UTC+4', 'UTC+5', 'UTC-5'];

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** The settings screen text: what this chat gets and when. */
export function settingsText(ctx: BotContext, target: ChatTarget, p: ChatProfile | undefined, locale: Locale): string {
  const s = p?.settings ?? {};
  const tz = s.tz ?? DEFAULT_TZ;
  const city = TZ_CITIES.find((c) => c.tz === tz);
  const mode =
    s.mode === 'hourly'
      ? ctx.t('settings-mode-hourly')
      : s.mode === 'daily'
        ? ctx.t('settings-mode-daily', { time: hh(s.digestHour ?? DEFAULT_DIGEST_HOUR) })
        : ctx.t('settings-mode-instant');
  const quiet = s.quiet
    ? ctx.t(s.quiet.action === 'digest' ? 'settings-quiet-digest' : 'settings-quiet-silent', { from: hh(s.quiet.from), to: hh(s.quiet.to) })
    : ctx.t('settings-off');
  const lines = [
    targetNote(ctx, target) + ctx.t('settings-header'),
    ctx.t('settings-line-mode', { mode }),
    ctx.t('settings-line-tz', { tz: escapeHtml(city ? `${city[locale]} (${tz})` : tz) }),
    ctx.t('settings-line-quiet', { quiet }),
    ctx.t('settings-line-cap', { cap: s.hourlyCap ? String(s.hourlyCap) : ctx.t('settings-off') }),
    ctx.t('settings-line-sound', { sound: ctx.t(s.silent ? 'settings-sound-off' : 'settings-sound-on') }),
    ctx.t('settings-line-preview', { preview: ctx.t(s.linkPreview ? 'settings-on' : 'settings-off') }),
    ctx.t('settings-line-group', { group: ctx.t(s.groupBy === 'place' ? 'settings-group-place' : 'settings-group-topic') }),
  ];
  if (s.threadId) lines.push(ctx.t('settings-line-thread'));
  return lines.join('\n');
}

export function settingsKeyboard(ctx: BotContext, p: ChatProfile | undefined, opts: { inTopic: boolean; isPrivate: boolean }): InlineKeyboard {
  const s = p?.settings ?? {};
  const mark = (on: boolean, label: string) => (on ? `✅ ${label}` : label);
  const mode = s.mode ?? 'instant';
  const kb = new InlineKeyboard()
    .text(mark(mode === 'instant', ctx.t('btn-mode-instant')), 's:mode:instant')
    .text(mark(mode === 'hourly', ctx.t('btn-mode-hourly')), 's:mode:hourly')
    .text(mark(mode === 'daily', ctx.t('btn-mode-daily')), 's:mode:daily')
    .row();
  if (mode === 'daily') {
    kb.text('−1h', 's:dh:-1').text(`🕗 ${hh(s.digestHour ?? DEFAULT_DIGEST_HOUR)}`, 's:noop').text('+1h', 's:dh:1').row();
  }
  kb.text(ctx.t('btn-timezone'), 's:tz').text(ctx.t('btn-quiet'), 's:q').row();
  kb.text(ctx.t('btn-cap', { cap: s.hourlyCap ? String(s.hourlyCap) : '∞' }), 's:cap')
    .text(ctx.t(s.silent ? 'btn-sound-off' : 'btn-sound-on'), 's:sil')
    .row();
  kb.text(ctx.t(s.linkPreview ? 'btn-preview-on' : 'btn-preview-off'), 's:prev')
    .text(ctx.t(s.groupBy === 'place' ? 'btn-group-place' : 'btn-group-topic'), 's:grp')
    .row();
  if (opts.inTopic) kb.text(ctx.t('btn-thread-here'), 's:thr:here').row();
  if (s.threadId) kb.text(ctx.t('btn-thread-clear'), 's:thr:0').row();
  if (opts.isPrivate) {
    kb.text(ctx.t('btn-setup-language'), 'ob:lang').text(ctx.t('btn-setup-topics'), 'ob:topics').row();
    kb.text(ctx.t('btn-setup-places'), 'ob:places').text(ctx.t('btn-setup-keywords'), 'ob:kw').row();
  }
  return kb.text(ctx.t('btn-done'), 's:done');
}

function tzKeyboard(ctx: BotContext, locale: Locale): InlineKeyboard {
  const kb = new InlineKeyboard();
  TZ_CITIES.forEach((c, i) => {
    kb.text(c[locale], `s:tzc:${c.id}`);
    if (i % 3 === 2) kb.row();
  });
  kb.row();
  OFFSET_CHOICES.forEach((o, i) => {
    kb.text(o, `s:tzo:${o.slice(3)}`);
    if (i % 4 === 3) kb.row();
  });
  return kb.row().text(ctx.t('btn-back'), 's:main');
}

function quietKeyboard(ctx: BotContext, s: ChatSettings): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const [from, to] of QUIET_PRESETS) {
    const on = s.quiet?.from === from && s.quiet?.to === to;
    kb.text(`${on ? '✅ ' : ''}${hh(from)}–${hh(to)}`, `s:qs:${from}:${to}`);
  }
  kb.row().text(`${s.quiet ? '' : '✅ '}${ctx.t('settings-off')}`, 's:qs:off').row();
  const action = s.quiet?.action ?? 'digest';
  kb.text(`${action === 'digest' ? '✅ ' : ''}${ctx.t('btn-quiet-digest')}`, 's:qa:digest')
    .text(`${action === 'silent' ? '✅ ' : ''}${ctx.t('btn-quiet-silent')}`, 's:qa:silent')
    .row();
  return kb.text(ctx.t('btn-back'), 's:main');
}

/** Apply a settings change, then move any pending digest to the new schedule. */
export async function changeSettings(deps: BotDeps, target: ChatTarget, fn: (s: ChatSettings) => void): Promise<ChatProfile> {
  const p = await deps.profiles.update(target.id, target.type, (q) => {
    const s = { ...(q.settings ?? {}) };
    fn(s);
    q.settings = s;
  });
  const now = (deps.now ?? Date.now)();
  const s = p.settings;
  // Instant again: what waits goes out at the next tick; otherwise at the new digest time.
  const due = !s?.mode || s.mode === 'instant' ? (s?.hourlyCap || s?.quiet ? nextDigestAt(s, now) : now) : nextDigestAt(s, now);
  await digestBuffer(deps.stores.meta).reschedule(target.id, due);
  return p;
}

/** The forum topic this update was sent in (not a plain reply thread), if any. */
export function topicThread(ctx: BotContext): number | undefined {
  const m = ctx.msg ?? ctx.callbackQuery?.message;
  return m && 'is_topic_message' in m && m.is_topic_message && m.message_thread_id ? m.message_thread_id : undefined;
}

/** Resolve what a person typed as a timezone: a city we list, an offset, or an IANA zone. */
export function parseTimezone(input: string): string | undefined {
  const text = input.trim();
  const city = TZ_CITIES.find((c) => c.ar === text || c.en.toLowerCase() === text.toLowerCase());
  if (city) return city.tz;
  const off = /^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::(\d{2}))?$/i.exec(text);
  if (off) {
    const tz = `UTC${off[1]}${Number(off[2])}${off[3] ? `:${off[3]}` : ''}`;
    return isValidTimezone(tz) ? tz : undefined;
  }
  return isValidTimezone(text) && text.includes('/') ? text : undefined;
}

/** /settings: delivery mode, digest time, timezone, quiet hours, cap, sound, previews, forum topic. */
export function settingsFeature(deps: BotDeps) {
  const { profiles } = deps;
  const c = new Composer<BotContext>();
  const locale = async (ctx: BotContext) => (await ctx.i18n.getLocale()) as Locale;
  const opts = (ctx: BotContext) => ({
    inTopic: topicThread(ctx) !== undefined,
    isPrivate: ctx.chat?.type === 'private',
  });

  const show = async (ctx: BotContext, target: ChatTarget, edit: boolean) => {
    const p = profiles.get(target.id);
    const text = settingsText(ctx, target, p, await locale(ctx));
    const reply_markup = settingsKeyboard(ctx, p, opts(ctx));
    if (edit) await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup });
    else await replyHtml(ctx, text, { reply_markup });
  };

  c.command('settings', async (ctx) => {
    const arg = commandArg(ctx);
    const inTopic = topicThread(ctx);
    if (arg || inTopic) {
      const target = await editableTarget(ctx, deps);
      if (!target) return;
      const tzArg = /^(?:tz|timezone|المنطقة)\s+(.+)$/i.exec(arg);
      if (tzArg) {
        const tz = parseTimezone(tzArg[1]!);
        if (!tz) return void (await replyHtml(ctx, ctx.t('settings-tz-invalid', { tz: escapeHtml(tzArg[1]!) })));
        await changeSettings(deps, target, (s) => void (s.tz = tz));
      } else if (arg) {
        return void (await replyHtml(ctx, ctx.t('settings-usage')));
      }
      if (inTopic && !arg) await changeSettings(deps, target, (s) => void (s.threadId = inTopic));
      return show(ctx, target, false);
    }
    const target = await chatTarget(ctx, deps);
    if (target) await show(ctx, target, false);
  });

  c.callbackQuery(/^s:(.+)$/, async (ctx) => {
    const data = ctx.match[1]!;
    if (data === 'noop') return void (await ctx.answerCallbackQuery());
    if (data === 'done') {
      await ctx.answerCallbackQuery();
      return void (await ctx.editMessageText(ctx.t('settings-saved'), { parse_mode: 'HTML' }));
    }
    const target = await editableTarget(ctx, deps);
    if (!target) return;
    const loc = await locale(ctx);
    const p = profiles.get(target.id);
    if (data === 'tz') {
      await ctx.answerCallbackQuery();
      return void (await ctx.editMessageText(ctx.t('settings-tz-prompt'), { parse_mode: 'HTML', reply_markup: tzKeyboard(ctx, loc) }));
    }
    if (data === 'q') {
      await ctx.answerCallbackQuery();
      return void (await ctx.editMessageText(ctx.t('settings-quiet-prompt'), { parse_mode: 'HTML', reply_markup: quietKeyboard(ctx, p?.settings ?? {}) }));
    }
    if (data === 'main') {
      await ctx.answerCallbackQuery();
      return show(ctx, target, true);
    }
    const [what, a, b] = data.split(':');
    let back: 'main' | 'quiet' = 'main';
    const change = (fn: (s: ChatSettings) => void) => changeSettings(deps, target, fn);
    switch (what) {
      case 'mode':
        if (a === 'instant' || a === 'hourly' || a === 'daily') await change((s) => void (s.mode = a));
        break;
      case 'dh':
        await change((s) => void (s.digestHour = (((s.digestHour ?? DEFAULT_DIGEST_HOUR) + Number(a)) % 24 + 24) % 24));
        break;
      case 'tzc': {
        const city = TZ_CITIES.find((x) => x.id === a);
        if (city) await change((s) => void (s.tz = city.tz));
        break;
      }
      case 'tzo': {
        const tz = `UTC${a}`;
        if (isValidTimezone(tz)) await change((s) => void (s.tz = tz));
        break;
      }
      case 'qs':
        back = 'quiet';
        await change((s) => {
          if (a === 'off') delete s.quiet;
          else s.quiet = { from: Number(a) % 24, to: Number(b) % 24, action: s.quiet?.action ?? 'digest' };
        });
        break;
      case 'qa':
        back = 'quiet';
        if (a === 'digest' || a === 'silent') {
          await change((s) => void (s.quiet = { ...(s.quiet ?? { from: 22, to: 7 }), action: a }));
        }
        break;
      case 'cap':
        await change((s) => {
          const i = CAP_STEPS.indexOf((s.hourlyCap ?? 0) as (typeof CAP_STEPS)[number]);
          const next = CAP_STEPS[(i + 1) % CAP_STEPS.length]!;
          if (next) s.hourlyCap = next;
          else delete s.hourlyCap;
        });
        break;
      case 'sil':
        await change((s) => void (s.silent = !s.silent));
        break;
      case 'prev':
        await change((s) => void (s.linkPreview = !s.linkPreview));
        break;
      case 'grp':
        await change((s) => void (s.groupBy = s.groupBy === 'place' ? 'topic' : 'place'));
        break;
      case 'thr': {
        const thread = topicThread(ctx);
        await change((s) => {
          if (a === 'here' && thread) s.threadId = thread;
          else delete s.threadId;
        });
        break;
      }
      default:
        return void (await ctx.answerCallbackQuery());
    }
    await ctx.answerCallbackQuery({ text: ctx.t('settings-changed') });
    if (back === 'quiet') {
      const q = profiles.get(target.id);
      return void (await ctx.editMessageReplyMarkup({ reply_markup: quietKeyboard(ctx, q?.settings ?? {}) }));
    }
    await show(ctx, target, true);
  });

  return c;
}
