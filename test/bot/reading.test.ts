import { beforeEach, describe, expect, it } from 'vitest';
import { matchesQuery, searchArticles } from '../../src/bot/features/search.js';
import { words } from '../../src/pipeline/normalize.js';
import type { Article } from '../../src/types.js';
import { article, buttons, createHarness, type Harness, plain } from '../helpers/bot-harness.js';
import { callbackQuery, inlineQuery, message } from '../helpers/updates.js';

const T0 = Date.UTC(2026, 10, 29, 6, 0);
const tokens = (s: string) => words(s);

function corpus(): Article[] {
  const out: Article[] = [];
  for (let i = 0; i < 12; i++) {
    const title = `خبر رقم ${i} عن سد النهضة`;
    out.push(article({ id: `n${i}`, title, tokens: tokens(`${title} وبالحسكة اجتماع`), topics: ['politics'], publishedAt: T0 + i * 60_000 }));
  }
  // One story reported by two outlets: shown once, with the other outlet.
  const first = article({
    id: 'story1',
    title: 'انتخابات بلدية في تونس',
    sourceName: 'الأولى',
    url: 'https://one.example/a',
    tokens: tokens('انتخابات بلدية في تونس'),
    publishedAt: T0 + 20 * 60_000,
    alsoIn: [{ sourceName: 'الثانية <b>', url: 'https://two.example/b', title: 'تونس تنتخب' }],
  });
  const second = article({ id: 'story1b', storyId: 'story1', title: 'تونس تنتخب', sourceName: 'الثانية <b>', url: 'https://two.example/b', tokens: tokens('تونس تنتخب مجالسها البلدية'), publishedAt: T0 + 21 * 60_000 });
  return [second, first, ...out.reverse()];
}

describe('reading: /latest with paging, /search, inline mode', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ articles: corpus() });
  });

  it('/latest pages five stories at a time with ‹ › buttons, one entry per story with its outlets', async () => {
    await h.bot.handleUpdate(message('/latest'));
    const first = h.last();
    expect(first.text).toContain('أحدث الأخبار');
    expect(first.text).toContain('تونس تنتخب');
    expect(first.text).not.toContain('انتخابات بلدية في تونس'); // the same story shows once
    expect(first.text).toContain('نشرته أيضاً');
    expect(first.text).toContain('href="https://one.example/a">الأولى</a>');
    expect(entries(first.text)).toBe(5);
    const pager = buttons(first.reply_markup);
    expect(pager.map((b) => b.text)).toEqual(['1/3', '›']);
    await h.bot.handleUpdate(callbackQuery(pager[1]!.data, { messageId: 3 }));
    const second = h.api.edited().at(-1)!;
    expect(plain(second.text)).toContain('خبر رقم 7');
    expect(buttons(second.reply_markup).map((b) => b.text)).toEqual(['‹', '2/3', '›']);
    await h.bot.handleUpdate(callbackQuery(buttons(second.reply_markup)[2]!.data, { messageId: 3 }));
    const third = h.api.edited().at(-1)!;
    expect(plain(third.text)).toContain('خبر رقم 0');
    expect(buttons(third.reply_markup).map((b) => b.text)).toEqual(['‹', '3/3']);
  });

  it('/latest <query> pages within the query', async () => {
    await h.bot.handleUpdate(message('/latest سياسة'));
    const m = h.last();
    expect(m.text).toContain('أحدث الأخبار عن سياسة');
    expect(m.text).not.toContain('تونس');
    const next = buttons(m.reply_markup).find((b) => b.text === '›')!;
    await h.bot.handleUpdate(callbackQuery(next.data, { messageId: 4 }));
    expect(plain(h.api.edited().at(-1)!.text)).toContain('أحدث الأخبار عن سياسة');
  });

  it('/search finds words with clitics, newest first, escaped, and pages', async () => {
    expect(matchesQuery({ tokens: tokens('اجتماع وبالحسكة اليوم') }, 'الحسكة')).toBe(true);
    expect(matchesQuery({ tokens: tokens('اجتماع في حلب') }, 'الحسكة')).toBe(false);
    expect(searchArticles(corpus(), 'سد النهضة').map((a) => a.id).slice(0, 2)).toEqual(['n11', 'n10']);

    await h.bot.handleUpdate(message('/search الحسكة اجتماع'));
    const m = h.last();
    expect(m.text).toContain('نتائج البحث عن الحسكة اجتماع');
    expect(m.text).toContain('(12)');
    expect(m.text.indexOf('خبر رقم 11')).toBeLessThan(m.text.indexOf('خبر رقم 10'));
    await h.bot.handleUpdate(callbackQuery(buttons(m.reply_markup).find((b) => b.text === '›')!.data, { messageId: 5 }));
    expect(plain(h.api.edited().at(-1)!.text)).toContain('خبر رقم 6');

    await h.bot.handleUpdate(message('/search تنتخب'));
    expect(h.last().text).toContain('الثانية &lt;b&gt;');
    await h.bot.handleUpdate(message('/search <زلزال>'));
    expect(h.last().text).toContain('لا أخبار حديثة فيها');
    expect(h.last().text).toContain('&lt;زلزال&gt;');
    await h.bot.handleUpdate(message('/search'));
    expect(h.last().text).toContain('/search');
  });

  it('expired paging buttons say so instead of failing', async () => {
    await h.bot.handleUpdate(callbackQuery('sr:1:unknownqid'));
    expect(h.api.callsTo('answerCallbackQuery').at(-1).text).toContain('انتهت صلاحية');
  });

  it('inline mode lists matching stories; choosing one posts its summary and link', async () => {
    await h.bot.handleUpdate(inlineQuery('سد النهضة'));
    const [answer] = h.api.callsTo('answerInlineQuery');
    expect(answer.cache_time).toBeLessThanOrEqual(60);
    expect(answer.results).toHaveLength(12);
    expect(answer.next_offset).toBe('');
    const r = answer.results[0];
    expect(r).toMatchObject({ type: 'article', id: 'n11', title: 'خبر رقم 11 عن سد النهضة' });
    expect(r.description).toContain('ملخص');
    expect(r.input_message_content.parse_mode).toBe('HTML');
    expect(r.input_message_content.message_text).toContain('<a href="https://news.example/n11">المصدر</a>');
    expect(r.input_message_content.message_text).toContain('ملخص خبر رقم 11');

    await h.bot.handleUpdate(inlineQuery(''));
    const latest = h.api.callsTo('answerInlineQuery')[1];
    expect(latest.results).toHaveLength(13);
    expect(latest.results[0].id).toBe('story1b');
    await h.bot.handleUpdate(inlineQuery('لا شيء يطابق هذا'));
    expect(h.api.callsTo('answerInlineQuery')[2].results).toEqual([]);
  });
});

/** How many list entries a message has. */
function entries(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('• ')).length;
}
