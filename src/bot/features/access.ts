/**
 * Who may change what a chat follows, and which chat a command changes: in groups only admins;
 * in a private chat, the chat itself or the channel the user manages (/manage).
 */
import type { ChatType } from '../../types.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { chatType } from '../util.js';

/** Telegram's stand-in user for anonymous group admins. */
export const GROUP_ANONYMOUS_BOT = 1087968824;

/** The chat a command applies to. */
export interface ChatTarget {
  id: number;
  type: ChatType;
  /** Set when the target is a channel managed from this private chat. */
  channel?: { title: string };
}

export interface ManagedChannel {
  id: number;
  title: string;
}

export const manageKey = (userId: number) => `manage:${userId}`;

/** The chat this update's commands change (a managed channel when one is selected in private). */
export async function chatTarget(ctx: BotContext, deps: BotDeps): Promise<ChatTarget | undefined> {
  const chat = ctx.chat;
  if (!chat) return undefined;
  if (chat.type === 'private' && ctx.from) {
    const managed = await deps.stores.meta.get<ManagedChannel | null>(manageKey(ctx.from.id));
    if (managed) return { id: managed.id, type: 'channel', channel: { title: managed.title } };
  }
  return { id: chat.id, type: chatType(ctx) };
}

/** Is the sender allowed to change what this chat follows? Private chats: yes; groups: admins only. */
export async function canChange(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === 'private') return true;
  if (chat.type === 'channel') return true;
  // Anonymous admins post as the group itself (or through GroupAnonymousBot).
  if (ctx.senderChat?.id === chat.id || ctx.from?.id === GROUP_ANONYMOUS_BOT) return true;
  if (!ctx.from) return false;
  try {
    const m = await ctx.getChatMember(ctx.from.id);
    return m.status === 'creator' || m.status === 'administrator';
  } catch (err) {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'admin check failed');
    return false;
  }
}

/**
 * The target of a change, or undefined after telling a non-admin group member that only admins
 * may change it (as a reply, or as the callback's alert).
 */
export async function editableTarget(ctx: BotContext, deps: BotDeps): Promise<ChatTarget | undefined> {
  if (!(await canChange(ctx))) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('group-admins-only'), show_alert: true });
    else await ctx.reply(ctx.t('group-admins-only'), { parse_mode: 'HTML' });
    return undefined;
  }
  return chatTarget(ctx, deps);
}
