import { beforeEach, describe, expect, it } from 'vitest';
import { Bot, GrammyError, InlineKeyboard } from 'grammy';
import { TEST_BOT_INFO, recordApi } from './recorded-api.ts';
import { callbackQuery, documentMessage, inlineQuery, message, myChatMember, resetUpdateIds } from './updates.ts';

function makeBot() {
  const bot = new Bot('123456:TEST-token', { botInfo: TEST_BOT_INFO });
  const api = recordApi(bot);
  return { bot, api };
}

beforeEach(() => resetUpdateIds());

describe('recordApi', () => {
  it('records a reply made through ctx and returns a plausible Message', async () => {
    const { bot, api } = makeBot();
    let returned: unknown;
    bot.command('start', async (ctx) => {
      returned = await ctx.reply('أهلا بك في نبأ', { reply_markup: new InlineKeyboard().text('إعدادات', 'settings') });
    });
    await bot.handleUpdate(message('/start', { chatId: 42, firstName: 'سارة' }));
    expect(api.sent()).toEqual([
      expect.objectContaining({
        method: 'sendMessage',
        chat_id: 42,
        text: 'أهلا بك في نبأ',
        reply_markup: { inline_keyboard: [[{ text: 'إعدادات', callback_data: 'settings' }]] },
      }),
    ]);
    expect(returned).toMatchObject({ message_id: 1, chat: { id: 42, type: 'private' }, text: 'أهلا بك في نبأ', from: { id: TEST_BOT_INFO.id } });
    await bot.handleUpdate(message('/start', { chatId: 42 }));
    expect(returned).toMatchObject({ message_id: 2 });
  });

  it('handles /cmd@bot in groups, callback queries and edits', async () => {
    const { bot, api } = makeBot();
    bot.command('alerts', (ctx) => ctx.reply(`group ${ctx.chat.id}: ${ctx.match}`));
    bot.callbackQuery('settings', async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText('الإعدادات');
    });
    await bot.handleUpdate(message('/alerts@nabaa_test_bot on', { chatId: -100555 }));
    await bot.handleUpdate(callbackQuery('settings', { chatId: 42, messageId: 9 }));
    expect(api.sent().map((s) => s.text)).toEqual(['group -100555: on']);
    expect(api.callsTo('answerCallbackQuery')).toEqual([expect.objectContaining({ callback_query_id: 'cq-1' })]);
    expect(api.edited()).toEqual([expect.objectContaining({ method: 'editMessageText', chat_id: 42, message_id: 9, text: 'الإعدادات' })]);
    expect(api.calls.map((c) => c.method)).toEqual(['sendMessage', 'answerCallbackQuery', 'editMessageText']);
  });

  it('failNext makes the next call fail with a GrammyError, then recovers', async () => {
    const { bot, api } = makeBot();
    const errors: unknown[] = [];
    bot.on('message', async (ctx) => {
      try {
        await ctx.reply('x');
      } catch (e) {
        errors.push(e);
      }
    });
    api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await bot.handleUpdate(message('hi'));
    await bot.handleUpdate(message('hi again'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GrammyError);
    expect((errors[0] as GrammyError).error_code).toBe(403);
    expect(api.calls).toHaveLength(2); // the failed call is recorded too
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    await bot.handleUpdate(message('3'));
    expect((errors[1] as GrammyError).parameters.retry_after).toBe(3);
    api.clear();
    expect(api.calls).toEqual([]);
  });

  it('custom answers override the defaults; getChatMember defaults to administrator', async () => {
    const bot = new Bot('123456:TEST-token', { botInfo: TEST_BOT_INFO });
    const api = recordApi(bot, { getChatMember: (p) => ({ status: 'member', user: { id: p.user_id, is_bot: false, first_name: 'X' } }) });
    expect((await bot.api.getChatMember(-100, 5)).status).toBe('member');
    api.answer('getChatMember', () => ({ status: 'left', user: { id: 5, is_bot: false, first_name: 'X' } }));
    expect((await bot.api.getChatMember(-100, 5)).status).toBe('left');
    const plain = makeBot();
    expect((await plain.bot.api.getChatMember(-100, 5)).status).toBe('administrator');
    await plain.bot.api.setMyCommands([{ command: 'start', description: 'ابدأ' }], { language_code: 'ar' });
    expect(await plain.bot.api.getMyCommands({ language_code: 'ar' })).toEqual([{ command: 'start', description: 'ابدأ' }]);
    expect(await plain.bot.api.getMyCommands()).toEqual([]);
    expect(await plain.bot.api.deleteWebhook()).toBe(true);
  });

  it('bot.init() works without botInfo (getMe answered)', async () => {
    const bot = new Bot('123456:TEST-token');
    const api = recordApi(bot);
    await bot.init();
    expect(bot.botInfo.username).toBe('nabaa_test_bot');
    expect(api.callsTo('getMe')).toHaveLength(1);
  });
});

describe('update builders', () => {
  it('builds typed updates that grammY routes correctly', async () => {
    const { bot } = makeBot();
    const seen: string[] = [];
    bot.on('inline_query', (ctx) => void seen.push(`inline:${ctx.inlineQuery.query}`));
    bot.on('my_chat_member', (ctx) => void seen.push(`member:${ctx.chat.type}:${ctx.myChatMember.old_chat_member.status}->${ctx.myChatMember.new_chat_member.status}`));
    bot.on('message:document', (ctx) => void seen.push(`doc:${ctx.message.document.file_name}:${ctx.message.document.file_id}`));
    bot.on('channel_post:text', (ctx) => void seen.push(`channel:${ctx.channelPost.text}`));
    bot.command('help', (ctx) => void seen.push(`help:${ctx.from?.id}:${ctx.from?.language_code}`));

    const updates = [
      inlineQuery('غزة'),
      myChatMember('blocked'),
      myChatMember('added', { chatType: 'channel' }),
      myChatMember('removed', { chatId: -100777 }),
      documentMessage('sources.opml', { fileId: 'F1' }),
      message('عاجل', { chatType: 'channel' }),
      message('/help', { userId: 9, languageCode: 'en' }),
    ];
    for (const u of updates) await bot.handleUpdate(u);
    expect(updates.map((u) => u.update_id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen).toEqual([
      'inline:غزة',
      'member:private:member->kicked',
      'member:channel:left->administrator',
      'member:supergroup:member->left',
      'doc:sources.opml:F1',
      'channel:عاجل',
      'help:9:en',
    ]);
  });

  it('private chat id follows the user id and vice versa', () => {
    const a = message('x', { chatId: 42 });
    expect(a.message?.from?.id).toBe(42);
    const b = message('x', { userId: 7 });
    expect(b.message?.chat.id).toBe(7);
    const g = message('x', { chatType: 'group' });
    expect([g.message?.chat.id, g.message?.from?.id]).toEqual([-123, 1001]);
    const cq = callbackQuery('d', { chatId: 5, messageText: 'hello', messageId: 3 });
    expect(cq.callback_query?.message).toMatchObject({ message_id: 3, text: 'hello', chat: { id: 5 } });
  });
});
