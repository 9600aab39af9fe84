import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';

/**
 * The /stats picture: an SVG built here and rasterized in-process by resvg (Rust, shipped as a
 * prebuilt npm binary) with IBM Plex Sans Arabic loaded by path from node_modules. No system fonts,
 * no browser, no network: the SVG references nothing outside itself. resvg shapes Arabic with
 * HarfBuzz (rustybuzz) and applies the bidi algorithm, so labels come out joined and right to left.
 *
 * Five panels: alerts sent per hour by lane, new articles per hour by source, delivery latency
 * (p50/p95 per hour), followers per topic, the ten most followed places. Time runs left to right in
 * both languages (as on a clock axis); in Arabic, titles, legends and bar labels sit on the right.
 */

export interface Series {
  key: string;
  label: string;
  values: number[];
}

export interface StatsChartData {
  /** Start (ms, UTC) of each hour, oldest first. */
  hours: number[];
  /** Alerts sent per hour, one series per lane. */
  sent: Series[];
  /** New articles per hour, one series per source (the rest folded into one). */
  articles: Series[];
  /** Delivery latency per hour in ms (undefined: no sends that hour), and over the whole range. */
  latency: { p50: Array<number | undefined>; p95: Array<number | undefined>; overall: { p50?: number; p95?: number } };
  topics: Array<{ label: string; value: number }>;
  places: Array<{ label: string; value: number }>;
}

export interface ChartLabels {
  title: string;
  subtitle: string;
  sent: string;
  articles: string;
  latency: string;
  topics: string;
  places: string;
  empty: string;
  p50: string;
  p95: string;
  seconds: string;
}

export interface RenderOptions {
  labels: ChartLabels;
  rtl: boolean;
  /** A left-to-right stamp (e.g. `2026-11-29 08:30 UTC`) drawn apart from the subtitle, so bidi cannot reorder it. */
  stamp?: string;
}

export interface RenderedChart {
  png: Buffer;
  svg: string;
  width: number;
  height: number;
}

/** Named error for a chart that could not be drawn (bad data or the native renderer failing). */
export class ChartRenderError extends Error {
  override name = 'ChartRenderError';
}

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 1380;
const FONT_FAMILY = 'IBM Plex Sans Arabic';
const PAD = 24;

const require = createRequire(import.meta.url);
/** The font files (TTF from an npm package; resvg cannot read woff2). */
export const FONT_FILES = [
  require.resolve('@expo-google-fonts/ibm-plex-sans-arabic/400Regular/IBMPlexSansArabic_400Regular.ttf'),
  require.resolve('@expo-google-fonts/ibm-plex-sans-arabic/700Bold/IBMPlexSansArabic_700Bold.ttf'),
];

export const LANE_COLORS: Record<string, string> = { alert: '#d9480f', digest: '#1c7ed6', broadcast: '#2f9e44' };
const PALETTE = ['#1c7ed6', '#d9480f', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e64980', '#868e96'];

/** Text for an SVG text node or attribute. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A round upper bound for an axis of four steps, each step 1, 2, 2.5 or 5 × 10^k. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 4;
  const raw = max / 4;
  const exp = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= raw) return 4 * m * exp;
  return 40 * exp;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0));
export const seconds = (ms: number) => fmt(Math.round(ms / 100) / 10);

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

class Svg {
  parts: string[] = [];
  constructor(readonly rtl: boolean) {}
  add(s: string) {
    this.parts.push(s);
  }
  rect(x: number, y: number, w: number, h: number, fill: string, extra = '') {
    this.add(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${fill}"${extra}/>`);
  }
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1, extra = '') {
    this.add(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-width="${width}"${extra}/>`);
  }
  /** `anchor` is the physical side: 'left' puts the text's left edge at x, 'right' its right edge. */
  text(x: number, y: number, s: string, o: { size?: number; anchor?: 'left' | 'right' | 'middle'; bold?: boolean; fill?: string; rtl?: boolean } = {}) {
    const rtl = o.rtl ?? this.rtl;
    const anchor = o.anchor ?? 'left';
    // resvg anchors physically whatever the direction: "start" is the left edge, "end" the right.
    const ta = anchor === 'middle' ? 'middle' : anchor === 'right' ? 'end' : 'start';
    this.add(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${o.size ?? 14}" text-anchor="${ta}" direction="${rtl ? 'rtl' : 'ltr'}"` +
        `${o.bold ? ' font-weight="700"' : ''} fill="${o.fill ?? '#212529'}">${xmlEscape(s)}</text>`,
    );
  }
  toString(w: number, h: number) {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${FONT_FAMILY}">` +
      `<rect width="${w}" height="${h}" fill="#ffffff"/>${this.parts.join('')}</svg>`
    );
  }
}

