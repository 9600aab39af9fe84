import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/sources/canonical-url.js';
import { FeedError } from '../../src/sources/errors.js';
import { parseDate, parseFeed } from '../../src/sources/parse-feed.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FeedError);
    return (e as FeedError).code;
  }
  return undefined;
}

describe('parseFeed: RSS 2.0', () => {
  const feed = parseFeed(fixture('rss2.xml'), { sourceId: 'east', baseUrl: 'https://feeds.example.com/east.xml' });

  it('reads the channel', () => {
    expect(feed.title).toBe('أخبار الشرق & الغرب');
    expect(feed.link).toBe('https://news.example.com/');
  });

  it('prefers content:encoded when longer, keeps paragraphs, drops script and style', () => {
    const it0 = feed.items[0]!;
    expect(it0).toMatchObject({ sourceId: 'east', guid: 'news-example-48213', categories: ['سياسة', 'الأردن'] });
    expect(it0.title).toBe('وزير الخارجية السوري يصل إلى عمّان في زيارة رسمية');
    const paras = it0.text.split('\n\n');
    expect(paras).toHaveLength(3);
    expect(paras[1]).toBe('ومن المقرر أن يلتقي نظيره الأردني لبحث ملفات الحدود واللاجئين والتجارة بين البلدين.');
    expect(paras[2]).toBe('وقال مصدر دبلوماسي إن الزيارة "تأتي في إطار تعزيز العلاقات".');
    expect(it0.text).not.toMatch(/alert|color|<|>/);
    expect(iso(it0.publishedAt)).toBe('2025-06-02T07:15:00.000Z');
  });

  it('cleans HTML and script injection out of titles and resolves relative links against the site', () => {
    const quake = feed.items[1]!;
    expect(quake.title).toBe('عاجل: زلزال بقوة 5.2 درجات يضرب جنوب تركيا');
    expect(quake.url).toBe('https://news.example.com/world/2025/06/02/quake');
    // no guid: the canonical link is the guid
    expect(quake.guid).toBe(canonicalUrl(quake.url));
    expect(quake.text).toBe('ضرب زلزال بقوة 5.2 درجات على مقياس ريختر جنوب تركيا التفاصيل');
  });

  it('reads dc:date and dc:subject; guid stays the raw guid', () => {
    const oil = feed.items[2]!;
    expect(oil.guid).toBe('https://news.example.com/economy/oil-prices');
    expect(oil.categories).toEqual(['اقتصاد']);
    expect(iso(oil.publishedAt)).toBe('2025-06-02T05:30:00.000Z');
    expect(canonicalUrl(oil.url)).toBe('https://news.example.com/economy/oil-prices');
  });

  it('parses Arabic dates with Arabic-Indic digits; unparseable dates are undefined', () => {
    expect(iso(feed.items[3]!.publishedAt)).toBe('2025-06-02T10:30:00.000Z');
    expect(feed.items[4]!.publishedAt).toBeUndefined();
    expect('publishedAt' in feed.items[4]!).toBe(false);
  });

  it('drops items with no link at all', () => {
    expect(feed.items).toHaveLength(5);
    expect(feed.items.some((i) => i.title === 'عنصر بلا رابط')).toBe(false);
  });
});

describe('parseFeed: RSS 1.0, Atom, JSON Feed', () => {
  it('RSS 1.0 (RDF)', () => {
    const feed = parseFeed(fixture('rss1.rdf'), { sourceId: 'dw', baseUrl: 'https://rss.dw.example/rdf/rss-ar-all' });
    expect(feed.title).toBe('DW عربية | أخبار');
    expect(feed.items.map((i) => i.guid)).toEqual(['https://www.dw.example/ar/a-7001', 'https://www.dw.example/ar/a-7002']);
    expect(feed.items[0]!.categories).toEqual(['اليمن']);
    expect(iso(feed.items[1]!.publishedAt)).toBe('2025-06-01T11:00:00.000Z');
    expect(feed.items[1]!.text).toBe('افتتح المغرب محطة جديدة للطاقة الشمسية قرب ورزازات.');
  });

  it('Atom, with xml:base on feed and entry, html titles and content over summary', () => {
    const feed = parseFeed(fixture('atom.xml'), { sourceId: 'mag', baseUrl: 'https://atom.example.org/ar/feed.atom' });
    expect(feed.title).toBe('نشرة الأخبار المغاربية');
    expect(feed.link).toBe('https://atom.example.org/ar/');
    const [a, b] = feed.items;
    expect(a).toMatchObject({
      guid: 'tag:atom.example.org,2025:entry-101',
      url: 'https://atom.example.org/ar/tunisia/tourism-season-2025',
      title: 'تونس: انطلاق الموسم السياحي وسط توقعات بأرقام قياسية',
      categories: ['اقتصاد'],
    });
    expect(a!.text.split('\n\n')).toHaveLength(2);
    expect(iso(a!.publishedAt)).toBe('2025-06-02T09:45:00.000Z');
    expect(b!.url).toBe('https://atom.example.org/ar/algeria/energy-summit');
    expect(b!.text).toBe('تستضيف الجزائر قمة إقليمية للطاقة الأسبوع المقبل.');
    expect(iso(b!.publishedAt)).toBe('2025-06-01T18:00:00.000Z');
  });

  it('JSON Feed, content_html and content_text, numeric ids, relative urls', () => {
    const feed = parseFeed(fixture('feed.json'), { sourceId: 'gulf', baseUrl: 'https://gulf.example.net/feed.json' });
    expect(feed.title).toBe('أخبار الخليج');
    const [k, q] = feed.items;
    expect(k).toMatchObject({ guid: 'gulf-2025-0601', categories: ['سياسة', 'الكويت'] });
    expect(k!.text).toBe('أقر مجلس الأمة الكويتي الميزانية العامة للدولة للسنة المالية الجديدة.\n\nوصوت لصالح القرار 40 عضوا.');
    expect(q).toMatchObject({ guid: '77', url: 'https://gulf.example.net/news/qatar-weather' });
    expect(q!.text).toBe('تشهد قطر موجة حر شديدة.\n\nوتوقعت الأرصاد أن تصل الحرارة إلى 48 درجة.');
    expect(iso(q!.publishedAt)).toBe('2025-06-01T07:00:00.000Z');
  });
});

