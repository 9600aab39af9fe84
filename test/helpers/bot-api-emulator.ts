/**
 * Local Telegram Bot API emulator for tests and benchmarks.
 *
 * An HTTP server on 127.0.0.1 (port 0) that answers `${apiRoot}/bot${token}/${method}`
 * the way api.telegram.org does: `{ ok: true, result }` or
 * `{ ok: false, error_code, description, parameters? }`.
 * Point grammY at it with `new Bot(emu.token, { client: { apiRoot: emu.apiRoot } })`.
 *
 * Wire objects are typed with `@telegraf/types` (an independent declaration of the
 * Bot API) on purpose: this file must stay test-only, src/ must not import it.
 *
 * Semantics worth knowing:
 * - "send methods" = sendMessage, sendPhoto, sendDocument, editMessageText. Rate limits,
 *   random faults (drop/5xx/429), latency and `messages()` apply to those only.
 *   `failChats` applies to every method that carries that `chat_id`.
 * - Fault order for a send: failChats → drop → 5xx → random 429 → global rate → per-chat rate.
 * - Rate windows are sliding 1 s windows over *accepted* sends (rejections do not count).
 * - `messages()`, `countByChat()`, `stats().accepted` and `waitForCount()` all count the
 *   same thing: accepted send-method calls (edits included), since start or `reset()`.
 * - `waitForMessage(pred)` first looks at messages already recorded since start / `reset()`
 *   (or since `fromIndex`), then waits for new ones.
 * - Message ids increment per chat (user messages injected with `sendUserMessage` share
 *   the sequence). Message state (for edit/delete/clickButton checks) is kept only
 *   with `keepMessages: true` (default).
 * - A second concurrent getUpdates releases the held one with `[]` (no 409).
 * - Sends are validated like Telegram (option `validate`, default true): empty text, length
 *   limits, HTML parse_mode syntax; editMessageText answers "message to edit not found" /
 *   "message is not modified" when the message state is known.
 *
 * Usage:
 *   const emu = await BotApiEmulator.start({ globalRate: 30 });
 *   const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
 *   void bot.start();
 *   emu.sendUserMessage('/start', { chatId: 42 });
 *   const reply = await emu.waitForMessage((m) => m.chat_id === 42);
 *   emu.clickButton(reply, 'topic:sport');
 *   await bot.stop(); await emu.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  ChatMember,
  ChatMemberAdministrator,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from '@telegraf/types';

export type { Update, Message, User, Chat, CallbackQuery, InlineKeyboardMarkup };

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface FailChatEntry {
  /** 500/502/503 answer a server error ('Bad Gateway' etc.), e.g. with `times` for a transient fault. */
  code: 403 | 400 | 500 | 502 | 503;
  description?: string; // defaults: 403 'Forbidden: bot was blocked by the user', 400 'Bad Request: chat not found' / migrate text
  migrateTo?: number; // → parameters.migrate_to_chat_id
  /** fail only this many calls to the chat, then behave normally again (default: until unfailChat) */
  times?: number;
}

export interface EmulatorOptions {
  /** default '123456:TEST-token'; requests with another token get 401 */
  token?: string;
  /** getMe result (merged over the default) */
  botUser?: Partial<UserFromGetMe>;
  /** max accepted sends per second across all chats (sliding 1 s window) → 429. Integer >= 1; 0/undefined = unlimited */
  globalRate?: number;
  /** max accepted sends per second per chat (default: unlimited) → 429 */
  perChatRate?: number;
  /**
   * max accepted sends per second that carry `allow_paid_broadcast: true` (default 1000, like
   * Telegram's paid broadcasts). Such sends count against this window instead of `globalRate`.
   * 0 = unlimited.
   */
  paidRate?: number;
  /** chats whose calls fail (403 blocked, 400 chat not found, 400 migrate) */
  failChats?: Map<number, FailChatEntry>;
  /** fraction [0..1] of sends answered 502 'Bad Gateway' */
  errorRate?: number;
  /** fraction [0..1] of sends whose socket is destroyed without an answer */
  dropRate?: number;
  /** fraction [0..1] of sends answered 429 at random (retry_after 1) */
  rate429?: number;
  /** seed of the PRNG used for the fractions (default 1) */
  seed?: number;
  /** artificial delay (real time, setTimeout) before a send is processed */
  latencyMs?: number;
  /** keep message records/state (default true). false: only counters (benchmarks). */
  keepMessages?: boolean;
  /** keep a record of every call (default: same as keepMessages) */
  keepCalls?: boolean;
  /**
   * Validate sends like Telegram does (default true): empty text, text > 4096 / caption > 1024
   * characters (after HTML tags are stripped), and parse_mode HTML syntax (unsupported or
   * unbalanced tags, bare '<') → 400 "Bad Request: ...".
   */
  validate?: boolean;
  /** clock used for `at`, dates and rate windows (default Date.now) */
  clock?: () => number;
}

export interface UploadedFile {
  /** payload key: 'document' | 'photo' | ... */
  field: string;
  /** present when a file was uploaded (multipart) */
  filename?: string;
  size?: number;
  bytes?: Uint8Array;
  /** present when the bot sent a file_id or URL string instead of bytes */
  ref?: string;
}

export type SendMethod = 'sendMessage' | 'sendPhoto' | 'sendDocument' | 'editMessageText';

export interface SentMessage {
  method: SendMethod;
  chat_id: number;
  message_id: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  reply_markup?: InlineKeyboardMarkup | Record<string, unknown>;
  file?: UploadedFile;
  /** the request payload as received (parsed) */
  payload: Record<string, any>;
  /** the Message returned to the bot */
  message: Message;
  /** clock ms */
  at: number;
}

