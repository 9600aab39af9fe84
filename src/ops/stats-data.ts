import { type Lane, LANES } from '../types.js';
import { type HourBucket, type TimeSeries, HOUR_MS, lastHours } from './timeseries.js';
import type { Series, StatsChartData } from './chart.js';

/** Counter names in the hourly buckets (see timeseries.ts). */
export const sentKey = (lane: Lane) => `sent:${lane}`;
export const freshKey = (sourceId: string) => `fresh:${sourceId}`;

export const STATS_HOURS = 48;
/** Sources drawn one by one; the rest are summed as one series. */
export const TOP_SOURCES = 6;
export const TOP_PLACES = 10;

/** The p-th quantile (0..1) of weighted samples (each hour's reservoir stands for its `n` sends). */
export function weightedPercentile(samples: Array<{ v: number; w: number }>, p: number): number | undefined {
  const s = samples.filter((x) => x.w > 0).sort((a, b) => a.v - b.v);
  if (s.length === 0) return undefined;
  const total = s.reduce((a, x) => a + x.w, 0);
  let acc = 0;
  for (const x of s) {
    acc += x.w;
    if (acc >= p * total - 1e-9) return x.v;
  }
  return s[s.length - 1]!.v;
}

const hourPercentile = (b: HourBucket, p: number) =>
  b.lat && b.lat.s.length ? weightedPercentile(b.lat.s.map((v) => ({ v, w: 1 })), p) : undefined;

export interface StatsInput {
  timeseries: TimeSeries;
  now: number;
  sources: Array<{ id: string; name: string }>;
  topics: Array<{ label: string; value: number }>;
  places: Array<{ label: string; value: number }>;
  laneLabel: (lane: Lane) => string;
  otherLabel: string;
  hours?: number;
}

/** What /stats draws and says: the chart's data and the totals for the text version. */
export interface StatsData {
  chart: StatsChartData;
  totals: {
    sent: Record<Lane, number>;
    articles: number;
    /** Top sources by new articles over the range, with their counts. */
    topSources: Array<{ label: string; value: number }>;
    p50?: number;
    p95?: number;
  };
}

/** Read the last `hours` hourly buckets and shape them for the chart and the text summary. */
export async function collectStats(input: StatsInput): Promise<StatsData> {
  const n = input.hours ?? STATS_HOURS;
  const keys = lastHours(input.now, n);
  const buckets = await input.timeseries.buckets(keys);
  const end = Math.floor(input.now / HOUR_MS) * HOUR_MS;
  const hours = keys.map((_, i) => end - (n - 1 - i) * HOUR_MS);

  // Lanes in the order a reader cares about: alerts first.
  const laneOrder: Lane[] = ['alert', 'digest', ...LANES.filter((l) => l !== 'alert' && l !== 'digest')];
  const sent: Series[] = laneOrder.map((lane) => ({
    key: lane,
    label: input.laneLabel(lane),
    values: buckets.map((b) => b.counts[sentKey(lane)] ?? 0),
  }));

  // Every source that counted anything in range, named when we still know it.
  const names = new Map(input.sources.map((s) => [s.id, s.name]));
  const perSource = new Map<string, number[]>();
  buckets.forEach((b, i) => {
    for (const [k, v] of Object.entries(b.counts)) {
      if (!k.startsWith('fresh:')) continue;
      const id = k.slice('fresh:'.length);
      let arr = perSource.get(id);
      if (!arr) perSource.set(id, (arr = new Array<number>(n).fill(0)));
      arr[i]! += v;
    }
  });
  const ranked = [...perSource].map(([id, values]) => ({ id, values, total: values.reduce((a, b) => a + b, 0) }));
  ranked.sort((a, b) => b.total - a.total || a.id.localeCompare(b.id));
  const top = ranked.slice(0, TOP_SOURCES);
  const rest = ranked.slice(TOP_SOURCES);
  const articles: Series[] = top.map((r) => ({ key: r.id, label: names.get(r.id) ?? r.id, values: r.values }));
  if (rest.length) {
    articles.push({
      key: 'other',
      label: input.otherLabel,
      values: hours.map((_, i) => rest.reduce((a, r) => a + r.values[i]!, 0)),
    });
  }

  const weighted = buckets.flatMap((b) => (b.lat && b.lat.s.length ? b.lat.s.map((v) => ({ v, w: b.lat!.n / b.lat!.s.length })) : []));
  const p50 = weightedPercentile(weighted, 0.5);
  const p95 = weightedPercentile(weighted, 0.95);

  const chart: StatsChartData = {
    hours,
    sent,
    articles,
    latency: {
      p50: buckets.map((b) => hourPercentile(b, 0.5)),
      p95: buckets.map((b) => hourPercentile(b, 0.95)),
      overall: { ...(p50 === undefined ? {} : { p50 }), ...(p95 === undefined ? {} : { p95 }) },
    },
    topics: input.topics,
    places: input.places.slice(0, TOP_PLACES),
  };
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    chart,
    totals: {
      sent: Object.fromEntries(sent.map((s) => [s.key, sum(s.values)])) as Record<Lane, number>,
      articles: sum(ranked.map((r) => r.total)),
      topSources: ranked.slice(0, 5).map((r) => ({ label: names.get(r.id) ?? r.id, value: r.total })),
      ...(p50 === undefined ? {} : { p50 }),
      ...(p95 === undefined ? {} : { p95 }),
    },
  };
}
