/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.ts, whose default export returns a JSON-able
 * result, and prints it as one JSON document on stdout (progress goes to stderr).
 * With no name, lists the benchmarks.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${names.join('|')}> [args]\n`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<unknown> };
const started = new Date().toISOString();
const result = await mod.default(args);
process.stdout.write(`${JSON.stringify({ bench: name, started, node: process.version, ...(result as object) }, null, 2)}\n`);
process.exit(0);