export interface CallRecord {
  method: string;
  payload: any;
  at: number;
  /** HTTP status answered; 0 = dropped (socket destroyed) */
  status: number;
}

export interface EmulatorStats {
  accepted: number;
  rejected429: number;
  rejected5xx: number;
  dropped: number;
  failedChat: number;
  /** other rejected sends: validation, message to edit not found, not modified... */
  rejectedOther: number;
  /** every HTTP request handled (any method) */
  requests: number;
}

/** `chatCountSummary`: how many chats of a range got exactly one accepted send, none, or more. */
export interface ChatCountSummary {
  chats: number;
  exactlyOnce: number;
  missing: number;
  /** Sends beyond the first, summed over the range. */
  duplicates: number;
  /** Accepted sends per `extra` chat id (outside the range: admins, reports). */
  extra: Record<string, number>;
  /** Accepted sends to chats neither in the range nor in `extra`. */
  outside: number;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** only consider messages with index >= fromIndex (index in messages()); default 0 */
  fromIndex?: number;
}

const SEND_METHODS = new Set<string>(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText']);
const DEFAULT_TOKEN = '123456:TEST-token';
const DEFAULT_TIMEOUT = 10_000;
const MSG_NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre',
  'blockquote', 'tg-emoji', 'tg-time',
]);

/**
 * Approximates Telegram's HTML parse_mode: returns the visible text, or throws ApiError 400
 * "can't parse entities" for unsupported/unbalanced tags or a bare '<'.
 */
