// Runs a TypeScript benchmark on Node 20, which cannot strip types: bundles the entry with esbuild (workspace
// @conecta/* packages from source via the `@conecta/source` condition, every other package left external) and
// imports the bundle. Usage: node bench/run-ts.mjs bench/allocator.ts [args...]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node bench/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}

// Inside node_modules so the bundle's external imports resolve against the repository's own packages.
const outDir = join(root, 'node_modules', '.cache', 'conecta-bench');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry).replace(/\.[cm]?ts$/, '')}.mjs`);

const externalExceptWorkspace = {
  name: 'external-except-workspace',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@conecta/') ? undefined : { path: args.path, external: true }));
  },
};

await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@conecta/source'],
  plugins: [externalExceptWorkspace],
  sourcemap: 'inline',
  logLevel: 'warning',
});

process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
