import { Composer } from 'grammy';
import { addMute } from '../../chat-policy.js';
import type { MatchReason } from '../../matcher/index.js';
import { TOPIC_NAMES } from '../../pipeline/topics.js';
import { follows, type Target, targetName, toggleTarget } from '../../subscriptions.js';
import { type Article, type Locale, TOPIC_IDS, type TopicId } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editableTarget } from './access.js';

export const MUTE_MS = 24 * 3600_000;

const KINDS: Record<string, MatchReason['kind']> = { p: 'place', t: 'topic', k: 'keyword' };

/** The target a button's `<code>:<id>` names, if it is valid. */
function parseTarget(code: string, id: string, deps: BotDeps): Target | undefined {
  const kind = KINDS[code];
  if (kind === 'topic') return TOPIC_IDS.includes(id as TopicId) ? { kind, id: id as TopicId } : undefined;
  if (kind === 'place') return deps.gazetteer.get(id) ? { kind, id } : undefined;
  if (kind === 'keyword') return id ? { kind, id } : undefined;
  return undefined;
}

/** What "more like this" adds: the story's main place, else its main topic, not already followed. */
export function moreLikeThis(a: Pick<Article, 'places' | 'topics'>, followsTarget: (t: Target) => boolean): Target | undefined {
  const candidates: Target[] = [
    ...a.places.map((p) => ({ kind: 'place' as const, id: p.id })),
    ...a.topics.map((id) => ({ kind: 'topic' as const, id })),
  ];
  return candidates.find((t) => !followsTarget(t));
}

/** The buttons under each alert: mute for a day (m:), unfollow (u:), more like this (ml:). */
export function alertActionsFeature(deps: BotDeps) {
  const { profiles, gazetteer: gaz } = deps;
  const now = deps.now ?? Date.now;
  const c = new Composer<BotContext>();
  const locale = async (ctx: BotContext) => (await ctx.i18n.getLocale()) as Locale;

  c.callbackQuery(/^m:([pt]):(.+)$/, async (ctx) => {
    const t = parseTarget(ctx.match[1]!, ctx.match[2]!, deps);
    if (!t || t.kind === 'keyword') return void (await ctx.answerCallbackQuery());
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const at = now();
    await profiles.update(chat.id, chat.type, (p) => void (p.mutes = addMute(p.mutes, { kind: t.kind, id: t.id, until: at + MUTE_MS }, at)));
    await ctx.answerCallbackQuery({ text: ctx.t('alert-muted', { name: targetName(t, await locale(ctx), gaz) }), show_alert: false });
  });

  c.callbackQuery(/^u:([ptk]):(.+)$/, async (ctx) => {
    const t = parseTarget(ctx.match[1]!, ctx.match[2]!, deps);
    if (!t) return void (await ctx.answerCallbackQuery());
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    let changed = false;
    await profiles.update(chat.id, chat.type, (p) => void (changed = toggleTarget(p, t, false)));
    const name = targetName(t, await locale(ctx), gaz);
    await ctx.answerCallbackQuery({ text: ctx.t(changed ? 'alert-unfollowed' : 'alert-not-following', { name }) });
  });

  c.callbackQuery(/^ml:(.+)$/, async (ctx) => {
    const article = await deps.stores.articles.get(ctx.match[1]!);
    if (!article) return void (await ctx.answerCallbackQuery({ text: ctx.t('alert-article-gone') }));
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const current = profiles.get(chat.id);
    const t = moreLikeThis(article, (x) => (current ? follows(current, x) : false));
    const loc = await locale(ctx);
    if (!t) return void (await ctx.answerCallbackQuery({ text: ctx.t('alert-more-nothing') }));
    await profiles.update(chat.id, chat.type, (p) => void toggleTarget(p, t, true));
    const name = t.kind === 'place' ? gaz.path(t.id).join(' › ') || t.id : t.kind === 'topic' ? TOPIC_NAMES[t.id][loc] : t.id;
    await ctx.answerCallbackQuery({ text: ctx.t('alert-more-added', { name }) });
  });

  return c;
}