export function parseTelegramHtml(html: string): string {
  const stack: string[] = [];
  let out = '';
  let i = 0;
  const fail = (why: string): never => {
    throw new ApiError(400, `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(html.slice(0, i))}`);
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const chunk = lt === -1 ? html.slice(i) : html.slice(i, lt);
    out += chunk;
    if (lt === -1) break;
    i = lt;
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*>/.exec(html.slice(lt, lt + 2048));
    if (!m) fail(`Unexpected start tag or unescaped "<"`);
    const [whole, close, rawName] = m!;
    const name = rawName!.toLowerCase();
    if (!HTML_TAGS.has(name)) fail(close ? `Unexpected end tag "${name}"` : `Unsupported start tag "${name}"`);
    if (close) {
      if (stack.pop() !== name) fail(`Unmatched end tag "${name}"`);
    } else {
      stack.push(name);
    }
    i = lt + whole!.length;
  }
  if (stack.length) {
    i = html.length;
    fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`);
  }
  return out.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g, 'x');
}

/**
 * Sliding 1 s window over accepted timestamps: a queue (array + head index) holding only
 * the events of the last second, so memory is bounded by real throughput, not by the limit.
 * Amortized O(1) per request.
 */
class SlidingWindow {
  private ts: number[] = [];
  private head = 0;
  constructor(private readonly cap: number) {}
  private evict(now: number): void {
    const ts = this.ts;
    while (this.head < ts.length && ts[this.head]! <= now - 1000) this.head++;
    if (this.head > 4096 && this.head * 2 > ts.length) {
      this.ts = ts.slice(this.head);
      this.head = 0;
    }
  }
  /** ms to wait before another event fits in the window, 0 if it fits now */
  waitMs(now: number): number {
    this.evict(now);
    const size = this.ts.length - this.head;
    if (size < this.cap) return 0;
    const blocking = this.ts[this.head + size - this.cap]!;
    return Math.max(1, blocking + 1000 - now);
  }
  add(now: number): void {
    this.ts.push(now);
  }
}

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class ApiError {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {}
}

interface Poller {
  res: http.ServerResponse;
  limit: number;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
  call: CallRecord | undefined;
}

interface Waiter<T> {
  test: (x: T) => boolean;
  resolve: (x: T) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'reply_parameters', 'link_preview_options',
  'media', 'allowed_updates', 'commands', 'scope', 'results', 'button', 'message_ids',
]);
const NUMERIC_FIELDS = new Set([
  'chat_id', 'message_id', 'user_id', 'reply_to_message_id', 'message_thread_id', 'offset',
  'limit', 'timeout', 'from_chat_id', 'cache_time',
]);
const BOOL_FIELDS = new Set([
  'disable_notification', 'protect_content', 'show_alert', 'drop_pending_updates',
  'disable_content_type_detection', 'has_spoiler', 'show_caption_above_media', 'is_personal',
]);

/** Minimal multipart/form-data parser tolerant of grammY's format (unquoted filename, no spaces). */
function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, any>; files: Map<string, { filename: string; bytes: Uint8Array }> } {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const fields: Record<string, any> = {};
  const files = new Map<string, { filename: string; bytes: Uint8Array }>();
  if (!m) return { fields, files };
  const boundary = Buffer.from(`--${(m[1] ?? m[2])!.trim()}`);
  let pos = body.indexOf(boundary);
  while (pos !== -1) {
    let start = pos + boundary.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing --
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(boundary, start);
    if (next === -1) break;
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(start, end);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd !== -1) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const content = part.subarray(headEnd + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const fn = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(head);
      if (name !== undefined) {
        if (fn) files.set(name, { filename: (fn[1] ?? fn[2] ?? '').trim(), bytes: new Uint8Array(content) });
        else fields[name] = normalizeFormValue(name, content.toString('utf8'));
      }
    }
    pos = next;
  }
  return { fields, files };
}

function normalizeFormValue(key: string, v: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  if (NUMERIC_FIELDS.has(key) && /^-?\d+$/.test(v)) return Number(v);
  if (BOOL_FIELDS.has(key) && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function describeMessage(m: SentMessage): string {
  const body = m.text ?? m.caption ?? (m.file ? `[${m.file.field} ${m.file.filename ?? m.file.ref ?? ''}]` : '');
  const short = body.length > 80 ? `${body.slice(0, 77)}...` : body;
  return `${m.method} chat=${m.chat_id} #${m.message_id} ${JSON.stringify(short)}`;
}

export class BotApiEmulator {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: UserFromGetMe;

  private opts: EmulatorOptions;
  private readonly server: http.Server;
  private readonly clock: () => number;
  private rand: () => number;
  private globalWindow: SlidingWindow | undefined;
  private paidWindow: SlidingWindow | undefined;
  private chatWindows = new Map<number, SlidingWindow>();
  private failChats: Map<number, FailChatEntry>;

  // updates queue (array + head index, compacted occasionally)
  private updates: Update[] = [];
  private head = 0;
  private lastUpdateId = 0;
  private pollers = new Set<Poller>();
  private cbCounter = 0;
  private inlineCounter = 0;
  private fileCounter = 0;

  // records
  private msgs: SentMessage[] = [];
  private callLog: CallRecord[] = [];
  private callCounts = new Map<string, number>();
  private perChat = new Map<number, number>();
  private st: EmulatorStats = { accepted: 0, rejected429: 0, rejected5xx: 0, dropped: 0, failedChat: 0, rejectedOther: 0, requests: 0 };
  private msgWaiters = new Set<Waiter<SentMessage>>();
  private countWaiters = new Set<{ n: number; resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private callWaiters = new Set<Waiter<CallRecord>>();

  // state
  private nextMsgId = new Map<number, number>();
  private state = new Map<number, Map<number, Message>>();
  private chats = new Map<number, Chat>();
  private usernameIds = new Map<string, number>();
  private admins = new Map<number, Set<number>>();
  private commandStore = new Map<string, BotCommand[]>();
  private inlineAnswerLog: any[] = [];
  private callbackAnswerLog: any[] = [];
  private closed = false;

  private constructor(server: http.Server, apiRoot: string, opts: EmulatorOptions) {
    this.server = server;
    this.apiRoot = apiRoot;
    this.opts = { ...opts };
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.clock = opts.clock ?? Date.now;
    this.rand = prng(opts.seed ?? 1);
    this.failChats = new Map(opts.failChats ?? []);
    const id = Number(this.token.split(':')[0]) || 123456;
    this.botUser = {
      id,
      is_bot: true,
      first_name: 'Nabaa',
      username: 'nabaa_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
      // newer getMe fields not (yet) declared by @telegraf/types 9.2
      ...({ has_topics_enabled: false, allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false } as object),
      ...opts.botUser,
    };
    this.rebuildWindows();
  }

  static async start(opts: EmulatorOptions = {}): Promise<BotApiEmulator> {
    let emu: BotApiEmulator | undefined;
    const server = http.createServer((req, res) => {
      if (!emu) {
        res.writeHead(503).end();
        return;
      }
      emu.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          const body = JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
          res.writeHead(500, { 'content-type': 'application/json' }).end(body);
        }
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    emu = new BotApiEmulator(server, `http://127.0.0.1:${port}`, opts);
    return emu;
  }

  /** Releases held getUpdates (answered with []), rejects pending waiters, closes the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pollers]) this.answerPoller(p, []);
    const err = new Error('BotApiEmulator closed');
    for (const w of this.msgWaiters) { clearTimeout(w.timer); w.reject(err); }
    for (const w of this.countWaiters) { clearTimeout(w.timer); w.reject(err); }
    for (const w of this.callWaiters) { clearTimeout(w.timer); w.reject(err); }
    this.msgWaiters.clear();
    this.countWaiters.clear();
    this.callWaiters.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setImmediate(() => this.server.closeAllConnections());
    });
  }

  // ------------------------------------------------------------------ options

  setOptions(partial: Partial<EmulatorOptions>): void {
    this.opts = { ...this.opts, ...partial };
    if ('seed' in partial) this.rand = prng(partial.seed ?? 1);
    if ('failChats' in partial) this.failChats = new Map(partial.failChats ?? []);
    if ('globalRate' in partial || 'perChatRate' in partial || 'paidRate' in partial) this.rebuildWindows();
  }

  /** Make calls to `chatId` fail (403 blocked by default). */
  failChat(chatId: number, entry: FailChatEntry = { code: 403 }): void {
    this.failChats.set(chatId, { ...entry }); // a copy: `times` counts down
  }
  blockChat(chatId: number): void {
    this.failChat(chatId, { code: 403, description: 'Forbidden: bot was blocked by the user' });
  }
  /** group → supergroup migration: calls to `chatId` answer 400 with migrate_to_chat_id */
  migrateChat(chatId: number, toChatId: number): void {
    this.failChat(chatId, { code: 400, migrateTo: toChatId });
    const old = this.chats.get(chatId);
    const title = old && 'title' in old ? old.title : `Chat ${toChatId}`;
    this.chats.set(toChatId, { id: toChatId, type: 'supergroup', title });
  }
  unfailChat(chatId: number): void {
    this.failChats.delete(chatId);
  }

  /** getChatMember/getChatAdministrators answer 'administrator' for these users in that chat. */
  setChatAdmins(chatId: number, userIds: number[]): void {
    this.admins.set(chatId, new Set(userIds));
  }

  private rebuildWindows(): void {
    const g = this.opts.globalRate;
    this.globalWindow = g && g > 0 && Number.isFinite(g) ? new SlidingWindow(Math.max(1, Math.floor(g))) : undefined;
    const pr = this.opts.paidRate ?? 1000;
    this.paidWindow = pr > 0 && Number.isFinite(pr) ? new SlidingWindow(Math.max(1, Math.floor(pr))) : undefined;
    this.chatWindows = new Map();
  }

  // ------------------------------------------------------------------ driving the bot

  /** Queue an update for getUpdates. update_id is assigned if missing or not increasing. */
  pushUpdate(update: Update | (Omit<Update, 'update_id'> & { update_id?: number })): Update {
    let u = update as Update;
    if (typeof u.update_id !== 'number' || u.update_id <= this.lastUpdateId) {
      u = { ...u, update_id: this.lastUpdateId + 1 } as Update;
    }
    this.lastUpdateId = u.update_id;
    this.updates.push(u);
    if (this.pollers.size > 0) {
      for (const p of [...this.pollers]) this.answerPoller(p, this.pending(p.limit));
    }
    return u;
  }

  /** Number of getUpdates requests currently held open (long polling). */
  heldPolls(): number {
    return this.pollers.size;
  }

  /** Number of updates not yet confirmed by the bot (getUpdates offset). */
  pendingUpdateCount(): number {
    return this.updates.length - this.head;
  }

  sendUserMessage(
    text: string,
    opts: { chatId?: number; from?: Partial<User>; chatType?: ChatType; entities?: MessageEntity[]; chatTitle?: string } = {},
  ): Update {
    const chatId = opts.chatId ?? opts.from?.id ?? 1001;
    const chatType: ChatType = opts.chatType ?? this.inferChatType(chatId);
    const from: User = {
      id: chatType === 'private' ? chatId : 1001,
      is_bot: false,
      first_name: 'Test',
      language_code: 'ar',
      ...opts.from,
    };
    const chat = this.chatFor(chatId, chatType, from, opts.chatTitle);
    const entities = opts.entities ?? commandEntities(text);
    const base = {
      message_id: this.allocMsgId(chatId),
      date: Math.floor(this.clock() / 1000),
      chat,
      text,
      ...(entities.length ? { entities } : {}),
    };
    if (chatType === 'channel') {
      const msg = { ...base, sender_chat: chat } as Message.TextMessage;
      this.storeState(chatId, msg);
      return this.pushUpdate({ channel_post: msg } as Omit<Update.ChannelPostUpdate, 'update_id'>);
    }
    const msg = { ...base, from } as Message.TextMessage;
    this.storeState(chatId, msg);
    return this.pushUpdate({ message: msg } as Omit<Update.MessageUpdate, 'update_id'>);
  }

  /**
   * Press an inline button of a message the bot sent. Throws if the (current) keyboard of
   * that message has no button with this callback_data.
   */
  clickButton(message: Message | SentMessage, data: string, from?: Partial<User>): Update {
    const given: Message = 'method' in message && 'payload' in message ? message.message : (message as Message);
    const chatId = given.chat.id;
    const current = this.state.get(chatId)?.get(given.message_id) ?? given;
    const markup = (current as Message.TextMessage).reply_markup;
    const datas: string[] = [];
    for (const row of markup?.inline_keyboard ?? []) {
      for (const b of row) if ('callback_data' in b) datas.push(b.callback_data);
    }
    if (!datas.includes(data)) {
      throw new Error(
        `clickButton: message ${chatId}#${given.message_id} has no button with callback_data ${JSON.stringify(data)}; available: ${JSON.stringify(datas)}`,
      );
    }
    const user: User = {
      id: current.chat.type === 'private' ? chatId : 1001,
      is_bot: false,
      first_name: 'Test',
      language_code: 'ar',
      ...from,
    };
    const cq: CallbackQuery.DataQuery = {
      id: `cq-${++this.cbCounter}`,
      from: user,
      message: current,
      chat_instance: String(chatId),
      data,
    };
    return this.pushUpdate({ callback_query: cq } as Omit<Update.CallbackQueryUpdate, 'update_id'>);
  }

  sendInlineQuery(query: string, from?: Partial<User>): Update {
    const user: User = { id: 1001, is_bot: false, first_name: 'Test', language_code: 'ar', ...from };
    return this.pushUpdate({
      inline_query: { id: `iq-${++this.inlineCounter}`, from: user, query, offset: '', chat_type: 'sender' },
    } as Omit<Update.InlineQueryUpdate, 'update_id'>);
  }

  // ------------------------------------------------------------------ inspection

  /** Accepted send-method records in order (all, or for one chat). Empty with keepMessages:false. */
  messages(chatId?: number): SentMessage[] {
    return chatId === undefined ? this.msgs.slice() : this.msgs.filter((m) => m.chat_id === chatId);
  }

  /** Every request, including failures (status 0 = dropped). Empty with keepCalls:false. */
  calls(method?: string): CallRecord[] {
    return method === undefined ? this.callLog.slice() : this.callLog.filter((c) => c.method === method);
  }

  /** Requests per method (always kept, also with keepCalls:false). */
  callCount(method: string): number {
    return this.callCounts.get(method) ?? 0;
  }

  /** Accepted send-method calls per chat. */
  countByChat(): Map<number, number> {
    return new Map(this.perChat);
  }

  /**
   * Per-chat counts summarized over the chat ids `from..to` (inclusive) and the `extra` ids: a
   * small answer instead of a 100,000-entry Map (benchmarks running the emulator in a child
   * process ask for this one over IPC).
   */
  chatCountSummary(from: number, to: number, extra: number[] = []): ChatCountSummary {
    const out: ChatCountSummary = { chats: Math.max(0, to - from + 1), exactlyOnce: 0, missing: 0, duplicates: 0, extra: {}, outside: 0 };
    for (let c = from; c <= to; c++) {
      const k = this.perChat.get(c) ?? 0;
      if (k === 0) out.missing++;
      else if (k === 1) out.exactlyOnce++;
      else out.duplicates += k - 1;
    }
    for (const id of extra) out.extra[String(id)] = this.perChat.get(id) ?? 0;
    for (const [id, k] of this.perChat) if ((id < from || id > to) && !extra.includes(id)) out.outside += k;
    return out;
  }

  stats(): EmulatorStats {
    return { ...this.st };
  }

  /** Current state of a message (after edits), if kept. */
  getMessage(chatId: number, messageId: number): Message | undefined {
    return this.state.get(chatId)?.get(messageId);
  }

  /** Commands stored by setMyCommands for a scope (default {type:'default'}) and language ('' = none). */
  commands(scope: Record<string, unknown> = { type: 'default' }, languageCode = ''): BotCommand[] {
    return this.commandStore.get(commandKey(scope, languageCode)) ?? [];
  }

  inlineAnswers(): any[] {
    return this.inlineAnswerLog.slice();
  }

  callbackAnswers(): any[] {
    return this.callbackAnswerLog.slice();
  }

  /** Clears records, counters, stats and rate windows (not queued updates, chats or message ids). */
  reset(): void {
    this.msgs = [];
    this.callLog = [];
    this.callCounts.clear();
    this.perChat.clear();
    this.st = { accepted: 0, rejected429: 0, rejected5xx: 0, dropped: 0, failedChat: 0, rejectedOther: 0, requests: 0 };
    this.inlineAnswerLog = [];
    this.callbackAnswerLog = [];
    this.rebuildWindows();
  }

  /**
   * Resolves with the first accepted message matching `pred`: already recorded ones
   * (index >= fromIndex, since start/reset) are checked first, then new ones.
   * Rejects after timeoutMs (default 10 s) listing what was received.
   */
  waitForMessage(pred: (m: SentMessage) => boolean = () => true, opts: number | WaitOptions = {}): Promise<SentMessage> {
    const o: WaitOptions = typeof opts === 'number' ? { timeoutMs: opts } : opts;
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT;
    for (let i = o.fromIndex ?? 0; i < this.msgs.length; i++) {
      const m = this.msgs[i]!;
      if (pred(m)) return Promise.resolve(m);
    }
    return new Promise<SentMessage>((resolve, reject) => {
      const w: Waiter<SentMessage> = {
        test: pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.msgWaiters.delete(w);
          reject(new Error(`waitForMessage timed out after ${timeoutMs} ms. ${this.describeReceived()}`));
        }, timeoutMs),
      };
      this.msgWaiters.add(w);
    });
  }

  /** Resolves when at least n sends were accepted (since start/reset). */
  waitForCount(n: number, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    if (this.st.accepted >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w = {
        n,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.countWaiters.delete(w);
          reject(new Error(`waitForCount(${n}) timed out after ${timeoutMs} ms with ${this.st.accepted} accepted. ${this.describeReceived()}`));
        }, timeoutMs),
      };
      this.countWaiters.add(w);
    });
  }

  /** Resolves on a call (any status) to `method` matching pred; recorded calls are checked first. */
  waitForCall(method: string, pred: (c: CallRecord) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT): Promise<CallRecord> {
    const test = (c: CallRecord) => c.method === method && pred(c);
    const found = this.callLog.find(test);
    if (found) return Promise.resolve(found);
    return new Promise<CallRecord>((resolve, reject) => {
      const w: Waiter<CallRecord> = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.callWaiters.delete(w);
          const seen = [...this.callCounts].map(([k, v]) => `${k}×${v}`).join(', ');
          reject(new Error(`waitForCall(${method}) timed out after ${timeoutMs} ms; calls seen: ${seen || 'none'}`));
        }, timeoutMs),
      };
      this.callWaiters.add(w);
    });
  }

  private describeReceived(): string {
    const last = this.msgs.slice(-20).map(describeMessage);
    return (
      `Received ${this.st.accepted} message(s)` +
      (last.length ? ` (last ${last.length}):\n  ${last.join('\n  ')}` : '') +
      `\nstats: ${JSON.stringify(this.st)}`
    );
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.st.requests++;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    const body = await readBody(req);
    if (!m) return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = m[2]!;
    if (m[1] !== this.token) {
      return this.send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    let payload: Record<string, any> = {};
    let files: Map<string, { filename: string; bytes: Uint8Array }> | undefined;
    const ct = req.headers['content-type'] ?? '';
    try {
      if (ct.startsWith('multipart/form-data')) {
        const parsed = parseMultipart(body, ct);
        payload = parsed.fields;
        files = parsed.files;
      } else if (body.length > 0 && ct.includes('json')) {
        payload = JSON.parse(body.toString('utf8')) as Record<string, any>;
      } else if (body.length > 0 && ct.includes('x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) payload[k] = normalizeFormValue(k, v);
      }
      if (q !== -1) for (const [k, v] of new URLSearchParams(url.slice(q + 1))) payload[k] = normalizeFormValue(k, v);
    } catch {
      return this.send(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
    }
    if (payload.chat_id !== undefined) payload.chat_id = this.normChatId(payload.chat_id);

    const call: CallRecord | undefined = this.opts.keepCalls ?? this.opts.keepMessages ?? true
      ? { method, payload, at: this.clock(), status: 0 }
      : undefined;
    this.callCounts.set(method, (this.callCounts.get(method) ?? 0) + 1);

    const isSend = SEND_METHODS.has(method);
    if (isSend && this.opts.latencyMs) {
      await new Promise((r) => setTimeout(r, this.opts.latencyMs));
      if (res.destroyed) return;
    }

    try {
      // failChats apply to any method that targets that chat
      if (typeof payload.chat_id === 'number') {
        const f = this.failChats.get(payload.chat_id);
        if (f) {
          this.st.failedChat++;
          if (f.times !== undefined && --f.times <= 0) this.failChats.delete(payload.chat_id);
          if (f.code >= 500) {
            this.st.rejected5xx++;
            throw new ApiError(f.code, f.description ?? (f.code === 500 ? 'Internal Server Error' : f.code === 503 ? 'Service Unavailable' : 'Bad Gateway'));
          }
          if (f.migrateTo !== undefined) {
            throw new ApiError(f.code, f.description ?? 'Bad Request: group chat was upgraded to a supergroup chat', {
              migrate_to_chat_id: f.migrateTo,
            });
          }
          throw new ApiError(f.code, f.description ?? (f.code === 403 ? 'Forbidden: bot was blocked by the user' : 'Bad Request: chat not found'));
        }
      }
      if (isSend) {
        const o = this.opts;
        if (o.dropRate && this.rand() < o.dropRate) {
          this.st.dropped++;
          this.record(call, 0);
          req.socket.destroy();
          return;
        }
        if (o.errorRate && this.rand() < o.errorRate) {
          this.st.rejected5xx++;
          throw new ApiError(502, 'Bad Gateway');
        }
        if (o.rate429 && this.rand() < o.rate429) {
          this.st.rejected429++;
          throw new ApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
        }
        const now = this.clock();
        const chatId = typeof payload.chat_id === 'number' ? payload.chat_id : 0;
        const paid = payload.allow_paid_broadcast === true || payload.allow_paid_broadcast === 'true';
        const rateWindow = paid ? this.paidWindow : this.globalWindow;
        let wait = rateWindow ? rateWindow.waitMs(now) : 0;
        let chatWin: SlidingWindow | undefined;
        const pc = o.perChatRate;
        if (wait === 0 && pc && pc > 0 && Number.isFinite(pc)) {
          chatWin = this.chatWindows.get(chatId);
          if (!chatWin) this.chatWindows.set(chatId, (chatWin = new SlidingWindow(Math.max(1, Math.floor(pc)))));
          wait = chatWin.waitMs(now);
        }
        if (wait > 0) {
          this.st.rejected429++;
          const s = Math.max(1, Math.ceil(wait / 1000));
          throw new ApiError(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
        }
        let result: unknown;
        try {
          result = this.dispatch(method, payload, files);
        } catch (err) {
          if (err instanceof ApiError) this.st.rejectedOther++; // validation / not found / not modified
          throw err;
        }
        rateWindow?.add(now);
        chatWin?.add(now);
        this.record(call, 200);
        this.send(res, 200, { ok: true, result });
        return;
      }
      if (method === 'getUpdates') return this.getUpdates(payload, res, call);
      const result = this.dispatch(method, payload, files);
      this.record(call, 200);
      this.send(res, 200, { ok: true, result });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.record(call, e.code);
      this.send(res, e.code, {
        ok: false,
        error_code: e.code,
        description: e.description,
        ...(e.parameters ? { parameters: e.parameters } : {}),
      });
    }
  }

  private send(res: http.ServerResponse, status: number, obj: unknown): void {
    if (res.destroyed || res.headersSent) return;
    const body = JSON.stringify(obj);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private record(call: CallRecord | undefined, status: number): void {
    if (!call) return;
    call.status = status;
    this.callLog.push(call);
    if (this.callWaiters.size) {
      for (const w of [...this.callWaiters]) {
        if (w.test(call)) {
          clearTimeout(w.timer);
          this.callWaiters.delete(w);
          w.resolve(call);
        }
      }
    }
  }

  // ------------------------------------------------------------------ getUpdates

  private pending(limit: number): Update[] {
    return this.updates.slice(this.head, this.head + limit);
  }

  private getUpdates(payload: Record<string, any>, res: http.ServerResponse, call: CallRecord | undefined): void {
    // a new poll releases any held one
    for (const p of [...this.pollers]) this.answerPoller(p, []);
    const offset = typeof payload.offset === 'number' ? payload.offset : Number(payload.offset ?? 0);
    if (offset < 0) {
      this.head = Math.max(this.head, this.updates.length + offset);
    } else if (offset > 0) {
      while (this.head < this.updates.length && this.updates[this.head]!.update_id < offset) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.updates.length) {
      this.updates = this.updates.slice(this.head);
      this.head = 0;
    }
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100) || 100));
    const timeout = Math.max(0, Number(payload.timeout ?? 0) || 0);
    const poller: Poller = { res, limit, timer: undefined, done: false, call };
    if (this.head < this.updates.length || timeout === 0 || this.closed) {
      this.answerPoller(poller, this.pending(limit));
      return;
    }
    poller.timer = setTimeout(() => this.answerPoller(poller, []), timeout * 1000);
    res.on('close', () => {
      if (!poller.done) {
        poller.done = true;
        clearTimeout(poller.timer);
        this.pollers.delete(poller);
      }
    });
    this.pollers.add(poller);
  }

  private answerPoller(p: Poller, result: Update[]): void {
    if (p.done) return;
    p.done = true;
    clearTimeout(p.timer);
    this.pollers.delete(p);
    this.record(p.call, 200);
    this.send(p.res, 200, { ok: true, result });
  }

  // ------------------------------------------------------------------ methods

  private dispatch(method: string, p: Record<string, any>, files?: Map<string, { filename: string; bytes: Uint8Array }>): unknown {
    switch (method) {
      case 'getMe':
        return this.botUser;
      case 'deleteWebhook':
        if (p.drop_pending_updates) this.head = this.updates.length;
        return true;
      case 'setWebhook':
      case 'close':
      case 'logOut':
        return true;
      case 'getWebhookInfo':
        return { url: '', has_custom_certificate: false, pending_update_count: this.pendingUpdateCount() };
      case 'setMyCommands':
        this.commandStore.set(commandKey(p.scope, p.language_code), (p.commands ?? []) as BotCommand[]);
        return true;
      case 'getMyCommands':
        return this.commandStore.get(commandKey(p.scope, p.language_code)) ?? [];
      case 'deleteMyCommands':
        this.commandStore.delete(commandKey(p.scope, p.language_code));
        return true;
      case 'sendMessage':
        this.validateText(p, 'text');
        return this.accept('sendMessage', p, this.newBotMessage(p, { text: String(p.text ?? ''), ...(p.entities ? { entities: p.entities } : {}) }));
      case 'sendPhoto':
      case 'sendDocument':
        return this.sendFile(method, p, files);
      case 'editMessageText':
        return this.edit(p, true);
      case 'editMessageReplyMarkup':
        return this.edit(p, false);
      case 'deleteMessage': {
        const chat = this.state.get(p.chat_id as number);
        if (this.keep && chat && !chat.delete(Number(p.message_id))) {
          throw new ApiError(400, 'Bad Request: message to delete not found');
        }
        return true;
      }
      case 'answerCallbackQuery':
        if (this.keep) this.callbackAnswerLog.push(p);
        return true;
      case 'answerInlineQuery':
        if (this.keep) this.inlineAnswerLog.push(p);
        return true;
      case 'sendChatAction':
        return true;
      case 'getChat': {
        const chat = this.chatFor(p.chat_id as number);
        return { ...chat, accent_color_id: 0, max_reaction_count: 11 };
      }
      case 'getChatMember':
        return this.member(p.chat_id as number, Number(p.user_id));
      case 'getChatAdministrators':
        return [...(this.admins.get(p.chat_id as number) ?? [])].map((id) => this.member(p.chat_id as number, id));
      case 'getChatMemberCount':
        return (this.admins.get(p.chat_id as number)?.size ?? 0) + 1;
      default:
        return true;
    }
  }

  private get keep(): boolean {
    return this.opts.keepMessages ?? true;
  }

  private validateText(p: Record<string, any>, field: 'text' | 'caption'): void {
    if (this.opts.validate === false) return;
    const raw = p[field];
    if (field === 'text' && (raw === undefined || String(raw).trim() === '')) {
      throw new ApiError(400, 'Bad Request: message text is empty');
    }
    if (raw === undefined) return;
    const visible = p.parse_mode === 'HTML' ? parseTelegramHtml(String(raw)) : String(raw);
    const max = field === 'text' ? 4096 : 1024;
    if (visible.length > max) {
      throw new ApiError(400, field === 'text' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long');
    }
  }

  private sendFile(method: 'sendPhoto' | 'sendDocument', p: Record<string, any>, files?: Map<string, { filename: string; bytes: Uint8Array }>): Message {
    this.validateText(p, 'caption');
    const field = method === 'sendPhoto' ? 'photo' : 'document';
    const v: unknown = p[field];
    let file: UploadedFile;
    if (typeof v === 'string' && v.startsWith('attach://') && files?.has(v.slice(9))) {
      const f = files.get(v.slice(9))!;
      file = { field, filename: f.filename, size: f.bytes.byteLength, ...(this.keep ? { bytes: f.bytes } : {}) };
    } else {
      file = { field, ref: typeof v === 'string' ? v : JSON.stringify(v) };
    }
    const n = ++this.fileCounter;
    const ids = { file_id: `${field}-${n}`, file_unique_id: `u${field}${n}` };
    const extra: Record<string, unknown> = {};
    if (p.caption !== undefined) extra.caption = String(p.caption);
    if (p.caption_entities) extra.caption_entities = p.caption_entities;
    if (field === 'photo') {
      extra.photo = [{ ...ids, width: 320, height: 240, ...(file.size !== undefined ? { file_size: file.size } : {}) }];
    } else {
      extra.document = {
        ...ids,
        ...(file.filename ? { file_name: file.filename } : {}),
        mime_type: 'application/octet-stream',
        ...(file.size !== undefined ? { file_size: file.size } : {}),
      };
    }
    return this.accept(method, p, this.newBotMessage(p, extra), file);
  }

  private newBotMessage(p: Record<string, any>, extra: Record<string, unknown>): Message {
    const chatId = p.chat_id as number;
    if (typeof chatId !== 'number') throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chat = this.chatFor(chatId);
    const msg: Record<string, unknown> = {
      message_id: this.allocMsgId(chatId),
      date: Math.floor(this.clock() / 1000),
      chat,
      ...(chat.type === 'channel' ? { sender_chat: chat } : { from: this.botUser }),
      ...extra,
    };
    if (p.reply_markup && 'inline_keyboard' in p.reply_markup) msg.reply_markup = p.reply_markup;
    if (p.link_preview_options) msg.link_preview_options = p.link_preview_options;
    return msg as unknown as Message;
  }

  private edit(p: Record<string, any>, text: boolean): Message | true {
    if (p.inline_message_id !== undefined) {
      if (text) this.accept('editMessageText', p, undefined);
      return true;
    }
    const chatId = p.chat_id as number;
    const messageId = Number(p.message_id);
    const old = this.state.get(chatId)?.get(messageId) as (Message.TextMessage & { caption?: string }) | undefined;
    if (this.keep && !old) throw new ApiError(400, 'Bad Request: message to edit not found');
    if (old && old.from?.id !== this.botUser.id && !(old.chat.type === 'channel')) {
      throw new ApiError(400, "Bad Request: message can't be edited");
    }
    const newMarkup = p.reply_markup && 'inline_keyboard' in p.reply_markup ? p.reply_markup : undefined;
    if (text) this.validateText(p, 'text');
    if (old) {
      const sameText = text ? old.text === p.text : true;
      if (sameText && sameJson(old.reply_markup, newMarkup)) throw new ApiError(400, MSG_NOT_MODIFIED);
    }
    const base: Record<string, unknown> = old
      ? { ...old }
      : { message_id: messageId, date: Math.floor(this.clock() / 1000), chat: this.chatFor(chatId), from: this.botUser };
    delete base.reply_markup;
    if (text) {
      base.text = String(p.text ?? '');
      if (p.entities) base.entities = p.entities;
      else delete base.entities;
    }
    if (newMarkup) base.reply_markup = newMarkup;
    base.edit_date = Math.floor(this.clock() / 1000);
    const msg = base as unknown as Message;
    if (text) return this.accept('editMessageText', p, msg);
    this.storeState(chatId, msg);
    return msg;
  }

  /** Records an accepted send-method call; returns the message. */
  private accept(method: SendMethod, p: Record<string, any>, msg: Message, file?: UploadedFile): Message;
  private accept(method: SendMethod, p: Record<string, any>, msg: undefined): undefined;
  private accept(method: SendMethod, p: Record<string, any>, msg: Message | undefined, file?: UploadedFile): Message | undefined {
    const chatId = typeof p.chat_id === 'number' ? p.chat_id : 0;
    this.st.accepted++;
    this.perChat.set(chatId, (this.perChat.get(chatId) ?? 0) + 1);
    if (msg) this.storeState(chatId, msg); // no-op unless keepMessages
    if (this.keep || this.msgWaiters.size) {
      const rec: SentMessage = {
        method,
        chat_id: chatId,
        message_id: msg?.message_id ?? 0,
        payload: p,
        message: msg ?? ({} as Message),
        at: this.clock(),
      };
      if (p.text !== undefined) rec.text = String(p.text);
      if (p.caption !== undefined) rec.caption = String(p.caption);
      if (p.parse_mode !== undefined) rec.parse_mode = String(p.parse_mode);
      if (p.reply_markup !== undefined) rec.reply_markup = p.reply_markup;
      if (file) rec.file = file;
      if (this.keep) this.msgs.push(rec);
      if (this.msgWaiters.size) {
        for (const w of [...this.msgWaiters]) {
          let ok = false;
          try {
            ok = w.test(rec);
          } catch (e) {
            clearTimeout(w.timer);
            this.msgWaiters.delete(w);
            w.reject(e instanceof Error ? e : new Error(String(e)));
            continue;
          }
          if (ok) {
            clearTimeout(w.timer);
            this.msgWaiters.delete(w);
            w.resolve(rec);
          }
        }
      }
    }
    if (this.countWaiters.size) {
      for (const w of [...this.countWaiters]) {
        if (this.st.accepted >= w.n) {
          clearTimeout(w.timer);
          this.countWaiters.delete(w);
          w.resolve();
        }
      }
    }
    return msg;
  }

  private member(chatId: number, userId: number): ChatMember {
    const user: User =
      userId === this.botUser.id
        ? { id: userId, is_bot: true, first_name: this.botUser.first_name, username: this.botUser.username }
        : { id: userId, is_bot: false, first_name: 'Test' };
    if (this.admins.get(chatId)?.has(userId)) {
      const a: ChatMemberAdministrator = {
        status: 'administrator',
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_post_messages: true,
        can_edit_messages: true,
        can_pin_messages: true,
        can_manage_topics: false,
        can_manage_direct_messages: false,
      };
      return a;
    }
    return { status: 'member', user };
  }

  // ------------------------------------------------------------------ helpers

  private inferChatType(chatId: number): ChatType {
    if (chatId > 0) return 'private';
    return String(chatId).startsWith('-100') ? 'supergroup' : 'group';
  }

  private chatFor(chatId: number, type?: ChatType, user?: User, title?: string): Chat {
    const known = this.chats.get(chatId);
    if (known && (!type || known.type === type)) return known;
    const t = type ?? this.inferChatType(chatId);
    const chat: Chat =
      t === 'private'
        ? { id: chatId, type: 'private', first_name: user?.first_name ?? 'Test', ...(user?.username ? { username: user.username } : {}) }
        : { id: chatId, type: t, title: title ?? `Chat ${chatId}` };
    if (this.chats.size < 100_000 || this.keep) this.chats.set(chatId, chat);
    return chat;
  }

  private normChatId(v: unknown): number | string {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      if (/^-?\d+$/.test(v)) return Number(v);
      if (v.startsWith('@')) {
        let id = this.usernameIds.get(v);
        if (id === undefined) {
          id = -1_009_000_000_000 - this.usernameIds.size;
          this.usernameIds.set(v, id);
          this.chats.set(id, { id, type: 'channel', title: v.slice(1), username: v.slice(1) });
        }
        return id;
      }
    }
    return v as string;
  }

  private allocMsgId(chatId: number): number {
    const n = (this.nextMsgId.get(chatId) ?? 0) + 1;
    this.nextMsgId.set(chatId, n);
    return n;
  }

  private storeState(chatId: number, msg: Message): void {
    if (!this.keep) return;
    let chat = this.state.get(chatId);
    if (!chat) this.state.set(chatId, (chat = new Map()));
    chat.set(msg.message_id, msg);
  }
}

function commandKey(scope: unknown, lang: unknown): string {
  const s = scope && typeof scope === 'object' ? JSON.stringify(scope) : '{"type":"default"}';
  return `${s}|${typeof lang === 'string' ? lang : ''}`;
}

/** bot_command entity for a leading /command (with optional @botname). */
export function commandEntities(text: string): MessageEntity[] {
  const m = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : [];
}
