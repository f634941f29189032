// `npm run bench`: runs every benchmark in turn through run-ts.mjs (each in its own process) and prints its figures.
// Extra arguments go to every benchmark, e.g. `npm run bench -- --full`. One benchmark: `npm run bench -- --only=pipeline`.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const BENCHES = ['allocator', 'http-transport', 'backfill', 'rate-limit', 'pipeline', 'drain', 'contention'];
const args = process.argv.slice(2);
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const passed = args.filter((arg) => !arg.startsWith('--only='));
const full = passed.includes('--full');

/** Arguments each benchmark understands for its full size. */
const FULL = { allocator: ['--ms=500'], 'http-transport': [], backfill: [], 'rate-limit': [], pipeline: [], drain: [], contention: ['--full'] };

console.log(`conecta bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${new Date().toISOString()}`);
let failed = 0;
for (const name of BENCHES) {
  if (only && !only.includes(name)) continue;
  const benchArgs = [...passed.filter((arg) => arg !== '--full'), ...(full ? FULL[name] : [])];
  console.log(`\n=== ${name} (node bench/run-ts.mjs bench/${name}.ts${benchArgs.length ? ` ${benchArgs.join(' ')}` : ''}) ===`);
  const start = Date.now();
  const result = spawnSync(process.execPath, [`${root}bench/run-ts.mjs`, `${root}bench/${name}.ts`, ...benchArgs], { stdio: 'inherit', cwd: root });
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed += 1;
    console.log(`=== ${name} FAILED (exit ${result.status ?? result.signal}) after ${seconds} s ===`);
  } else {
    console.log(`=== ${name}: ${seconds} s ===`);
  }
}
process.exitCode = failed ? 1 : 0;
