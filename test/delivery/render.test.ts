import { describe, expect, it } from 'vitest';
import { alertFrame, alertText, escapeHtml, MAX_TEXT, renderAlert, visibleLength, whyLine } from '../../src/delivery/render.js';

const t = (_l: string, key: string, vars?: Record<string, string | number>) =>
  key === 'alert-why' ? `وصلك لأنك تتابع: ${vars?.what}` : key === 'alert-source' ? 'المصدر' : key;

const base = {
  title: 'غارات على <ريف> دير الزور & "الباغوز"',
  summary: 'قالت مصادر إن الغارات استهدفت مواقع لتنظيم داعش.',
  url: 'https://news.example/a?x=1&y="2"',
  sourceName: 'وكالة <test>',
  places: [{ id: 'x:baghuz', name: 'الباغوز', kind: 'village', path: ['سوريا', 'دير الزور', 'الباغوز'] }],
  topics: ['security' as const],
};

describe('renderAlert', () => {
  it('escapes every interpolated string and shows where, what, why and the source link', () => {
    const html = renderAlert({ article: base, locale: 'ar', reason: 'سوريا', topicName: () => 'أمن' }, t);
    expect(html).toContain('<b>غارات على &lt;ريف&gt; دير الزور &amp; &quot;الباغوز&quot;</b>');
    expect(html).toContain('سوريا › دير الزور › الباغوز');
    expect(html).toContain('🏷 أمن');
    expect(html).toContain('وصلك لأنك تتابع: سوريا');
    expect(html).toContain('<a href="https://news.example/a?x=1&amp;y=%222%22">وكالة &lt;test&gt;</a>');
    expect(html).not.toMatch(/<(?!\/?(b|i|a)[ >])/);
  });

  it('never links a non-http URL', () => {
    const html = renderAlert({ article: { ...base, url: 'javascript:alert(1)' }, locale: 'ar', topicName: () => 'أمن' }, t);
    expect(html).not.toContain('href');
  });

  it('fits Telegram limits however long the summary is', () => {
    const long = 'كلمة '.repeat(3000);
    const html = renderAlert({ article: { ...base, summary: long, title: long }, locale: 'ar', topicName: () => 'أمن' }, t);
    expect(visibleLength(html)).toBeLessThanOrEqual(MAX_TEXT);
    expect(html).toContain('…');
  });

  it('one frame per article and language serves every reason: the same text as rendering each in full', () => {
    for (const summary of [base.summary, '', 'كلمة '.repeat(780), 'كلمة '.repeat(3000)]) {
      const article = { ...base, summary };
      const frame = alertFrame({ article, locale: 'ar', topicName: () => 'أمن' }, t);
      for (const reason of [undefined, 'سوريا', 'الباغوز'.repeat(40)]) {
        const html = alertText(frame, reason ? whyLine('ar', reason, t) : '');
        expect(html).toBe(renderAlert({ article, locale: 'ar', reason, topicName: () => 'أمن' }, t));
        expect(visibleLength(html)).toBeLessThanOrEqual(MAX_TEXT);
        if (reason) expect(html).toContain(escapeHtml(reason));
      }
    }
  });

  it('escapeHtml covers the four characters Telegram needs', () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});
