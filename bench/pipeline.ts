/**
 * `npm run bench -- pipeline`: articles per second through the whole pipeline (normalize, places,
 * topics, summary, fingerprint) on one core, for 3–5 KB Arabic articles, and the gazetteer load time.
 * Articles are built from the seed article in ../shared/examples (when present) and the project's
 * own fixtures, with paragraphs shuffled so no two are identical.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FOOTBALL_ITEM, HASAKAH_ITEM, OLD_ITEM } from '../test/fixtures/articles.js';

export default async function pipelineBench(args: string[]) {
  const seconds = Number(args[0] ?? 5);
  const t0 = performance.now();
  const { loadGazetteer } = await import('../src/pipeline/gazetteer.js');
  const gaz = loadGazetteer();
  const loadMs = performance.now() - t0;
  const { analyze } = await import('../src/pipeline/pipeline.js');

  const seedPath = fileURLToPath(new URL('../../shared/examples/seed-article.txt', import.meta.url));
  const paragraphs = [HASAKAH_ITEM.text, FOOTBALL_ITEM.text, OLD_ITEM.text].flatMap((t) => t.split('\n\n'));
  let titles = [HASAKAH_ITEM.title, FOOTBALL_ITEM.title, OLD_ITEM.title];
  if (existsSync(seedPath)) {
    const [title, ...rest] = readFileSync(seedPath, 'utf8').split('\n');
    titles = [title!, ...titles];
    paragraphs.push(...rest.join('\n').split(/\n\s*\n/).filter((p) => p.trim().length > 40));
  }
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const articles = Array.from({ length: 300 }, (_, i) => {
    const target = 3000 + rand() * 2000;
    const parts: string[] = [];
    while (Buffer.byteLength(parts.join('\n\n')) < target) parts.push(paragraphs[Math.floor(rand() * paragraphs.length)]!);
    return { title: `${titles[i % titles.length]} ${i}`, text: parts.join('\n\n'), url: `https://news.example/a/${i}` };
  });
  const bytes = articles.map((a) => Buffer.byteLength(a.title + a.text));

  for (const a of articles.slice(0, 50)) analyze(a, gaz); // warm up
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) analyze(articles[n++ % articles.length]!, gaz);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return {
    articles: n,
    articleBytes: { min: Math.min(...bytes), max: Math.max(...bytes), mean: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length) },
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    articlesPerSecond: Math.round((n / wallMs) * 1000),
    articlesPerCpuSecond: Math.round((n / ((cpu.user + cpu.system) / 1e6))),
    targetPerSecond: 500,
    gazetteer: { places: gaz.size, loadMs: Math.round(loadMs), targetMs: 300 },
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}
