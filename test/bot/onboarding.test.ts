import { beforeEach, describe, expect, it } from 'vitest';
import { splitKeywords } from '../../src/bot/features/onboarding.js';
import { buttons, createHarness, type Harness, plain } from '../helpers/bot-harness.js';
import { callbackQuery, message, TEST_USER_ID } from '../helpers/updates.js';

describe('onboarding: language → topics → places → keywords, each skippable and redone from /settings', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  const tap = async (data: string) => {
    await h.bot.handleUpdate(callbackQuery(data, { messageId: 2 }));
    return h.api.edited().at(-1)!;
  };

  it('walks a new user through every step', async () => {
    await h.bot.handleUpdate(message('/start'));
    const [welcome, step1] = h.texts();
    expect(welcome).toContain('نبأ');
    expect(step1).toContain('(1/4)');
    expect(buttons(h.last().reply_markup).map((b) => b.data)).toEqual(['ob:l:ar', 'ob:l:en', 'ob:topics']);

    // Language: English from here on.
    let e = await tap('ob:l:en');
    expect(h.profiles.get(TEST_USER_ID)!.locale).toBe('en');
    expect(plain(e.text)).toContain('Topics');
    expect(buttons(e.reply_markup).map((b) => b.text)).toContain('Sports');

    await h.bot.handleUpdate(callbackQuery('ob:t:sports', { messageId: 2 }));
    await h.bot.handleUpdate(callbackQuery('ob:t:economy', { messageId: 2 }));
    expect(h.profiles.get(TEST_USER_ID)!.topics).toEqual(['sports', 'economy']);
    expect(buttons(h.api.edited().at(-1)!.reply_markup).find((b) => b.data === 'ob:t:sports')!.text).toBe('✅ Sports');

    e = await tap('ob:places');
    expect(plain(e.text)).toContain('Places');
    // Type a name: fuzzy, normalized suggestions that show the path (governorate vs city).
    await h.bot.handleUpdate(message('الحسكه'));
    const sugg = buttons(h.last().reply_markup);
    const hasakah = sugg.filter((b) => b.text.startsWith('الحسكة'));
    expect(hasakah.length).toBeGreaterThanOrEqual(2);
    expect(hasakah.map((b) => b.text)).toEqual(expect.arrayContaining(['الحسكة (governorate) — سوريا', 'الحسكة (city) — سوريا › الحسكة']));
    const city = hasakah.find((b) => b.text.includes('(city)'))!;
    await h.bot.handleUpdate(callbackQuery(city.data, { messageId: 3 }));
    expect(h.profiles.get(TEST_USER_ID)!.places).toEqual([city.data.slice(3)]);
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toContain('سوريا › الحسكة › الحسكة');
    // Tapping again undoes.
    await h.bot.handleUpdate(callbackQuery(city.data, { messageId: 3 }));
    expect(h.profiles.get(TEST_USER_ID)!.places).toEqual([]);

    // Or browse country › governorate › town.
    e = await tap('br:root:0');
    expect(buttons(e.reply_markup).map((b) => b.data)).toContain('br:SY:0');
    e = await tap('br:SY:0');
    expect(plain(e.text)).toContain('سوريا');
    const gov = buttons(e.reply_markup);
    expect(gov[0]).toMatchObject({ data: 'pf:SY' });
    expect(gov.map((b) => b.data)).toContain('br:SY-HA:0');
    e = await tap('br:SY-HA:0');
    const inHasakah = buttons(e.reply_markup);
    expect(inHasakah.map((b) => b.data)).toContain('br:SY:0'); // back
    await h.bot.handleUpdate(callbackQuery('pf:SY-HA', { messageId: 2 }));
    expect(h.profiles.get(TEST_USER_ID)!.places).toEqual(['SY-HA']);
    for (const b of [...sugg, ...gov, ...inHasakah]) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);

    e = await tap('ob:kw');
    expect(plain(e.text)).toContain('Keywords');
    await h.bot.handleUpdate(message('سد النهضة، الانتخابات, x'));
    expect(h.profiles.get(TEST_USER_ID)!.keywords).toEqual(['سد النهضة', 'الانتخابات']);
    expect(h.last().text).toContain('سد النهضة، الانتخابات');

    e = await tap('ob:done');
    expect(plain(e.text)).toContain('You follow 5 items');
    // After finishing, plain text is not taken as keywords any more.
    await h.bot.handleUpdate(message('كلمة أخرى'));
    expect(h.profiles.get(TEST_USER_ID)!.keywords).toHaveLength(2);
  });

  it('every step can be skipped, and /settings opens any step again', async () => {
    await h.bot.handleUpdate(message('/start'));
    let e = await tap('ob:topics');
    expect(plain(e.text)).toContain('المواضيع');
    e = await tap('ob:places');
    e = await tap('ob:kw');
    e = await tap('ob:done');
    expect(plain(e.text)).toContain('تتابع 0 عنصراً');
    await h.bot.handleUpdate(message('/settings'));
    const data = buttons(h.last().reply_markup).map((b) => b.data);
    expect(data).toEqual(expect.arrayContaining(['ob:lang', 'ob:topics', 'ob:places', 'ob:kw']));
    e = await tap('ob:lang');
    expect(plain(e.text)).toContain('(1/4)');
  });

  it('a returning user gets no onboarding; an unknown place gets a hint', async () => {
    await h.bot.handleUpdate(message('/start'));
    h.api.clear();
    await h.bot.handleUpdate(message('/start'));
    expect(h.api.sent()).toHaveLength(1);
    await h.bot.handleUpdate(callbackQuery('ob:places', { messageId: 2 }));
    await h.bot.handleUpdate(message('زززززز'));
    expect(h.last().text).toContain('لم أجد مكاناً');
  });

  it('splits keywords on Arabic and Latin commas and drops too-short ones', () => {
    expect(splitKeywords('داعش، سد النهضة,  ب ;الانتخابات\nنفط')).toEqual(['داعش', 'سد النهضة', 'الانتخابات', 'نفط']);
  });
});