describe('parseFeed: errors and hostile input', () => {
  it('bad_xml for broken XML and broken JSON; not_feed for HTML, empty, other JSON', () => {
    expect(codeOf(() => parseFeed(fixture('broken.xml'), { sourceId: 'x', baseUrl: 'https://a.example/' }))).toBe('bad_xml');
    expect(codeOf(() => parseFeed('{"version": "https://jsonfeed.org/version/1.1", "items": [', { sourceId: 'x', baseUrl: 'https://a.example/' }))).toBe('bad_xml');
    expect(codeOf(() => parseFeed('<!doctype html><html><body>مرحبا</body></html>', { sourceId: 'x', baseUrl: 'https://a.example/' }))).toBe('not_feed');
    expect(codeOf(() => parseFeed('   ', { sourceId: 'x', baseUrl: 'https://a.example/' }))).toBe('not_feed');
    expect(codeOf(() => parseFeed('{"hello": "world"}', { sourceId: 'x', baseUrl: 'https://a.example/' }))).toBe('not_feed');
  });

  it('drops javascript: links, keeps entity-encoded markup out of titles', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://h.example/</link>
      <item><title>خبر</title><link>javascript:alert(1)</link><description>a</description></item>
      <item><title>&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;تحديث &amp;amp; متابعة&lt;style&gt;body{}&lt;/style&gt;</title><link>https://h.example/2</link></item>
    </channel></rss>`;
    const feed = parseFeed(xml, { sourceId: 'x', baseUrl: 'https://h.example/rss' });
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.title).toBe('تحديث & متابعة');
  });

  it('duplicate guids inside one document are kept once', () => {
    const item = '<item><guid>same-1</guid><title>خبر مكرر</title><link>https://h.example/1</link></item>';
    const feed = parseFeed(`<rss version="2.0"><channel><title>t</title>${item}${item}</channel></rss>`, { sourceId: 'x', baseUrl: 'https://h.example/' });
    expect(feed.items).toHaveLength(1);
  });

  it('the same item across two polls gives the same guid; a re-tagged URL gives the same canonical URL', () => {
    const poll = (link: string) =>
      parseFeed(`<rss version="2.0"><channel><title>t</title><item><title>خبر</title><link>${link}</link></item></channel></rss>`, {
        sourceId: 'x',
        baseUrl: 'https://h.example/rss',
      }).items[0]!;
    const a = poll('https://www.h.example/news/1?utm_source=rss');
    const b = poll('https://h.example/news/1/?utm_campaign=x&amp;fbclid=1');
    expect(a.guid).toBe(b.guid);
    expect(canonicalUrl(a.url)).toBe(canonicalUrl(b.url));
  });
});

describe('parseDate', () => {
  const cases: [string, string | undefined][] = [
    ['Mon, 02 Jun 2025 10:00:00 +0300', '2025-06-02T07:00:00.000Z'],
    ['Mon, 02 Jun 2025 10:00:00 GMT', '2025-06-02T10:00:00.000Z'],
    ['Mon, 2 Jun 2025 10:00 AST', '2025-06-02T07:00:00.000Z'],
    ['2025-06-02T10:00:00+03:00', '2025-06-02T07:00:00.000Z'],
    ['2025-06-02T10:00:00Z', '2025-06-02T10:00:00.000Z'],
    ['2025-06-02 10:00:00', '2025-06-02T10:00:00.000Z'],
    ['2025-06-02', '2025-06-02T00:00:00.000Z'],
    ['02/06/2025 14:30', '2025-06-02T14:30:00.000Z'],
    ['٢ يونيو ٢٠٢٥', '2025-06-02T00:00:00.000Z'],
    ['الإثنين، ٢ يونيو ٢٠٢٥ - ١٠:٣٠', '2025-06-02T10:30:00.000Z'],
    ['2 حزيران 2025 09:15 +0300', '2025-06-02T06:15:00.000Z'],
    ['15 كانون الثاني 2025', '2025-01-15T00:00:00.000Z'],
    ['3 آب 2025', '2025-08-03T00:00:00.000Z'],
    ['12 شتنبر 2025', '2025-09-12T00:00:00.000Z'],
    ['5 جويلية 2025 08:00', '2025-07-05T08:00:00.000Z'],
    ['2 يونيو 2025 10:30 م', '2025-06-02T22:30:00.000Z'],
    ['not a date', undefined],
    ['', undefined],
    ['0000-00-00 00:00:00', undefined],
    ['Thu, 01 Jan 1970 00:00:00 GMT', undefined],
  ];
  for (const [raw, want] of cases) {
    it(JSON.stringify(raw), () => {
      expect(iso(parseDate(raw))).toBe(want);
    });
  }
});
