import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/sources/canonical-url.js';

describe('canonicalUrl', () => {
  const base = 'https://example.com/news/2025/06/story-123';
  const same = [
    'https://example.com/news/2025/06/story-123',
    'http://example.com/news/2025/06/story-123',
    'https://WWW.Example.com/news/2025/06/story-123/',
    'https://m.example.com/news/2025/06/story-123',
    'https://amp.example.com/news/2025/06/story-123',
    'https://example.com/news/2025/06/story-123/amp',
    'https://example.com/news/2025/06/story-123/amp/',
    'https://example.com/news/2025/06/story-123?amp=1',
    'https://example.com/news/2025/06/story-123?outputType=amp',
    'https://example.com/news/2025/06/story-123#comments',
    'https://example.com/news/2025/06/story-123?utm_source=twitter&utm_medium=social&utm_campaign=x',
    'https://example.com/news/2025/06/story-123?fbclid=IwAR0&gclid=abc&ocid=msn&at_medium=rss&at_campaign=64&ref=home&cmpid=x',
    'https://example.com:443/news/2025/06/story-123',
  ];
  for (const u of same) {
    it(u, () => expect(canonicalUrl(u)).toBe(base));
  }

  it('sorts remaining params and keeps meaningful ones', () => {
    expect(canonicalUrl('https://example.com/article.php?id=5&cat=2&utm_source=x')).toBe('https://example.com/article.php?cat=2&id=5');
    expect(canonicalUrl('https://example.com/a?b=2&a=1')).toBe(canonicalUrl('https://example.com/a?a=1&b=2'));
    expect(canonicalUrl('https://example.com/a?id=1')).not.toBe(canonicalUrl('https://example.com/a?id=2'));
  });

  it('handles Arabic paths consistently (raw and percent-encoded)', () => {
    const raw = 'https://www.youm7.com/story/2025/6/2/مصر-تعلن/7000000';
    const enc = 'https://youm7.com/story/2025/6/2/%D9%85%D8%B5%D8%B1-%D8%AA%D8%B9%D9%84%D9%86/7000000/';
    expect(canonicalUrl(raw)).toBe(canonicalUrl(enc));
  });

  it('root URL has no trailing slash; non-URLs come back trimmed', () => {
    expect(canonicalUrl('https://www.example.com/')).toBe('https://example.com');
    expect(canonicalUrl('  not a url ')).toBe('not a url');
  });

  it('does not strip amp from inside words or non-amp param values', () => {
    expect(canonicalUrl('https://example.com/camp/champions')).toBe('https://example.com/camp/champions');
    expect(canonicalUrl('https://example.com/x?amp=0')).toBe('https://example.com/x?amp=0');
  });
});
