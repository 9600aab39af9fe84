import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { BotApiEmulator } from './bot-api-emulator.ts';

const open: BotApiEmulator[] = [];
async function start(opts?: Parameters<typeof BotApiEmulator.start>[0]): Promise<BotApiEmulator> {
  const emu = await BotApiEmulator.start(opts);
  open.push(emu);
  return emu;
}
function apiFor(emu: BotApiEmulator, token = emu.token): Api {
  return new Api(token, { apiRoot: emu.apiRoot });
}
async function rawCall(emu: BotApiEmulator, method: string, payload: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.apiRoot}/bot${emu.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: await res.json() };
}
async function expectGrammyError(p: Promise<unknown>): Promise<GrammyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GrammyError);
  return e as GrammyError;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((e) => e.close()));
});

describe('BotApiEmulator with a real grammY bot (long polling)', () => {
  it('delivers user messages, records replies, handles buttons and stops cleanly', async () => {
    const emu = await start();
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    bot.command('start', (ctx) =>
      ctx.reply(`أهلا ${ctx.from?.first_name}`, {
        reply_markup: new InlineKeyboard().text('رياضة', 'topic:sport').text('سياسة', 'topic:politics'),
      }),
    );
    bot.callbackQuery(/^topic:(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'تم' });
      await ctx.editMessageText(`اخترت ${ctx.match[1]}`);
    });
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`, { parse_mode: 'HTML' }));

    const started = new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
    await started;
    expect(bot.botInfo.username).toBe('nabaa_test_bot');

    emu.sendUserMessage('/start', { chatId: 42, from: { first_name: 'سارة' } });
    const welcome = await emu.waitForMessage((m) => m.chat_id === 42 && m.method === 'sendMessage');
    expect(welcome.text).toBe('أهلا سارة');
    expect(welcome.message_id).toBe(2); // the user's /start was #1 in chat 42
    expect(welcome.reply_markup).toEqual({
      inline_keyboard: [[
        { text: 'رياضة', callback_data: 'topic:sport' },
        { text: 'سياسة', callback_data: 'topic:politics' },
      ]],
    });

    expect(() => emu.clickButton(welcome, 'topic:nope')).toThrow(/available: \["topic:sport","topic:politics"\]/);
    emu.clickButton(welcome, 'topic:sport');
    const edited = await emu.waitForMessage((m) => m.method === 'editMessageText');
    expect(edited).toMatchObject({ chat_id: 42, message_id: 2, text: 'اخترت sport' });
    expect(emu.callbackAnswers()).toEqual([expect.objectContaining({ callback_query_id: 'cq-1', text: 'تم' })]);
    // editMessageText without reply_markup removes the keyboard
    expect((emu.getMessage(42, 2) as { reply_markup?: unknown }).reply_markup).toBeUndefined();

    emu.sendUserMessage('مرحبا', { chatId: 7 });
    const echo = await emu.waitForMessage((m) => m.chat_id === 7);
    expect(echo).toMatchObject({ text: 'echo: مرحبا', parse_mode: 'HTML', method: 'sendMessage' });

    await bot.stop();
    expect(emu.pendingUpdateCount()).toBe(0); // everything confirmed through offset
    expect(emu.messages().map((m) => m.method)).toEqual(['sendMessage', 'editMessageText', 'sendMessage']);
    expect(emu.countByChat()).toEqual(new Map([[42, 2], [7, 1]]));
    expect(emu.calls('getMe')).toHaveLength(1);
    expect(emu.stats()).toMatchObject({ accepted: 3, rejected429: 0 });
  });

  it('adds bot_command entities (also /cmd@bot) and supports group chats', async () => {
    const emu = await start();
    const u = emu.sendUserMessage('/alerts@nabaa_test_bot on', { chatId: -100123, chatType: 'supergroup' });
    const msg = 'message' in u ? u.message : undefined;
    expect(msg).toMatchObject({
      chat: { id: -100123, type: 'supergroup' },
      from: { id: 1001 },
      entities: [{ type: 'bot_command', offset: 0, length: 22 }],
    });
    const plain = emu.sendUserMessage('hello /x');
    expect('message' in plain && 'entities' in plain.message).toBe(false);
  });
});

describe('getUpdates long polling', () => {
  it('answers immediately when queued, honours offset/limit, drops confirmed updates', async () => {
    const emu = await start();
    const api = apiFor(emu);
    const a = emu.sendUserMessage('1');
    emu.sendUserMessage('2');
    emu.sendUserMessage('3');
    const first = await api.getUpdates({ limit: 2, timeout: 30 });
    expect(first.map((u) => u.update_id)).toEqual([a.update_id, a.update_id + 1]);
    const rest = await api.getUpdates({ offset: a.update_id + 2, timeout: 30 });
    expect(rest.map((u) => u.update_id)).toEqual([a.update_id + 2]);
    expect(emu.pendingUpdateCount()).toBe(1);
    expect(await api.getUpdates({ offset: a.update_id + 3, timeout: 0 })).toEqual([]);
    expect(emu.pendingUpdateCount()).toBe(0);
  });

  it('holds the request until an update is pushed', async () => {
    const emu = await start();
    const api = apiFor(emu);
    const held = api.getUpdates({ timeout: 30 });
    let settled = false;
    void held.then(() => (settled = true));
    // make sure the request reached the server (and is held) before pushing
    await waitUntil(() => emu.heldPolls() === 1);
    expect(settled).toBe(false);
    const u = emu.sendUserMessage('late');
    const got = await held;
    expect(got.map((x) => x.update_id)).toEqual([u.update_id]);
  }, 15_000);

  it('close() releases a held request with an empty result', async () => {
    const emu = await BotApiEmulator.start();
    const api = apiFor(emu);
    const held = api.getUpdates({ timeout: 50 });
    await waitUntil(() => emu.heldPolls() === 1);
    await emu.close();
    await expect(held).resolves.toEqual([]);
  });

  it('a held poll times out with [] (fake clock for the poll timer)', async () => {
    const emu = await start();
    const api = apiFor(emu);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held = api.getUpdates({ timeout: 25 });
    await waitUntil(() => emu.heldPolls() === 1);
    await vi.advanceTimersByTimeAsync(25_000);
    vi.useRealTimers();
    await expect(held).resolves.toEqual([]);
  });
});

/** polls a condition on the event loop (setImmediate), not on a timer */
async function waitUntil(cond: () => boolean, maxTurns = 10_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error('waitUntil: condition never became true');
}

describe('rate limits', () => {
  it('answers 429 with integer retry_after over globalRate (sliding 1 s window)', async () => {
    let now = 1_000_000;
    const emu = await start({ globalRate: 3, clock: () => now });
    const api = apiFor(emu);
    for (let i = 0; i < 3; i++) await api.sendMessage(i + 1, `m${i}`);
    now += 100;
    const err = await expectGrammyError(api.sendMessage(9, 'too much'));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(1);
    expect(err.description).toBe('Too Many Requests: retry after 1');
    now += 899; // 999 ms after the first accepted send: still full
    await expectGrammyError(api.sendMessage(9, 'still too much'));
    now += 1; // the first send leaves the window
    await api.sendMessage(9, 'ok now');
    expect(emu.stats()).toMatchObject({ accepted: 4, rejected429: 2 });
    expect(emu.calls('sendMessage').map((c) => c.status)).toEqual([200, 200, 200, 429, 429, 200]);
  });

  it('perChatRate limits one chat without affecting others', async () => {
    const now = 5_000;
    const emu = await start({ perChatRate: 1, clock: () => now });
    const api = apiFor(emu);
    await api.sendMessage(1, 'a');
    expect((await expectGrammyError(api.sendMessage(1, 'b'))).error_code).toBe(429);
    await api.sendMessage(2, 'c');
    expect(emu.countByChat()).toEqual(new Map([[1, 1], [2, 1]]));
  });

  it('retry_after rounds up to whole seconds (>= 1)', async () => {
    let now = 0;
    const emu = await start({ globalRate: 1, clock: () => now });
    const api = apiFor(emu);
    await api.sendMessage(1, 'a');
    now = 1;
    expect((await expectGrammyError(api.sendMessage(1, 'b'))).parameters.retry_after).toBe(1);
    emu.setOptions({ globalRate: undefined }); // unlimited again
    await api.sendMessage(1, 'c');
  });
});

describe('fault injection', () => {
  it('failChats: 403 blocked, 400 chat not found, 400 migrate_to_chat_id', async () => {
    const emu = await start({
      failChats: new Map([
        [10, { code: 403 as const, description: 'Forbidden: bot was blocked by the user' }],
        [11, { code: 400 as const, description: 'Bad Request: chat not found' }],
      ]),
    });
    emu.migrateChat(-555, -1001555);
    const api = apiFor(emu);
    const blocked = await expectGrammyError(api.sendMessage(10, 'x'));
    expect([blocked.error_code, blocked.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    const notFound = await expectGrammyError(api.sendMessage(11, 'x'));
    expect([notFound.error_code, notFound.description]).toEqual([400, 'Bad Request: chat not found']);
    const migrated = await expectGrammyError(api.sendMessage(-555, 'x'));
    expect(migrated.error_code).toBe(400);
    expect(migrated.parameters.migrate_to_chat_id).toBe(-1001555);
    const m = await api.sendMessage(-1001555, 'moved'); // migrateChat registers the target as a supergroup
    expect(m.chat).toMatchObject({ id: -1001555, type: 'supergroup' });
    emu.unfailChat(10);
    await api.sendMessage(10, 'unblocked');
    expect(emu.stats()).toMatchObject({ failedChat: 3, accepted: 2 });
  });

  it('errorRate answers 502, dropRate destroys the socket, rate429 answers retry_after 1', async () => {
    const emu = await start({ errorRate: 1 });
    const api = apiFor(emu);
    const e = await expectGrammyError(api.sendMessage(1, 'x'));
    expect([e.error_code, e.description]).toEqual([502, 'Bad Gateway']);
    await api.getMe(); // non-send methods are unaffected

    emu.setOptions({ errorRate: 0, dropRate: 1 });
    await expect(api.sendMessage(1, 'x')).rejects.toBeInstanceOf(HttpError);

    emu.setOptions({ dropRate: 0, rate429: 1 });
    const r = await expectGrammyError(api.sendMessage(1, 'x'));
    expect([r.error_code, r.parameters.retry_after]).toEqual([429, 1]);

    expect(emu.stats()).toMatchObject({ rejected5xx: 1, dropped: 1, rejected429: 1, accepted: 0 });
    expect(emu.calls('sendMessage').map((c) => c.status)).toEqual([502, 0, 429]);
  });

  it('429s are compatible with @grammyjs/auto-retry (retry_after honoured, all delivered)', async () => {
    const emu = await start({ globalRate: 5 });
    const api = apiFor(emu);
    api.config.use(autoRetry({ maxRetryAttempts: 3 }));
    await Promise.all(Array.from({ length: 8 }, (_, i) => api.sendMessage(100 + i, `خبر ${i}`)));
    expect(emu.stats()).toMatchObject({ accepted: 8, rejected429: 3 });
    expect(new Set(emu.messages().map((m) => m.chat_id)).size).toBe(8);
  });

  it('latencyMs delays send answers (real time)', async () => {
    const emu = await start({ latencyMs: 40 });
    const api = apiFor(emu);
    const t0 = performance.now();
    await Promise.all([api.sendMessage(1, 'a'), api.sendMessage(2, 'b')]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
    expect(emu.stats().accepted).toBe(2);
  });

  it('fractions are deterministic for a given seed', async () => {
    const run = async (): Promise<number[]> => {
      const emu = await start({ errorRate: 0.3, seed: 7 });
      const api = apiFor(emu);
      for (let i = 0; i < 40; i++) await api.sendMessage(1, String(i)).catch(() => undefined);
      return emu.calls('sendMessage').map((c) => c.status);
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    const failures = a.filter((s) => s === 502).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
  });

  it('rejects a wrong token with 401', async () => {
    const emu = await start();
    const err = await expectGrammyError(apiFor(emu, '999:wrong').getMe());
    expect(err.error_code).toBe(401);
  });
});

describe('methods', () => {
  it('sendDocument/sendPhoto via multipart keep fields and file bytes', async () => {
    const emu = await start();
    const api = apiFor(emu);
    const bytes = new TextEncoder().encode('تقرير\nline2');
    const doc = await api.sendDocument(5, new InputFile(bytes, 'report final.txt'), {
      caption: 'ملخص اليوم',
      reply_markup: new InlineKeyboard().text('x', 'y'),
    });
    expect(doc.document).toMatchObject({ file_name: 'report final.txt', file_size: bytes.byteLength });
    const rec = emu.messages(5)[0]!;
    expect(rec).toMatchObject({ method: 'sendDocument', chat_id: 5, caption: 'ملخص اليوم', message_id: 1 });
    expect(rec.reply_markup).toEqual({ inline_keyboard: [[{ text: 'x', callback_data: 'y' }]] });
    expect(Buffer.from(rec.file!.bytes!).toString('utf8')).toBe('تقرير\nline2');

    await api.sendPhoto(5, 'https://example.com/p.jpg', { caption: 'صورة' });
    expect(emu.messages(5)[1]).toMatchObject({ method: 'sendPhoto', message_id: 2, file: { field: 'photo', ref: 'https://example.com/p.jpg' } });
  });

  it('validates text like Telegram: empty, too long, HTML parse errors (validate:false disables)', async () => {
    const emu = await start();
    const api = apiFor(emu);
    expect((await expectGrammyError(api.sendMessage(1, ''))).description).toBe('Bad Request: message text is empty');
    expect((await expectGrammyError(api.sendMessage(1, 'ع'.repeat(4097)))).description).toBe('Bad Request: message is too long');
    await api.sendMessage(1, `<b>${'ع'.repeat(4096)}</b>`, { parse_mode: 'HTML' }); // tags do not count
    const bare = await expectGrammyError(api.sendMessage(1, 'سعر النفط < 80 دولار', { parse_mode: 'HTML' }));
    expect(bare.description).toMatch(/^Bad Request: can't parse entities: .*byte offset/);
    expect((await expectGrammyError(api.sendMessage(1, '<b>عاجل</i>', { parse_mode: 'HTML' }))).description).toMatch(/Unmatched end tag "i"/);
    expect((await expectGrammyError(api.sendMessage(1, '<div>x</div>', { parse_mode: 'HTML' }))).description).toMatch(/Unsupported start tag "div"/);
    expect((await expectGrammyError(api.sendMessage(1, '<b>x', { parse_mode: 'HTML' }))).description).toMatch(/end tag/);
    await api.sendMessage(1, '<b>عاجل</b> &lt;80 <a href="https://example.com/?a=1&amp;b=2">المصدر</a> <tg-spoiler>x</tg-spoiler>', { parse_mode: 'HTML' });
    await api.sendMessage(1, 'سعر النفط < 80'); // no parse_mode: anything goes
    expect((await expectGrammyError(api.sendPhoto(1, 'https://e.x/p.jpg', { caption: 'c'.repeat(1025) }))).description).toBe('Bad Request: message caption is too long');
    emu.setOptions({ validate: false });
    await api.sendMessage(1, '<div>x', { parse_mode: 'HTML' });
    expect(emu.stats()).toMatchObject({ accepted: 4, rejectedOther: 7 });
  });

  it('editMessageText: not found, not modified, ok', async () => {
    const emu = await start();
    const api = apiFor(emu);
    const m = await api.sendMessage(3, 'v1');
    expect((await expectGrammyError(api.editMessageText(3, 99, 'x'))).description).toBe('Bad Request: message to edit not found');
    expect((await expectGrammyError(api.editMessageText(3, m.message_id, 'v1'))).description).toMatch(/message is not modified/);
    const e = await api.editMessageText(3, m.message_id, 'v2');
    expect(e).toMatchObject({ text: 'v2', message_id: m.message_id });
    await api.editMessageReplyMarkup(3, m.message_id, { reply_markup: new InlineKeyboard().text('a', 'b') });
    expect(emu.getMessage(3, m.message_id)).toMatchObject({ text: 'v2', reply_markup: { inline_keyboard: [[{ callback_data: 'b' }]] } });
    await api.deleteMessage(3, m.message_id);
    expect(emu.getMessage(3, m.message_id)).toBeUndefined();
  });

  it('commands per scope and language, chat members, chat info, unknown methods', async () => {
    const emu = await start();
    const api = apiFor(emu);
    await api.setMyCommands([{ command: 'start', description: 'ابدأ' }]);
    await api.setMyCommands([{ command: 'start', description: 'Start' }], { language_code: 'en' });
    await api.setMyCommands([{ command: 'settings', description: 'إعدادات' }], { scope: { type: 'all_group_chats' } });
    expect(await api.getMyCommands()).toEqual([{ command: 'start', description: 'ابدأ' }]);
    expect(await api.getMyCommands({ language_code: 'en' })).toEqual([{ command: 'start', description: 'Start' }]);
    expect(emu.commands({ type: 'all_group_chats' })).toEqual([{ command: 'settings', description: 'إعدادات' }]);

    emu.setChatAdmins(-100, [1001, emu.botUser.id]);
    expect((await api.getChatMember(-100, 1001)).status).toBe('administrator');
    expect((await api.getChatMember(-100, 2002)).status).toBe('member');
    expect((await api.getChatAdministrators(-100)).map((a) => a.user.id)).toEqual([1001, emu.botUser.id]);
    expect(await api.getChat(-1001234567890)).toMatchObject({ id: -1001234567890, type: 'supergroup' });
    expect(await api.getChat(77)).toMatchObject({ id: 77, type: 'private' });
    await api.sendChatAction(1, 'typing');
    expect(await api.pinChatMessage(1, 1)).toBe(true);
    expect(emu.calls('pinChatMessage')).toHaveLength(1);
    expect(await api.answerInlineQuery('iq-1', [])).toBe(true);
    expect(emu.inlineAnswers()).toEqual([expect.objectContaining({ inline_query_id: 'iq-1', results: [] })]);
    const { status, body } = await rawCall(emu, 'sendMessage', { chat_id: '@nabaa_channel', text: 'hi' });
    expect(status).toBe(200);
    expect(body.result.chat).toMatchObject({ type: 'channel', username: 'nabaa_channel' });
  });
});

describe('waiting helpers', () => {
  it('waitForMessage sees past messages, fromIndex skips them, timeout lists what arrived', async () => {
    const emu = await start();
    const api = apiFor(emu);
    await api.sendMessage(1, 'old');
    await expect(emu.waitForMessage((m) => m.text === 'old')).resolves.toMatchObject({ text: 'old' });
    const pending = emu.waitForMessage((m) => m.chat_id === 1, { fromIndex: emu.messages().length });
    await api.sendMessage(1, 'new');
    await expect(pending).resolves.toMatchObject({ text: 'new' });

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const never = emu.waitForMessage((m) => m.text === 'never', 500);
    const never2 = emu.waitForCount(10, 500);
    const assertion = expect(never).rejects.toThrow(/timed out after 500 ms[\s\S]*sendMessage chat=1 #1 "old"[\s\S]*"new"/);
    const assertion2 = expect(never2).rejects.toThrow(/waitForCount\(10\).*with 2 accepted/);
    await vi.advanceTimersByTimeAsync(500);
    await assertion;
    await assertion2;
  });

  it('keepMessages:false only counts; handles a burst of concurrent sends', async () => {
    const emu = await start({ keepMessages: false });
    const api = apiFor(emu);
    const N = 2000;
    const done = emu.waitForCount(N);
    const t0 = performance.now();
    const batch = 100;
    for (let i = 0; i < N; i += batch) {
      await Promise.all(Array.from({ length: batch }, (_, j) => api.sendMessage((i + j) % 50 + 1, 'خبر عاجل')));
    }
    await done;
    const ms = performance.now() - t0;
    expect(emu.messages()).toEqual([]);
    expect(emu.calls()).toEqual([]);
    expect(emu.callCount('sendMessage')).toBe(N);
    expect(emu.countByChat().get(1)).toBe(N / 50);
    expect(emu.stats().accepted).toBe(N);
    // waitForMessage still sees new messages without keeping them
    const next = emu.waitForMessage((m) => m.text === 'after');
    await api.sendMessage(3, 'after');
    await expect(next).resolves.toMatchObject({ chat_id: 3, text: 'after' });
    expect(emu.messages()).toEqual([]);
    console.info(`emulator: ${N} sendMessage in ${ms.toFixed(0)} ms (${Math.round((N / ms) * 1000)}/s)`);
  });
});
