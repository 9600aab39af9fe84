import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  type ChartLabels,
  FONT_FILES,
  type StatsChartData,
  niceMax,
  rasterize,
  renderStatsChart,
  statsSvg,
  xmlEscape,
} from '../../src/ops/chart.js';

const NOW = Date.UTC(2026, 10, 29, 8);
const hours = Array.from({ length: 48 }, (_, i) => NOW - (47 - i) * 3600_000);
const wave = (a: number, p: number) => hours.map((_, i) => Math.max(0, Math.round(a * (1 + Math.sin((i + p) / 4)))));

const FIXED: StatsChartData = {
  hours,
  sent: [
    { key: 'alert', label: 'التنبيهات', values: wave(40, 0) },
    { key: 'digest', label: 'الملخصات', values: wave(10, 3) },
    { key: 'broadcast', label: 'البث', values: hours.map((_, i) => (i === 30 ? 120 : 0)) },
  ],
  articles: [
    { key: 'aljazeera', label: 'الجزيرة', values: wave(6, 1) },
    { key: 'bbc', label: 'BBC <عربي> & co', values: wave(4, 2) },
    { key: 'other', label: 'أخرى', values: wave(2, 5) },
  ],
  latency: {
    p50: hours.map((_, i) => (i % 7 === 3 ? undefined : 1500 + 300 * Math.sin(i))),
    p95: hours.map((_, i) => (i % 7 === 3 ? undefined : 5000 + 1500 * Math.sin(i / 2))),
    overall: { p50: 1620, p95: 5400 },
  },
  topics: [
    { label: 'سياسة', value: 120 },
    { label: 'رياضة', value: 90 },
    { label: 'اقتصاد', value: 44 },
  ],
  places: [
    { label: 'دمشق', value: 40 },
    { label: 'الحسكة', value: 33 },
  ],
};

const AR_LABELS: ChartLabels = {
  title: 'نبأ — الإحصاءات',
  subtitle: 'آخر 48 ساعة بتوقيت UTC',
  sent: 'الرسائل المرسلة في الساعة حسب المسار',
  articles: 'الأخبار الجديدة في الساعة حسب المصدر',
  latency: 'زمن التسليم',
  topics: 'المتابعون لكل موضوع',
  places: 'أكثر 10 أماكن متابعة',
  empty: 'لا بيانات بعد',
  p50: 'الوسيط',
  p95: 'p95',
  seconds: 'ث',
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Non-white pixels in a rectangle of an RGBA buffer. */
function inked(pixels: Buffer, width: number, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) n++;
    }
  }
  return n;
}

describe('stats chart', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('renders fixed data to a PNG of the expected dimensions and size, with no network access', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const httpSpy = vi.spyOn(http, 'request');
    const httpsSpy = vi.spyOn(https, 'request');
    const connectSpy = vi.spyOn(net, 'connect');
    const chart = await renderStatsChart(FIXED, { labels: AR_LABELS, rtl: true });
    expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(chart.width).toBe(CHART_WIDTH);
    expect(chart.height).toBe(CHART_HEIGHT);
    // Telegram's photo limits: at most 10 MB, width + height at most 10000.
    expect(chart.png.length).toBeGreaterThan(30_000);
    expect(chart.png.length).toBeLessThan(1_000_000);
    expect(CHART_WIDTH + CHART_HEIGHT).toBeLessThanOrEqual(10_000);
    for (const spy of [fetchSpy, httpSpy, httpsSpy, connectSpy]) expect(spy).not.toHaveBeenCalled();
    // Nothing in the SVG points outside itself (no images, links, external fonts or stylesheets).
    const withoutNamespace = chart.svg.replace('xmlns="http://www.w3.org/2000/svg"', '');
    expect(withoutNamespace).not.toMatch(/href|url\(|@import|<image|<style|https?:/i);
  });

  it('draws from fonts shipped in an npm package, not system fonts', async () => {
    expect(FONT_FILES.length).toBeGreaterThan(0);
    for (const f of FONT_FILES) expect(f).toMatch(/node_modules\/@expo-google-fonts\/ibm-plex-sans-arabic\/.+\.ttf$/);
    // Arabic text is drawn (glyphs found) and, right-aligned, inks the right half only.
    const svg = (anchor: string, x: number, dir: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><rect width="400" height="60" fill="#fff"/>` +
      `<text x="${x}" y="40" font-size="28" text-anchor="${anchor}" direction="${dir}" fill="#000">نبأ — الإحصاءات</text></svg>`;
    const rtl = await rasterize(svg('end', 390, 'rtl'));
    expect(inked(rtl.pixels, rtl.width, 200, 0, 400, 60)).toBeGreaterThan(300);
    expect(inked(rtl.pixels, rtl.width, 0, 0, 150, 60)).toBe(0);
  });

  it('lays Arabic out right to left and English left to right', async () => {
    const ar = await rasterize(statsSvg(FIXED, { labels: AR_LABELS, rtl: true }));
    const en = await rasterize(
      statsSvg(FIXED, {
        labels: { ...AR_LABELS, title: 'Nabaa statistics', subtitle: 'Last 48 hours, UTC' },
        rtl: false,
      }),
    );
    // The page title sits at the top right in Arabic and at the top left in English.
    const titleBand = (img: typeof ar, x0: number, x1: number) => inked(img.pixels, img.width, x0, 10, x1, 50);
    expect(titleBand(ar, CHART_WIDTH - 300, CHART_WIDTH)).toBeGreaterThan(500);
    expect(titleBand(ar, 0, 300)).toBe(0);
    expect(titleBand(en, 0, 300)).toBeGreaterThan(500);
    expect(titleBand(en, CHART_WIDTH - 300, CHART_WIDTH)).toBe(0);
  });

  it('escapes labels for XML and says when a panel has no data', () => {
    const svg = statsSvg(
      { ...FIXED, sent: FIXED.sent.map((s) => ({ ...s, values: s.values.map(() => 0) })), topics: [], places: [] },
      { labels: AR_LABELS, rtl: true },
    );
    expect(svg).toContain('BBC &lt;عربي&gt; &amp; co');
    expect(svg).not.toContain('<عربي>');
    expect(svg.split(AR_LABELS.empty).length - 1).toBe(3); // sent, topics, places
    expect(xmlEscape(`a"b'c`)).toBe('a&quot;b&apos;c');
  });

  it('rounds axes to four readable steps', () => {
    expect(niceMax(0)).toBe(4);
    expect(niceMax(3)).toBe(4);
    expect(niceMax(25)).toBe(40);
    expect(niceMax(97)).toBe(100);
    expect(niceMax(218)).toBe(400);
    expect(niceMax(7.4)).toBe(8);
  });
});
