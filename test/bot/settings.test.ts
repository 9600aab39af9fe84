import { beforeEach, describe, expect, it } from 'vitest';
import { digestBuffer } from '../../src/digest/buffer.js';
import { parseTimezone } from '../../src/bot/features/settings.js';
import { buttons, createHarness, type Harness, plain } from '../helpers/bot-harness.js';
import { memberOf, callbackQuery, message, TEST_USER_ID } from '../helpers/updates.js';

const GROUP = -100777;

describe('/settings', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });

  const tap = async (data: string, opts: Parameters<typeof callbackQuery>[1] = {}) => {
    await h.bot.handleUpdate(callbackQuery(data, { messageId: 10, ...opts }));
    return h.api.edited().at(-1);
  };

  it('shows the current settings with buttons and changes them by tapping', async () => {
    await h.bot.handleUpdate(message('/settings'));
    const shown = h.last();
    expect(shown.text).toContain('الإعدادات');
    expect(shown.text).toContain('الوضع: فوري');
    expect(shown.text).toContain('دمشق (Asia/Damascus)');
    const data = buttons(shown.reply_markup).map((b) => b.data);
    expect(data).toEqual(expect.arrayContaining(['s:mode:instant', 's:mode:hourly', 's:mode:daily', 's:tz', 's:q', 's:cap', 's:sil', 's:prev', 'ob:topics', 's:done']));
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);

    let edit = await tap('s:mode:daily');
    expect(plain(edit!.text)).toContain('ملخص يومي الساعة 08:00');
    expect(buttons(edit!.reply_markup).map((b) => b.data)).toContain('s:dh:1');
    edit = await tap('s:dh:1');
    expect(plain(edit!.text)).toContain('09:00');
    edit = await tap('s:dh:-1');
    edit = await tap('s:dh:-1');
    expect(plain(edit!.text)).toContain('07:00');

    edit = await tap('s:tz');
    expect(buttons(edit!.reply_markup).map((b) => b.text)).toEqual(expect.arrayContaining(['بغداد', 'UTC+3']));
    edit = await tap('s:tzc:bag');
    expect(plain(edit!.text)).toContain('بغداد (Asia/Baghdad)');
    await tap('s:tzo:+4');
    expect(h.profiles.get(TEST_USER_ID)!.settings!.tz).toBe('UTC+4');

    edit = await tap('s:q');
    expect(buttons(edit!.reply_markup).map((b) => b.data)).toContain('s:qs:22:7');
    await tap('s:qs:22:7');
    await tap('s:qa:silent');
    expect(h.profiles.get(TEST_USER_ID)!.settings!.quiet).toEqual({ from: 22, to: 7, action: 'silent' });
    expect(buttons(h.api.edited().at(-1)!.reply_markup).find((b) => b.data === 's:qa:silent')!.text).toMatch(/^✅/);

    await tap('s:cap');
    await tap('s:cap');
    await tap('s:sil');
    await tap('s:prev');
    await tap('s:grp');
    expect(h.profiles.get(TEST_USER_ID)!.settings).toMatchObject({
      mode: 'daily',
      digestHour: 7,
      hourlyCap: 10,
      silent: true,
      linkPreview: true,
      groupBy: 'place',
    });
    edit = await tap('s:main');
    const text = plain(edit!.text);
    expect(text).toContain('الحد في الساعة: 10');
    expect(text).toContain('الإشعارات: صامتة');
    expect(text).toContain('22:00–07:00 (تصل بصمت)');
    await tap('s:done');
    expect(plain(h.api.edited().at(-1)!.text)).toContain('حُفظت الإعدادات');
    // Every button was answered.
    expect(h.api.callsTo('answerCallbackQuery').length).toBeGreaterThanOrEqual(17);
  });

  it('moves a pending digest when the schedule changes, and releases it when back to instant', async () => {
    await h.bot.handleUpdate(message('/settings'));
    await tap('s:mode:hourly');
    const buf = digestBuffer(h.stores.meta);
    await buf.hold(TEST_USER_ID, { articleId: 'a', storyId: 'a', title: 't', summary: '', url: 'https://x.example', sourceName: 'x', at: 0 }, h.clock.now + 3600_000);
    await tap('s:mode:daily');
    expect((await buf.peek(TEST_USER_ID))!.due).toBe(Date.UTC(2026, 10, 30, 5)); // 08:00 Damascus tomorrow
    await tap('s:mode:instant');
    expect(await buf.due(h.clock.now)).toEqual([TEST_USER_ID]);
  });

  it('sets the timezone from text: a city, an offset or an IANA zone', async () => {
    expect(parseTimezone('الرياض')).toBe('Asia/Riyadh');
    expect(parseTimezone('cairo')).toBe('Africa/Cairo');
    expect(parseTimezone('+5:30')).toBe('UTC+5:30');
    expect(parseTimezone('GMT-3')).toBe('UTC-3');
    expect(parseTimezone('Asia/Dubai')).toBe('Asia/Dubai');
    expect(parseTimezone('nowhere')).toBeUndefined();
    await h.bot.handleUpdate(message('/settings tz دبي'));
    expect(h.profiles.get(TEST_USER_ID)!.settings!.tz).toBe('Asia/Dubai');
    await h.bot.handleUpdate(message('/settings tz Mars/Base'));
    expect(h.last().text).toContain('Mars/Base');
    expect(h.profiles.get(TEST_USER_ID)!.settings!.tz).toBe('Asia/Dubai');
  });

  it('in a group, only admins change settings; members may look', async () => {
    h.api.answer('getChatMember', (p) => memberOf({ id: Number(p.user_id), is_bot: false, first_name: 'M' }, Number(p.user_id) === 42 ? 'administrator' : 'member'));
    await h.bot.handleUpdate(message('/settings', { chatId: GROUP, userId: 7 }));
    expect(h.last().text).toContain('الإعدادات');
    await h.bot.handleUpdate(callbackQuery('s:sil', { chatId: GROUP, userId: 7 }));
    expect(h.api.callsTo('answerCallbackQuery').at(-1)).toMatchObject({ show_alert: true, text: expect.stringContaining('مشرفو المجموعة') });
    expect(h.profiles.get(GROUP)?.settings?.silent).toBeUndefined();
    await h.bot.handleUpdate(callbackQuery('s:sil', { chatId: GROUP, userId: 42 }));
    expect(h.profiles.get(GROUP)!.settings!.silent).toBe(true);
  });

  it('/settings in a forum topic sends alerts to that topic; a button sends them back to the chat', async () => {
    const update = message('/settings', { chatId: GROUP, userId: 42 });
    Object.assign(update.message!, { message_thread_id: 55, is_topic_message: true });
    await h.bot.handleUpdate(update);
    expect(h.profiles.get(GROUP)!.settings!.threadId).toBe(55);
    expect(h.last().text).toContain('موضوع المنتدى');
    expect(buttons(h.last().reply_markup).map((b) => b.data)).toContain('s:thr:0');
    await h.bot.handleUpdate(callbackQuery('s:thr:0', { chatId: GROUP, userId: 42 }));
    expect(h.profiles.get(GROUP)!.settings!.threadId).toBeUndefined();
    // The button on a settings message inside another topic moves alerts there.
    const inTopic = callbackQuery('s:thr:here', { chatId: GROUP, userId: 42 });
    Object.assign(inTopic.callback_query!.message!, { message_thread_id: 77, is_topic_message: true });
    await h.bot.handleUpdate(inTopic);
    expect(h.profiles.get(GROUP)!.settings!.threadId).toBe(77);
    // A reply thread in an ordinary group is not a forum topic.
    const reply = message('/settings', { chatId: -100999, userId: 42 });
    Object.assign(reply.message!, { message_thread_id: 12 });
    await h.bot.handleUpdate(reply);
    expect(h.profiles.get(-100999)?.settings?.threadId).toBeUndefined();
  });
});