/** Title on the reading side of the panel; returns the plot area below it. */
function panel(svg: Svg, box: Box, title: string): Box {
  svg.rect(box.x, box.y, box.w, box.h, '#f8f9fa', ' rx="8"');
  svg.text(svg.rtl ? box.x + box.w - 14 : box.x + 14, box.y + 28, title, { size: 18, bold: true, anchor: svg.rtl ? 'right' : 'left' });
  return { x: box.x + 56, y: box.y + 64, w: box.w - 56 - 20, h: box.h - 64 - 40 };
}

function legend(svg: Svg, box: Box, items: Array<{ label: string; color: string }>): void {
  // One row under the title, laid out from the reading side.
  let cursor = svg.rtl ? box.x + box.w - 14 : box.x + 14;
  const y = box.y + 50;
  for (const it of items) {
    const width = 26 + Math.min(180, it.label.length * 7.5);
    if (svg.rtl) {
      svg.rect(cursor - 12, y - 10, 12, 12, it.color, ' rx="2"');
      svg.text(cursor - 18, y, it.label, { size: 13, anchor: 'right' });
      cursor -= width;
    } else {
      svg.rect(cursor, y - 10, 12, 12, it.color, ' rx="2"');
      svg.text(cursor + 18, y, it.label, { size: 13, anchor: 'left' });
      cursor += width;
    }
  }
}

function timeAxis(svg: Svg, plot: Box, hours: number[], max: number, unit = ''): { x: (i: number) => number; y: (v: number) => number; step: number } {
  const step = plot.w / Math.max(1, hours.length);
  const y = (v: number) => plot.y + plot.h - (v / max) * plot.h;
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    svg.line(plot.x, y(v), plot.x + plot.w, y(v), '#dee2e6');
    svg.text(plot.x - 6, y(v) + 4, `${fmt(v)}${unit}`, { size: 11, anchor: 'right', rtl: false, fill: '#495057' });
  }
  hours.forEach((h, i) => {
    const d = new Date(h);
    if (d.getUTCHours() % 6 !== 0) return;
    const x = plot.x + i * step;
    svg.line(x, plot.y + plot.h, x, plot.y + plot.h + 4, '#868e96');
    const label = d.getUTCHours() === 0 ? `${d.toISOString().slice(5, 10)}` : `${String(d.getUTCHours()).padStart(2, '0')}:00`;
    svg.text(x, plot.y + plot.h + 18, label, { size: 11, anchor: 'middle', rtl: false, fill: '#495057' });
  });
  svg.line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, '#868e96');
  return { x: (i) => plot.x + i * step, y, step };
}

function stackedBars(svg: Svg, box: Box, title: string, hours: number[], series: Series[], colors: string[], empty: string): void {
  const plot = panel(svg, box, title);
  // A directional mark after the label keeps the count on the reading side of a label in the other script.
  const mark = svg.rtl ? '\u200f' : '\u200e';
  legend(svg, box, series.map((s, i) => ({ label: `${s.label}${mark} (${s.values.reduce((a, b) => a + b, 0)})`, color: colors[i]! })));
  const totals = hours.map((_, i) => series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const ax = timeAxis(svg, plot, hours, max);
  hours.forEach((_, i) => {
    let base = 0;
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      const top = ax.y(base + v);
      svg.rect(ax.x(i) + 1, top, Math.max(1, ax.step - 2), ax.y(base) - top, colors[k]!);
      base += v;
    });
  });
  if (totals.every((t) => t === 0)) svg.text(plot.x + plot.w / 2, plot.y + plot.h / 2, empty, { size: 15, anchor: 'middle', fill: '#868e96' });
}

