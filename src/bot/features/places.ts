import { readFileSync } from 'node:fs';
import { Composer, InlineKeyboard } from 'grammy';
import type { Gazetteer } from '../../pipeline/gazetteer.js';
import { escapeHtml } from '../../delivery/render.js';
import { toggleTarget } from '../../subscriptions.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editableTarget } from './access.js';

/** Countries at the top of the browser (Arab League members, then neighbours often in the news). */
export const BROWSE_COUNTRIES = [
  'SY', 'IQ', 'LB', 'JO', 'PS', 'EG', 'SA', 'YE', 'SD', 'LY', 'TN', 'DZ', 'MA', 'AE', 'QA', 'KW', 'BH', 'OM', 'MR', 'SO', 'DJ', 'KM', 'TR', 'IR',
];
export const BROWSE_PAGE = 10;
const KIND_ORDER: Record<string, number> = { governorate: 0, district: 1, city: 2, town: 3, camp: 4, village: 5, area: 6, crossing: 7, water: 8 };

let children: Map<string, string[]> | undefined;

/** Ids of the places directly inside a place (most important first), from the gazetteer data. */
export function childrenOf(gaz: Gazetteer, id: string): string[] {
  if (!children) {
    const url = new URL('../../pipeline/data/gazetteer.json', import.meta.url);
    const rows = (JSON.parse(readFileSync(url, 'utf8')) as { places: Array<[string, string, string, string | 0]> }).places;
    children = new Map();
    for (const [pid, , , parent] of rows) if (parent) children.set(parent, [...(children.get(parent) ?? []), pid]);
    for (const list of children.values()) {
      list.sort((a, b) => {
        const pa = gaz.get(a);
        const pb = gaz.get(b);
        return (KIND_ORDER[pa?.kind ?? ''] ?? 9) - (KIND_ORDER[pb?.kind ?? ''] ?? 9) || (pb?.pop ?? 0) - (pa?.pop ?? 0);
      });
    }
  }
  return children.get(id) ?? [];
}

/**
 * Country › … › place, keeping a place named like its governorate (the city of الحسكة in the
 * governorate of الحسكة reads سوريا › الحسكة › الحسكة).
 */
export function fullPath(gaz: Gazetteer, id: string): string[] {
  const p = gaz.get(id);
  if (!p) return [id];
  return [...(p.parent ? gaz.path(p.parent) : []), p.name];
}

/** A suggestion's label: the name, the kind, and the path that tells same-named places apart. */
export function placeLabel(ctx: BotContext, gaz: Gazetteer, id: string): string {
  const p = gaz.get(id);
  if (!p) return id;
  const parents = fullPath(gaz, id).slice(0, -1);
  const where = parents.length ? ` — ${parents.join(' › ')}` : '';
  return `${p.name} (${ctx.t('place-kind', { kind: p.kind })})${where}`;
}

/** Buttons for place suggestions (pf: follow toggles). */
export function suggestionsKeyboard(ctx: BotContext, gaz: Gazetteer, ids: string[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const id of ids) kb.text(placeLabel(ctx, gaz, id), `pf:${id}`).row();
  return kb.text(ctx.t('btn-browse'), 'br:root:0');
}

/** Browse one level: the place itself to follow, its children, paging and back. */
export function browseKeyboard(ctx: BotContext, gaz: Gazetteer, id: string, page: number, followed: readonly string[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  const ids = id === 'root' ? BROWSE_COUNTRIES.filter((c) => gaz.get(c)) : childrenOf(gaz, id);
  const pages = Math.max(1, Math.ceil(ids.length / BROWSE_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  if (id !== 'root') {
    const name = gaz.get(id)?.name ?? id;
    kb.text(`${followed.includes(id) ? '✅' : '➕'} ${ctx.t('btn-follow-place', { name })}`, `pf:${id}`).row();
  }
  ids.slice(p * BROWSE_PAGE, (p + 1) * BROWSE_PAGE).forEach((cid, i) => {
    const has = childrenOf(gaz, cid).length > 0;
    const label = `${followed.includes(cid) ? '✅ ' : ''}${gaz.get(cid)?.name ?? cid}${has ? ' ›' : ''}`;
    kb.text(label, has ? `br:${cid}:0` : `pf:${cid}`);
    if (i % 2 === 1) kb.row();
  });
  kb.row();
  if (p > 0) kb.text('‹', `br:${id}:${p - 1}`);
  if (p < pages - 1) kb.text('›', `br:${id}:${p + 1}`);
  kb.row();
  if (id !== 'root') kb.text(ctx.t('btn-back'), `br:${gaz.get(id)?.parent || 'root'}:0`);
  return kb.text(ctx.t('btn-done'), 'ob:kw');
}

/** Place picking: suggestion buttons (pf:<id> follows / unfollows) and the country › governorate › town browser (br:). */
export function placesFeature(deps: BotDeps) {
  const { profiles, gazetteer: gaz } = deps;
  const c = new Composer<BotContext>();

  c.callbackQuery(/^pf:(.+)$/, async (ctx) => {
    const id = ctx.match[1]!;
    if (!gaz.get(id)) return void (await ctx.answerCallbackQuery());
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const on = !(profiles.get(chat.id)?.places.includes(id) ?? false);
    await profiles.update(chat.id, chat.type, (p) => void toggleTarget(p, { kind: 'place', id }, on));
    const path = fullPath(gaz, id).join(' › ');
    await ctx.answerCallbackQuery({ text: ctx.t(on ? 'place-followed' : 'place-unfollowed', { path }) });
  });

  c.callbackQuery(/^br:([^:]+):(\d+)$/, async (ctx) => {
    const id = ctx.match[1]!;
    if (id !== 'root' && !gaz.get(id)) return void (await ctx.answerCallbackQuery());
    const chat = await editableTarget(ctx, deps);
    if (!chat) return;
    const followed = profiles.get(chat.id)?.places ?? [];
    await ctx.answerCallbackQuery();
    const title = id === 'root' ? ctx.t('browse-root') : ctx.t('browse-in', { path: escapeHtml(fullPath(gaz, id).join(' › ')) });
    await ctx.editMessageText(title, { parse_mode: 'HTML', reply_markup: browseKeyboard(ctx, gaz, id, Number(ctx.match[2]), followed) });
  });

  return c;
}
