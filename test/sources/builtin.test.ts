import { describe, expect, it } from 'vitest';
import { BUILTIN_SOURCES } from '../../src/sources/builtin.js';

describe('BUILTIN_SOURCES', () => {
  it('has at least 25 well-formed, trusted, enabled sources with unique ids and URLs', () => {
    expect(BUILTIN_SOURCES.length).toBeGreaterThanOrEqual(25);
    const ids = new Set(BUILTIN_SOURCES.map((s) => s.id));
    const urls = new Set(BUILTIN_SOURCES.map((s) => s.url));
    expect(ids.size).toBe(BUILTIN_SOURCES.length);
    expect(urls.size).toBe(BUILTIN_SOURCES.length);
    for (const s of BUILTIN_SOURCES) {
      expect(s.id).toMatch(/^[a-z0-9-]+$/);
      expect(s.name).toMatch(/[\u0600-\u06ff]/);
      expect(new URL(s.url).protocol).toBe('https:');
      expect(new URL(s.homepage!).protocol).toBe('https:');
      expect(s.trusted).toBe(true);
      expect(s.origin).toBe('builtin');
      expect(s.enabled).toBe(true);
      expect(typeof s.fullText).toBe('boolean');
      if (s.region !== undefined) expect(s.region).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('covers the region', () => {
    const regions = new Set(BUILTIN_SOURCES.map((s) => s.region));
    for (const r of ['SY', 'LB', 'JO', 'PS', 'IQ', 'SA', 'AE', 'EG', 'MA', 'DZ', 'TN', 'LY', 'YE', 'SD']) expect(regions.has(r), r).toBe(true);
    const ids = BUILTIN_SOURCES.map((s) => s.id);
    for (const id of ['bbc-arabic', 'france24-ar', 'dw-arabic', 'skynews-arabia', 'aljazeera', 'rt-arabic', 'cnn-arabic', 'euronews-ar', 'anadolu-ar', 'independent-arabia', 'aawsat', 'alarabiya', 'enab-baladi', 'sana', 'youm7', 'hespress', 'alsumaria', 'alsudani', 'saba', 'dabanga-ar']) {
      expect(ids).toContain(id);
    }
  });
});