function latencyLines(svg: Svg, box: Box, data: StatsChartData, o: RenderOptions): void {
  const { p50, p95, overall } = data.latency;
  const l = o.labels;
  const title =
    overall.p50 === undefined
      ? l.latency
      : `${l.latency} — ${l.p50} ${seconds(overall.p50)} ${l.seconds} · ${l.p95} ${seconds(overall.p95 ?? overall.p50)} ${l.seconds}`;
  const plot = panel(svg, box, title);
  legend(svg, box, [
    { label: l.p50, color: '#1c7ed6' },
    { label: l.p95, color: '#d9480f' },
  ]);
  const vals = [...p50, ...p95].filter((v): v is number => v !== undefined).map((v) => v / 1000);
  const max = niceMax(Math.max(0, ...vals));
  const ax = timeAxis(svg, plot, data.hours, max, 's');
  const path = (arr: Array<number | undefined>, color: string) => {
    let d = '';
    let pen = false;
    arr.forEach((v, i) => {
      if (v === undefined) return void (pen = false);
      const x = ax.x(i) + ax.step / 2;
      d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${ax.y(v / 1000).toFixed(1)} `;
      svg.add(`<circle cx="${x.toFixed(1)}" cy="${ax.y(v / 1000).toFixed(1)}" r="2.5" fill="${color}"/>`);
      pen = true;
    });
    if (d) svg.add(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"/>`);
  };
  path(p95, '#d9480f');
  path(p50, '#1c7ed6');
  if (vals.length === 0) svg.text(plot.x + plot.w / 2, plot.y + plot.h / 2, l.empty, { size: 15, anchor: 'middle', fill: '#868e96' });
}

function hBars(svg: Svg, box: Box, title: string, items: Array<{ label: string; value: number }>, color: string, empty: string): void {
  svg.rect(box.x, box.y, box.w, box.h, '#f8f9fa', ' rx="8"');
  svg.text(svg.rtl ? box.x + box.w - 14 : box.x + 14, box.y + 28, title, { size: 18, bold: true, anchor: svg.rtl ? 'right' : 'left' });
  const rows = items.slice(0, 12);
  if (rows.length === 0) return svg.text(box.x + box.w / 2, box.y + box.h / 2, empty, { size: 15, anchor: 'middle', fill: '#868e96' });
  const labelW = 170;
  const top = box.y + 48;
  const rowH = Math.min(30, (box.h - 60) / rows.length);
  const barMax = box.w - labelW - 80;
  const max = Math.max(1, ...rows.map((r) => r.value));
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = (r.value / max) * barMax;
    const label = r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label;
    if (svg.rtl) {
      const right = box.x + box.w - 14;
      svg.text(right, y + rowH * 0.65, label, { size: 14, anchor: 'right' });
      svg.rect(right - labelW - w, y + rowH * 0.2, w, rowH * 0.6, color, ' rx="3"');
      svg.text(right - labelW - w - 6, y + rowH * 0.65, String(r.value), { size: 13, anchor: 'right', rtl: false, fill: '#495057' });
    } else {
      const left = box.x + 14;
      svg.text(left, y + rowH * 0.65, label, { size: 14, anchor: 'left' });
      svg.rect(left + labelW, y + rowH * 0.2, w, rowH * 0.6, color, ' rx="3"');
      svg.text(left + labelW + w + 6, y + rowH * 0.65, String(r.value), { size: 13, anchor: 'left', rtl: false, fill: '#495057' });
    }
  });
}

/** The SVG for the data (exported for tests: it must reference nothing outside itself). */
export function statsSvg(data: StatsChartData, o: RenderOptions): string {
  const svg = new Svg(o.rtl);
  const W = CHART_WIDTH;
  const half = (W - 3 * PAD) / 2;
  const col = (k: 0 | 1) => (o.rtl ? (k === 0 ? PAD * 2 + half : PAD) : k === 0 ? PAD : PAD * 2 + half);
  svg.text(o.rtl ? W - PAD : PAD, 42, o.labels.title, { size: 26, bold: true, anchor: o.rtl ? 'right' : 'left' });
  svg.text(o.rtl ? W - PAD : PAD, 70, o.labels.subtitle, { size: 14, anchor: o.rtl ? 'right' : 'left', fill: '#495057' });
  if (o.stamp) svg.text(o.rtl ? PAD : W - PAD, 70, o.stamp, { size: 14, anchor: o.rtl ? 'left' : 'right', rtl: false, fill: '#495057' });
  const row1 = 90;
  const h1 = 400;
  stackedBars(svg, { x: col(0), y: row1, w: half, h: h1 }, o.labels.sent, data.hours, data.sent, data.sent.map((s) => LANE_COLORS[s.key] ?? '#868e96'), o.labels.empty);
  stackedBars(svg, { x: col(1), y: row1, w: half, h: h1 }, o.labels.articles, data.hours, data.articles, data.articles.map((_, i) => PALETTE[i % PALETTE.length]!), o.labels.empty);
  const row2 = row1 + h1 + PAD;
  const h2 = 380;
  latencyLines(svg, { x: PAD, y: row2, w: W - 2 * PAD, h: h2 }, data, o);
  const row3 = row2 + h2 + PAD;
  const h3 = CHART_HEIGHT - row3 - PAD;
  hBars(svg, { x: col(0), y: row3, w: half, h: h3 }, o.labels.topics, data.topics, '#5c7cfa', o.labels.empty);
  hBars(svg, { x: col(1), y: row3, w: half, h: h3 }, o.labels.places, data.places.slice(0, 10), '#20c997', o.labels.empty);
  return svg.toString(W, CHART_HEIGHT);
}

/** Rasterize an SVG with the bundled fonts only (no system fonts). Rejects with ChartRenderError. */
export async function rasterize(svg: string): Promise<RenderedChart & { pixels: Buffer }> {
  try {
    const img = await renderAsync(svg, {
      font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
      fitTo: { mode: 'original' },
    });
    return { png: img.asPng(), pixels: img.pixels, svg, width: img.width, height: img.height };
  } catch (err) {
    throw new ChartRenderError(`could not render the stats chart: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Render the stats picture to PNG (off the main thread, in libuv's pool). Rejects with ChartRenderError. */
export async function renderStatsChart(data: StatsChartData, o: RenderOptions): Promise<RenderedChart> {
  const { png, svg, width, height } = await rasterize(statsSvg(data, o));
  return { png, svg, width, height };
}
