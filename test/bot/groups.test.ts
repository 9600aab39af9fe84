import { beforeEach, describe, expect, it } from 'vitest';
import { GROUP_ANONYMOUS_BOT } from '../../src/bot/features/access.js';
import { buttons, createHarness, type Harness } from '../helpers/bot-harness.js';
import { callbackQuery, memberOf, message, TEST_BOT_ID, TEST_USER_ID } from '../helpers/updates.js';

const GROUP = -100888;
const ADMIN = 42;
const MEMBER = 7;
const CHANNEL = -1009000000000; // what the recorded API answers for '@name'

describe('groups: only admins change what the group follows', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    h.api.answer('getChatMember', (p) => memberOf({ id: Number(p.user_id), is_bot: false, first_name: 'M' }, Number(p.user_id) === ADMIN ? 'administrator' : 'member'));
  });

  it('refuses /subscribe, /unsubscribe, /stop and topic buttons from members; admins succeed', async () => {
    await h.bot.handleUpdate(message('/subscribe رياضة', { chatId: GROUP, userId: MEMBER }));
    expect(h.last().text).toContain('مشرفو المجموعة');
    expect(h.profiles.get(GROUP)).toBeUndefined();
    await h.bot.handleUpdate(message('/subscribe رياضة', { chatId: GROUP, userId: ADMIN }));
    expect(h.last().text).toContain('رياضة');
    expect(h.profiles.get(GROUP)!.topics).toEqual(['sports']);
    await h.bot.handleUpdate(message('/unsubscribe رياضة', { chatId: GROUP, userId: MEMBER }));
    expect(h.profiles.get(GROUP)!.topics).toEqual(['sports']);
    await h.bot.handleUpdate(callbackQuery('topic:politics', { chatId: GROUP, userId: MEMBER }));
    expect(h.profiles.get(GROUP)!.topics).toEqual(['sports']);
    await h.bot.handleUpdate(message('/stop', { chatId: GROUP, userId: MEMBER }));
    expect(h.profiles.get(GROUP)!.active).toBe(true);
    await h.bot.handleUpdate(callbackQuery('topic:politics', { chatId: GROUP, userId: ADMIN }));
    expect(h.profiles.get(GROUP)!.topics).toEqual(['sports', 'politics']);
    // Everyone may read.
    await h.bot.handleUpdate(message('/list', { chatId: GROUP, userId: MEMBER }));
    expect(h.last().text).toContain('رياضة');
  });

  it('anonymous admins (posting as the group) may change it', async () => {
    const upd = message('/subscribe اقتصاد', { chatId: GROUP, userId: GROUP_ANONYMOUS_BOT });
    Object.assign(upd.message!, { sender_chat: upd.message!.chat });
    await h.bot.handleUpdate(upd);
    expect(h.profiles.get(GROUP)!.topics).toEqual(['economy']);
  });

  it('private chats need no admin check', async () => {
    await h.bot.handleUpdate(message('/subscribe رياضة'));
    expect(h.api.callsTo('getChatMember')).toHaveLength(0);
    expect(h.profiles.get(TEST_USER_ID)!.topics).toEqual(['sports']);
  });
});

describe('channels: managed from a private chat by one of their admins', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });

  it('/manage @channel checks both admins, then follow commands and settings change the channel', async () => {
    await h.bot.handleUpdate(message('/manage'));
    expect(h.last().text).toContain('/manage @');
    await h.bot.handleUpdate(message('/manage @nabaa_news'));
    expect(h.api.callsTo('getChat')[0].chat_id).toBe('@nabaa_news');
    expect(h.api.callsTo('getChatMember').map((c) => c.user_id)).toEqual([TEST_USER_ID, TEST_BOT_ID]);
    expect(h.last().text).toContain('nabaa_news');
    await h.bot.handleUpdate(message('/subscribe الحسكة'));
    expect(h.last().text).toContain('للقناة: <b>nabaa_news</b>');
    expect(h.profiles.get(CHANNEL)!.places).toHaveLength(1);
    expect(h.profiles.get(CHANNEL)!.type).toBe('channel');
    expect(h.profiles.get(TEST_USER_ID)?.places ?? []).toEqual([]);
    await h.bot.handleUpdate(message('/settings'));
    expect(h.last().text).toContain('للقناة: <b>nabaa_news</b>');
    await h.bot.handleUpdate(callbackQuery('s:mode:hourly'));
    expect(h.profiles.get(CHANNEL)!.settings!.mode).toBe('hourly');
    await h.bot.handleUpdate(message('/manage off'));
    await h.bot.handleUpdate(message('/subscribe رياضة'));
    expect(h.profiles.get(TEST_USER_ID)!.topics).toEqual(['sports']);
    expect(h.profiles.get(CHANNEL)!.topics).toEqual([]);
  });

  it('refuses when the user is not a channel admin or the bot cannot post', async () => {
    h.api.answer('getChatMember', (p) => memberOf({ id: Number(p.user_id), is_bot: false, first_name: 'M' }, 'member'));
    await h.bot.handleUpdate(message('/manage @nabaa_news'));
    expect(h.last().text).toContain('مشرفاً في هذه القناة');
    h.api.answer('getChatMember', (p) => memberOf({ id: Number(p.user_id), is_bot: false, first_name: 'M' }, Number(p.user_id) === TEST_BOT_ID ? 'member' : 'creator'));
    await h.bot.handleUpdate(message('/manage @nabaa_news'));
    expect(h.last().text).toContain('صلاحية النشر');
    h.api.failNext('getChat', { error_code: 400, description: 'Bad Request: chat not found' });
    await h.bot.handleUpdate(message('/manage @nobody'));
    expect(h.last().text).toContain('لم أجد هذه القناة');
    await h.bot.handleUpdate(message('/subscribe رياضة'));
    expect(h.profiles.get(CHANNEL)).toBeUndefined();
  });

  it('forwarding a channel post selects the channel', async () => {
    const upd = message('منشور');
    Object.assign(upd.message!, {
      forward_origin: { type: 'channel', chat: { id: CHANNEL, type: 'channel', title: 'nabaa_news' }, message_id: 9, date: 0 },
    });
    h.api.answer('getChat', () => ({ id: CHANNEL, type: 'channel', title: 'قناة نبأ', accent_color_id: 0, max_reaction_count: 11 }));
    await h.bot.handleUpdate(upd);
    expect(h.last().text).toContain('قناة نبأ');
    await h.bot.handleUpdate(message('/list'));
    expect(h.last().text).toContain('للقناة: <b>قناة نبأ</b>');
    expect(buttons(h.last().reply_markup)).toEqual([]);
  });
});
