import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { translator } from './bot/i18n.js';
import { loadGazetteer } from './pipeline/gazetteer.js';
import { analyze } from './pipeline/pipeline.js';
import { TOPIC_NAMES } from './pipeline/topics.js';
import { renderAlert } from './delivery/render.js';
import { FeedError } from './sources/errors.js';
import { fetchFeed } from './sources/fetch-feed.js';
import { parseFeed } from './sources/parse-feed.js';
import type { TopicId } from './types.js';

const USAGE = `nabaa — Arabic news alerts (نبأ)

Usage:
  nabaa analyze --jsonl          read {"title","text","url"} JSON lines on stdin, write one analysis per line
  nabaa preview <feed url|file> [--json]
                                 parse a feed and print the alerts it would produce
  nabaa eval <folder>            measure the pipeline on the corpora in <folder> (see ../shared/eval)
  nabaa help                     this text

Run in a checkout as: npm run --silent nabaa -- <command>`;

type Out = { write(s: string): unknown };

/** `analyze --jsonl`: one output line per input line; a bad line gives {"error": ...} and goes on. */
export async function analyzeJsonl(input: NodeJS.ReadableStream, out: Out): Promise<number> {
  const gaz = loadGazetteer();
  let n = 0;
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    n++;
    try {
      const item = JSON.parse(line) as { title?: unknown; text?: unknown; url?: unknown };
      const title = typeof item.title === 'string' ? item.title : '';
      const text = typeof item.text === 'string' ? item.text : '';
      const url = typeof item.url === 'string' ? item.url : undefined;
      const a = analyze({ title, text, url }, gaz);
      out.write(`${JSON.stringify({ summary: a.summary, topics: a.topics, places: a.places })}\n`);
    } catch (err) {
      out.write(`${JSON.stringify({ error: `line ${n}: ${err instanceof Error ? err.message : String(err)}` })}\n`);
    }
  }
  return n;
}

/** `preview`: fetch (or read) a feed, run the pipeline on each item, print the alerts. */
export async function preview(target: string, json: boolean, out: Out): Promise<void> {
  let body: string;
  let baseUrl: string;
  if (/^https?:\/\//.test(target)) {
    const res = await fetchFeed(target, { trusted: true });
    if (res.status !== 'ok') throw new FeedError('not_feed', 'the server sent no content');
    body = res.body;
    baseUrl = res.url;
  } else {
    body = readFileSync(target, 'utf8');
    baseUrl = pathToFileURL(target).href;
  }
  const feed = parseFeed(body, { sourceId: 'preview', baseUrl });
  const gaz = loadGazetteer();
  const sourceName = feed.title ?? target;
  const t = translator('ar');
  for (const item of feed.items) {
    const a = analyze({ title: item.title, text: item.text, url: item.url, categories: item.categories }, gaz);
    if (json) {
      out.write(`${JSON.stringify({ title: item.title, url: item.url, publishedAt: item.publishedAt, summary: a.summary, topics: a.topics, places: a.places })}\n`);
    } else {
      const html = renderAlert(
        { article: { ...a, title: item.title, url: item.url, sourceName }, locale: 'ar', topicName: (id) => TOPIC_NAMES[id as TopicId]?.ar ?? id },
        t,
      );
      out.write(`${html}\n${'─'.repeat(40)}\n`);
    }
  }
  if (!json) out.write(`${feed.items.length} items\n`);
}

export async function runCli(argv: string[]): Promise<number> {
  // `nabaa preview ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'analyze':
      if (!rest.includes('--jsonl')) {
        process.stderr.write('analyze reads JSON lines: nabaa analyze --jsonl < articles.jsonl\n');
        return 2;
      }
      await analyzeJsonl(process.stdin, process.stdout);
      return 0;
    case 'preview': {
      const target = rest.find((a) => !a.startsWith('--'));
      if (!target) {
        process.stderr.write('preview needs a feed URL or file: nabaa preview <url|file> [--json]\n');
        return 2;
      }
      try {
        await preview(target, rest.includes('--json'), process.stdout);
        return 0;
      } catch (err) {
        const name = err instanceof FeedError ? err.code : 'error';
        process.stderr.write(`preview failed (${name}): ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
    }
    case 'eval': {
      const folder = rest.find((a) => !a.startsWith('--'));
      if (!folder) {
        process.stderr.write('eval needs the corpora folder: npm run eval -- ../shared/eval\n');
        return 2;
      }
      const { missingCorpora, runEval } = await import('./eval/run.js');
      const missing = missingCorpora(folder);
      if (missing.length) {
        process.stderr.write(`eval: ${folder} has no ${missing.join(', ')}; give the folder laid out as ../shared/eval (see its README)\n`);
        return 2;
      }
      return runEval(folder, process.stdout);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command: ${cmd}\n\n${USAGE}\n`);
      return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
