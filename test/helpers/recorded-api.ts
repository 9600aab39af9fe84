/**
 * Recorded Bot API for unit tests through `bot.handleUpdate(...)`: installs an API
 * transformer that never touches the network, records every call and answers with
 * plausible results.
 *
 *   const bot = new Bot('123456:TEST', { botInfo: TEST_BOT_INFO });
 *   const api = recordApi(bot);
 *   registerHandlers(bot);
 *   await bot.handleUpdate(message('/start'));
 *   expect(api.sent()[0]).toMatchObject({ method: 'sendMessage', chat_id: 1001, text: expect.stringContaining('أهلا') });
 *
 * Install it before handling updates; ctx.api copies the bot's transformers, so calls
 * made through ctx (ctx.reply, ctx.answerCallbackQuery...) are recorded too.
 */
import type { Bot, Transformer } from 'grammy';
import type { BotCommand, Chat, ChatMember, Message, UserFromGetMe } from 'grammy/types';
import { BOT_USER, TEST_BOT_ID, TEST_BOT_USERNAME, memberOf } from './updates.ts';

export const TEST_BOT_INFO: UserFromGetMe = {
  id: TEST_BOT_ID,
  is_bot: true,
  first_name: 'Nabaa',
  username: TEST_BOT_USERNAME,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface RecordedCall {
  method: string;
  payload: any;
}

export interface ApiErrorSpec {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** payload of a send or edit call, with the method name added */
export type SentPayload = { method: string; chat_id?: number | string; text?: string; caption?: string; reply_markup?: any; parse_mode?: string; [k: string]: any };

export interface RecordedApi {
  /** every call in order, including failed ones */
  calls: RecordedCall[];
  /** payloads of send* calls (except sendChatAction), with `method` */
  sent(): SentPayload[];
  /** payloads of editMessage* calls, with `method` */
  edited(): SentPayload[];
  /** payloads of calls to one method */
  callsTo(method: string): any[];
  clear(): void;
  /** the next call to `method` fails with this error (GrammyError in the bot); queue several to fail several */
  failNext(method: string, error: ApiErrorSpec): void;
  /** set/replace an answer function at runtime */
  answer(method: string, fn: (payload: any) => unknown): void;
}

type Answers = Partial<Record<string, (payload: any) => unknown>>;

export function recordApi(bot: Bot<any>, answers: Answers = {}): RecordedApi {
  const calls: RecordedCall[] = [];
  const failures = new Map<string, ApiErrorSpec[]>();
  const custom: Answers = { ...answers };
  const nextId = new Map<number | string, number>();
  const commands = new Map<string, BotCommand[]>();
  let fileCounter = 0;

  const allocId = (chatId: number | string): number => {
    const n = (nextId.get(chatId) ?? 0) + 1;
    nextId.set(chatId, n);
    return n;
  };

  const chatOf = (chatId: unknown): Chat => {
    if (typeof chatId === 'string' && !/^-?\d+$/.test(chatId)) {
      const username = chatId.replace(/^@/, '');
      return { id: -1009000000000, type: 'channel', title: username, username };
    }
    const id = Number(chatId);
    if (id > 0) return { id, type: 'private', first_name: 'Test' };
    return String(id).startsWith('-100') ? { id, type: 'supergroup', title: `Chat ${id}` } : { id, type: 'group', title: `Chat ${id}` };
  };

  const botMessage = (p: any, extra: Record<string, unknown>): Message => {
    const chat = chatOf(p.chat_id);
    return {
      message_id: allocId(p.chat_id ?? 0),
      date: Math.floor(Date.now() / 1000),
      chat,
      ...(chat.type === 'channel' ? { sender_chat: chat } : { from: BOT_USER }),
      ...extra,
      ...(p.reply_markup && 'inline_keyboard' in p.reply_markup ? { reply_markup: p.reply_markup } : {}),
    } as Message;
  };

  const fileOf = (v: unknown, kind: string) => {
    const n = ++fileCounter;
    return {
      file_id: typeof v === 'string' && !v.startsWith('http') ? v : `${kind}-${n}`,
      file_unique_id: `u${kind}${n}`,
    };
  };

  const defaultAnswer = (method: string, p: any): unknown => {
    const caption = p.caption !== undefined ? { caption: p.caption } : {};
    switch (method) {
      case 'getMe':
        return bot.isInited() ? bot.botInfo : TEST_BOT_INFO;
      case 'sendMessage':
        return botMessage(p, { text: p.text, ...(p.entities ? { entities: p.entities } : {}) });
      case 'sendPhoto':
        return botMessage(p, { photo: [{ ...fileOf(p.photo, 'photo'), width: 320, height: 240 }], ...caption });
      case 'sendDocument': {
        const name = typeof p.document === 'object' && p.document && 'filename' in p.document ? p.document.filename : undefined;
        return botMessage(p, { document: { ...fileOf(p.document, 'document'), ...(name ? { file_name: name } : {}) }, ...caption });
      }
      case 'sendVideo':
      case 'sendAudio':
      case 'sendAnimation':
      case 'sendVoice':
      case 'sendSticker':
      case 'sendLocation':
      case 'sendPoll':
      case 'sendContact':
      case 'sendDice':
      case 'sendVenue':
        return botMessage(p, { ...caption });
      case 'sendMediaGroup':
        return (Array.isArray(p.media) ? p.media : []).map((m: any) => botMessage(p, m.caption !== undefined ? { caption: m.caption } : {}));
      case 'copyMessage':
        return { message_id: allocId(p.chat_id ?? 0) };
      case 'copyMessages':
      case 'forwardMessages':
        return (p.message_ids ?? []).map(() => ({ message_id: allocId(p.chat_id ?? 0) }));
      case 'forwardMessage':
        return botMessage(p, {});
      case 'editMessageText':
      case 'editMessageCaption':
      case 'editMessageReplyMarkup':
      case 'editMessageMedia': {
        if (p.inline_message_id !== undefined) return true;
        return {
          message_id: Number(p.message_id),
          date: Math.floor(Date.now() / 1000),
          edit_date: Math.floor(Date.now() / 1000),
          chat: chatOf(p.chat_id),
          from: BOT_USER,
          ...(method === 'editMessageText' ? { text: p.text, ...(p.entities ? { entities: p.entities } : {}) } : {}),
          ...(method === 'editMessageCaption' ? caption : {}),
          ...(p.reply_markup && 'inline_keyboard' in p.reply_markup ? { reply_markup: p.reply_markup } : {}),
        } as Message;
      }
      case 'getChat':
        return { ...chatOf(p.chat_id), accent_color_id: 0, max_reaction_count: 11 };
      case 'getChatMember':
        return memberOf(
          Number(p.user_id) === TEST_BOT_ID ? BOT_USER : { id: Number(p.user_id), is_bot: false, first_name: 'Test' },
          'administrator',
        ) satisfies ChatMember;
      case 'getChatAdministrators':
        return [memberOf(BOT_USER, 'administrator')];
      case 'getChatMemberCount':
        return 2;
      case 'getUpdates':
        return [];
      case 'getWebhookInfo':
        return { url: '', has_custom_certificate: false, pending_update_count: 0 };
      case 'setMyCommands':
        commands.set(commandKey(p), p.commands ?? []);
        return true;
      case 'getMyCommands':
        return commands.get(commandKey(p)) ?? [];
      case 'deleteMyCommands':
        commands.delete(commandKey(p));
        return true;
      case 'getFile':
        return { file_id: p.file_id, file_unique_id: `u-${p.file_id}`, file_size: 0, file_path: `documents/${p.file_id}` };
      default:
        return true;
    }
  };

  const transformer: Transformer = async (_prev, method, payload) => {
    const p: any = payload ?? {};
    calls.push({ method, payload: p });
    const queued = failures.get(method);
    if (queued && queued.length > 0) {
      const e = queued.shift()!;
      return { ok: false, error_code: e.error_code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) } as never;
    }
    const fn = custom[method];
    const result = fn ? await fn(p) : defaultAnswer(method, p);
    return { ok: true, result } as never;
  };
  bot.api.config.use(transformer);

  const withMethod = (c: RecordedCall): SentPayload => ({ method: c.method, ...c.payload });
  return {
    calls,
    sent: () => calls.filter((c) => c.method.startsWith('send') && c.method !== 'sendChatAction').map(withMethod),
    edited: () => calls.filter((c) => c.method.startsWith('editMessage')).map(withMethod),
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.payload),
    clear: () => {
      calls.length = 0;
      failures.clear();
    },
    failNext: (method, error) => {
      const q = failures.get(method) ?? [];
      q.push(error);
      failures.set(method, q);
    },
    answer: (method, fn) => {
      custom[method] = fn;
    },
  };
}

function commandKey(p: any): string {
  return `${JSON.stringify(p?.scope ?? { type: 'default' })}|${p?.language_code ?? ''}`;
}
