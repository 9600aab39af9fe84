import { describe, expect, it } from 'vitest';
import { BUILTIN_SOURCES } from '../../src/sources/builtin.js';
import { FeedError } from '../../src/sources/errors.js';
import { fromOpml, toOpml } from '../../src/sources/opml.js';

describe('OPML', () => {
  it('round-trips the built-in list', () => {
    const xml = toOpml(BUILTIN_SOURCES, { now: new Date('2025-06-02T00:00:00Z') });
    expect(xml).toContain('<opml version="2.0">');
    const back = fromOpml(xml);
    expect(back).toHaveLength(BUILTIN_SOURCES.length);
    for (const [i, s] of BUILTIN_SOURCES.entries()) {
      expect(back[i]).toEqual({
        name: s.name,
        url: new URL(s.url).href,
        homepage: new URL(s.homepage!).href,
        id: s.id,
        ...(s.region ? { region: s.region } : {}),
        fullText: s.fullText,
      });
    }
  });

  it('escapes names and URLs', () => {
    const xml = toOpml([
      { id: 'x', name: 'أخبار "اليوم" & <غداً>', url: 'https://x.example/rss?a=1&b=2', fullText: false, enabled: true, trusted: false, origin: 'chat' },
    ]);
    expect(fromOpml(xml)).toEqual([{ name: 'أخبار "اليوم" & <غداً>', url: 'https://x.example/rss?a=1&b=2', id: 'x', fullText: false }]);
  });

  it('imports nested folders from other readers, drops duplicates and non-http URLs', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="عربي">
    <outline text="BBC Arabic" title="بي بي سي عربي" type="rss" xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml" htmlUrl="https://www.bbc.com/arabic"/>
    <outline text="Dup" xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml"/>
    <outline text="Bad" xmlUrl="javascript:alert(1)"/>
    <outline text="Folder"><outline text="" xmlUrl="http://news.example.org/feed"/></outline>
  </outline>
</body></opml>`;
    expect(fromOpml(xml)).toEqual([
      { name: 'بي بي سي عربي', url: 'https://feeds.bbci.co.uk/arabic/rss.xml', homepage: 'https://www.bbc.com/arabic' },
      { name: 'news.example.org', url: 'http://news.example.org/feed' },
    ]);
  });

  it('exports an empty list as a valid OPML that imports as no feeds', () => {
    const xml = toOpml([], { title: 'A & B', now: new Date('2025-06-02T00:00:00Z') });
    expect(xml).toContain('<title>A &amp; B</title>');
    expect(fromOpml(xml)).toEqual([]);
  });

  it('rejects non-OPML with a FeedError', () => {
    const e = (() => {
      try {
        fromOpml('<html><body>no</body></html>');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(FeedError);
  });
});
