/**
 * Update builders for `bot.handleUpdate(...)` unit tests (grammY types).
 *
 *   await bot.handleUpdate(message('/start'));
 *   await bot.handleUpdate(callbackQuery('topic:sport', { messageId: 5 }));
 *
 * update_id auto-increments (module-wide); `resetUpdateIds()` restarts it.
 * Defaults: user 1001 "Test" (language 'ar'), private chat with id = user id,
 * groups get user 1001 and chat id -100123 (supergroup) / -123 (group) / -1001000 (channel).
 */
import type {
  CallbackQuery,
  Chat,
  ChatMember,
  ChatMemberUpdated,
  Message,
  MessageEntity,
  Update,
  User,
} from 'grammy/types';

export const TEST_USER_ID = 1001;
export const TEST_BOT_ID = 123456;
export const TEST_BOT_USERNAME = 'nabaa_test_bot';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

let nextUpdateId = 1;
let nextMessageId = 1;
let nextQueryId = 1;

export function resetUpdateIds(start = 1): void {
  nextUpdateId = start;
  nextMessageId = 1;
  nextQueryId = 1;
}

function updateId(): number {
  return nextUpdateId++;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

const DEFAULT_CHAT_IDS: Record<ChatType, number> = {
  private: TEST_USER_ID,
  group: -123,
  supergroup: -100123,
  channel: -1001000,
};

export interface UserOpts {
  userId?: number;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

export interface ChatOpts extends UserOpts {
  chatId?: number;
  chatType?: ChatType;
  chatTitle?: string;
}

export function user(opts: UserOpts = {}): User {
  return {
    id: opts.userId ?? TEST_USER_ID,
    is_bot: false,
    first_name: opts.firstName ?? 'Test',
    ...(opts.username ? { username: opts.username } : {}),
    language_code: opts.languageCode ?? 'ar',
  };
}

export const BOT_USER: User = { id: TEST_BOT_ID, is_bot: true, first_name: 'Nabaa', username: TEST_BOT_USERNAME };

export function chat(opts: ChatOpts = {}): Chat {
  const type = opts.chatType ?? (opts.chatId !== undefined && opts.chatId < 0 ? inferType(opts.chatId) : 'private');
  const id = opts.chatId ?? (type === 'private' ? (opts.userId ?? TEST_USER_ID) : DEFAULT_CHAT_IDS[type]);
  if (type === 'private') {
    return { id, type, first_name: opts.firstName ?? 'Test', ...(opts.username ? { username: opts.username } : {}) };
  }
  return { id, type, title: opts.chatTitle ?? `Chat ${id}` };
}

/** the sender: in a private chat the user id defaults to the chat id */
function senderFor(opts: UserOpts, c: Chat): User {
  return user({ ...opts, userId: opts.userId ?? (c.type === 'private' ? c.id : undefined) });
}

function inferType(chatId: number): ChatType {
  return String(chatId).startsWith('-100') ? 'supergroup' : 'group';
}

/** bot_command entity for a leading /command or /command@bot */
export function commandEntities(text: string): MessageEntity[] {
  const m = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : [];
}

export interface MessageOpts extends ChatOpts {
  messageId?: number;
  date?: number;
  entities?: MessageEntity[];
  replyTo?: Message;
}

function baseMessage(opts: MessageOpts): { message: Message; isChannel: boolean } {
  const c = chat(opts);
  const msg: Message = {
    message_id: opts.messageId ?? nextMessageId++,
    date: opts.date ?? now(),
    chat: c,
    ...(c.type === 'channel' ? { sender_chat: c } : { from: senderFor(opts, c) }),
    ...(opts.replyTo ? { reply_to_message: opts.replyTo as Message & { reply_to_message: undefined } } : {}),
  } as Message;
  return { message: msg, isChannel: c.type === 'channel' };
}

function wrap(message: Message, isChannel: boolean): Update {
  return isChannel
    ? ({ update_id: updateId(), channel_post: message } as Update)
    : ({ update_id: updateId(), message } as Update);
}

/** A text message update (channel_post for chatType 'channel'). Leading /cmd(@bot) gets a bot_command entity. */
export function message(text: string, opts: MessageOpts = {}): Update {
  const { message: m, isChannel } = baseMessage(opts);
  const entities = opts.entities ?? commandEntities(text);
  const msg = { ...m, text, ...(entities.length ? { entities } : {}) } as Message;
  return wrap(msg, isChannel);
}

export interface DocumentOpts extends MessageOpts {
  fileId?: string;
  fileUniqueId?: string;
  mimeType?: string;
  fileSize?: number;
  caption?: string;
}

export function documentMessage(fileName: string, opts: DocumentOpts = {}): Update {
  const { message: m, isChannel } = baseMessage(opts);
  const fileId = opts.fileId ?? `doc-${fileName}`;
  const msg = {
    ...m,
    document: {
      file_id: fileId,
      file_unique_id: opts.fileUniqueId ?? `u-${fileId}`,
      file_name: fileName,
      ...(opts.mimeType ? { mime_type: opts.mimeType } : {}),
      ...(opts.fileSize !== undefined ? { file_size: opts.fileSize } : {}),
    },
    ...(opts.caption !== undefined ? { caption: opts.caption } : {}),
  } as Message;
  return wrap(msg, isChannel);
}

export interface CallbackOpts extends ChatOpts {
  messageId?: number;
  /** text of the message carrying the button (default 'message') */
  messageText?: string;
  /** keyboard of that message */
  replyMarkup?: Message['reply_markup'];
  /** full message to attach instead of the generated one */
  message?: Message;
  queryId?: string;
}

/** A callback_query update for a button on a bot message in chat `chatId`. */
export function callbackQuery(data: string, opts: CallbackOpts = {}): Update {
  const c = chat(opts);
  const msg: Message =
    opts.message ??
    ({
      message_id: opts.messageId ?? nextMessageId++,
      date: now(),
      chat: c,
      from: BOT_USER,
      text: opts.messageText ?? 'message',
      ...(opts.replyMarkup ? { reply_markup: opts.replyMarkup } : {}),
    } as Message);
  const cq: CallbackQuery = {
    id: opts.queryId ?? `cq-${nextQueryId++}`,
    from: senderFor(opts, c),
    message: msg,
    chat_instance: String(c.id),
    data,
  };
  return { update_id: updateId(), callback_query: cq };
}

export function inlineQuery(query: string, opts: UserOpts & { offset?: string; chatType?: 'sender' | ChatType } = {}): Update {
  return {
    update_id: updateId(),
    inline_query: {
      id: `iq-${nextQueryId++}`,
      from: user(opts),
      query,
      offset: opts.offset ?? '',
      chat_type: opts.chatType ?? 'sender',
    },
  };
}

export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
export type MyChatMemberKind = 'added' | 'promoted' | 'removed' | 'blocked' | 'unblocked';

export interface MyChatMemberOpts extends ChatOpts {
  oldStatus?: MemberStatus;
  newStatus?: MemberStatus;
}

/**
 * my_chat_member update about the bot itself:
 *  - 'added' (left → member; in a channel left → administrator), 'promoted' (member → administrator),
 *  - 'removed' (member → left; 'kicked' when newStatus given), 'blocked' (private: member → kicked),
 *  - 'unblocked' (private: kicked → member).
 * `from` is the user who did it. oldStatus/newStatus override the kind's defaults.
 */
export function myChatMember(kind: MyChatMemberKind, opts: MyChatMemberOpts = {}): Update {
  const defaultsType: ChatType = kind === 'blocked' || kind === 'unblocked' ? 'private' : 'supergroup';
  const c = chat({ ...opts, chatType: opts.chatType ?? (opts.chatId !== undefined ? undefined : defaultsType) });
  const [oldS, newS] = ((): [MemberStatus, MemberStatus] => {
    switch (kind) {
      case 'added':
        return ['left', c.type === 'channel' ? 'administrator' : 'member'];
      case 'promoted':
        return ['member', 'administrator'];
      case 'removed':
        return ['member', 'left'];
      case 'blocked':
        return ['member', 'kicked'];
      case 'unblocked':
        return ['kicked', 'member'];
    }
  })();
  const upd: ChatMemberUpdated = {
    chat: c,
    from: senderFor(opts, c),
    date: now(),
    old_chat_member: memberOf(BOT_USER, opts.oldStatus ?? oldS),
    new_chat_member: memberOf(BOT_USER, opts.newStatus ?? newS),
  };
  return { update_id: updateId(), my_chat_member: upd };
}

export function memberOf(u: User, status: MemberStatus): ChatMember {
  switch (status) {
    case 'creator':
      return { status, user: u, is_anonymous: false };
    case 'administrator':
      return {
        status,
        user: u,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: false,
        can_restrict_members: false,
        can_promote_members: false,
        can_change_info: false,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_post_messages: true,
        can_edit_messages: true,
        can_pin_messages: true,
        can_manage_topics: false,
      } as ChatMember;
    case 'member':
      return { status, user: u };
    case 'left':
      return { status, user: u };
    case 'kicked':
      return { status, user: u, until_date: 0 };
    case 'restricted':
      return {
        status,
        user: u,
        is_member: true,
        can_send_messages: false,
        can_send_audios: false,
        can_send_documents: false,
        can_send_photos: false,
        can_send_videos: false,
        can_send_video_notes: false,
        can_send_voice_notes: false,
        can_send_polls: false,
        can_send_other_messages: false,
        can_add_web_page_previews: false,
        can_change_info: false,
        can_invite_users: false,
        can_pin_messages: false,
        can_manage_topics: false,
        until_date: 0,
      } as ChatMember;
  }
}
