import type { ChatType } from '../types.js';
import type { BotContext } from './context.js';

export function chatType(ctx: BotContext): ChatType {
  const t = ctx.chat?.type;
  return t === 'group' || t === 'supergroup' || t === 'channel' ? t : 'private';
}

/** The text after the command (`/subscribe دير الزور` → `دير الزور`). */
export function commandArg(ctx: BotContext): string {
  return typeof ctx.match === 'string' ? ctx.match.trim() : '';
}

/** Reply in HTML (every interpolated value in our messages is escaped by the caller). */
export function replyHtml(ctx: BotContext, text: string, extra: Record<string, unknown> = {}) {
  return ctx.reply(text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra });
}
