import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { moreLikeThis } from '../../src/bot/features/alert-actions.js';
import { alertKeyboard } from '../../src/digest/route.js';
import { createIngest, type Ingest } from '../../src/ingest.js';
import { storedDeliveries } from '../../src/delivery/outbox.js';
import type { FeedItem, Source } from '../../src/types.js';
import { FOOTBALL_ITEM, HASAKAH_ITEM } from '../fixtures/articles.js';
import { buttons, createHarness, type Harness } from '../helpers/bot-harness.js';
import { callbackQuery, memberOf, TEST_USER_ID } from '../helpers/updates.js';

const SOURCE: Source = { id: 'ex', name: 'أخبار المثال', url: 'https://news.example/feed', fullText: true, enabled: true, trusted: true, origin: 'env' };
const DAY = 24 * 3600_000;

describe('alert buttons: mute for a day, unfollow, more like this', () => {
  let h: Harness;
  let ingest: Ingest;
  let n = 0;
  const item = (base: { title: string; text: string; link: string }): FeedItem => ({
    sourceId: SOURCE.id,
    guid: `g${++n}`,
    url: `${base.link}/${n}`,
    title: `${base.title} ${n}`,
    text: base.text,
    publishedAt: h.clock.now,
    categories: [],
  });
  const jobsFor = async (chatId: number) => (await storedDeliveries(h.stores.outbox)).filter((d) => d.chatId === chatId);
  const hasakah = () => h.deps.gazetteer.lookup('الحسكة').find((p) => p.kind === 'governorate')!.id;

  beforeEach(async () => {
    h = await createHarness();
    ingest = createIngest({ stores: h.stores, profiles: h.profiles, outbox: h.outbox, gazetteer: h.deps.gazetteer, t: h.t, logger: pino({ level: 'silent' }), now: () => h.clock.now });
    await h.profiles.update(TEST_USER_ID, 'private', (p) => void (p.places = [hasakah()]));
  });

  it('each alert carries why it arrived and the three buttons (callback data within 64 bytes)', async () => {
    await ingest(SOURCE, [item(HASAKAH_ITEM)]);
    const [job] = await jobsFor(TEST_USER_ID);
    expect(job!.text.replace(/[\u2068\u2069]/g, '')).toContain('وصلك لأنك تتابع: الحسكة');
    const bs = buttons(job!.replyMarkup);
    expect(bs.map((b) => b.data)).toEqual([`m:p:${hasakah()}`, `u:p:${hasakah()}`, `ml:${job!.articleId}`]);
    expect(bs.map((b) => b.text)).toEqual(['🔕 كتم ليوم', '✖️ إلغاء المتابعة', '➕ المزيد مثل هذا']);
  });

  it('mute stops alerts about the place for a day, then they come back', async () => {
    await h.bot.handleUpdate(callbackQuery(`m:p:${hasakah()}`));
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toContain('الحسكة');
    expect(h.profiles.get(TEST_USER_ID)!.mutes).toEqual([{ kind: 'place', id: hasakah(), until: h.clock.now + DAY }]);
    await ingest(SOURCE, [item(HASAKAH_ITEM)]);
    expect(await jobsFor(TEST_USER_ID)).toHaveLength(0);
    h.clock.now += DAY + 1;
    await ingest(SOURCE, [item(HASAKAH_ITEM)]);
    expect(await jobsFor(TEST_USER_ID)).toHaveLength(1);
  });

  it('unfollow removes what matched', async () => {
    await h.bot.handleUpdate(callbackQuery(`u:p:${hasakah()}`));
    expect(h.profiles.get(TEST_USER_ID)!.places).toEqual([]);
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toContain('لم تعد تتابع');
    await h.bot.handleUpdate(callbackQuery(`u:p:${hasakah()}`));
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toContain('لا تتابع');
  });

  it("more like this adds the story's main place, else its topic", async () => {
    await ingest(SOURCE, [item(FOOTBALL_ITEM)]);
    const football = h.stores.articles.recent()[0]!;
    await h.bot.handleUpdate(callbackQuery(`ml:${football.id}`));
    const p = h.profiles.get(TEST_USER_ID)!;
    const added = moreLikeThis(football, () => false)!;
    expect(added).toBeDefined();
    expect(added.kind === 'place' ? p.places : p.topics).toContain(added.id);
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toMatch(/أضيف/);
    await h.bot.handleUpdate(callbackQuery('ml:no-such-article'));
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toContain('لم يعد متاحاً');
  });

  it('in a group, members cannot use the buttons; admins can', async () => {
    const GROUP = -100555;
    await h.profiles.update(GROUP, 'supergroup', (p) => void (p.topics = ['sports']));
    h.api.answer('getChatMember', (p) => memberOf({ id: Number(p.user_id), is_bot: false, first_name: 'M' }, Number(p.user_id) === 42 ? 'creator' : 'member'));
    await h.bot.handleUpdate(callbackQuery('u:t:sports', { chatId: GROUP, userId: 7 }));
    expect(h.profiles.get(GROUP)!.topics).toEqual(['sports']);
    await h.bot.handleUpdate(callbackQuery('u:t:sports', { chatId: GROUP, userId: 42 }));
    expect(h.profiles.get(GROUP)!.topics).toEqual([]);
  });

  it('keyword buttons: no mute, and unfollow only when the data fits', () => {
    const t = h.t;
    expect(buttons(alertKeyboard({ kind: 'keyword', id: 'داعش' }, 'a1', 'ar', t)).map((b) => b.data)).toEqual(['u:k:داعش', 'ml:a1']);
    const long = 'سد النهضة الإثيوبي الكبير على النيل';
    expect(buttons(alertKeyboard({ kind: 'keyword', id: long }, 'a1', 'en', t)).map((b) => b.data)).toEqual(['ml:a1']);
  });
});
