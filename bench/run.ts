// `npm run bench`: runs every benchmark suite, prints a table, writes bench/results.json.
// Each suite lives in its own file and returns records; a suite can be run alone by name:
// `npm run bench -- engine` (writes bench/results.local.json), or `npm run bench -- engine --merge`
// to replace that suite's records in bench/results.json and keep the others.
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchRecord } from './record';

type Suite = () => Promise<BenchRecord[]>;

const suites: Record<string, () => Promise<Suite>> = {
  analysis: async () => (await import('./analysis')).run,
  engine: async () => (await import('./engine')).run,
  editor: async () => (await import('./editor')).run,
  lab: async () => (await import('./lab')).run,
  project: async () => (await import('./project')).run,
  latency: async () => (await import('./latency')).run,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const records: BenchRecord[] = [];
for (const [name, load] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  let suite: Suite;
  try {
    suite = await load();
  } catch (error) {
    console.error(`bench suite ${name} could not be loaded: ${(error as Error).message}`);
    continue;
  }
  console.error(`running ${name} …`);
  records.push(...(await suite()));
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
console.log('| name | unit | ours | peer | peer value | ratio |');
console.log('|---|---|---|---|---|---|');
for (const r of records) console.log(`| ${r.name} | ${r.unit} | ${fmt(r.ours)} | ${r.peer} | ${fmt(r.peer_value)} | ${fmt(r.ratio)}× |`);

const merge = process.argv.includes('--merge');
const path = wanted.length && !merge ? 'bench/results.local.json' : 'bench/results.json';
let written = records;
if (wanted.length && merge) {
  const fresh = new Map(records.map((r) => [r.name, r]));
  const kept = (JSON.parse(readFileSync(path, 'utf8')) as BenchRecord[]).map((r) => fresh.get(r.name) ?? r);
  written = [...kept, ...records.filter((r) => !kept.includes(r))];
}
writeFileSync(path, JSON.stringify(written, null, 2) + '\n');
console.error(`wrote ${path}`);
