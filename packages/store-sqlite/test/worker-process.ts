import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
// better-sqlite3 stays a native dependency of the bundle, found through NODE_PATH.
const nodeModules = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3')), '../..');
const run = promisify(execFile);

/**
 * Bundles a worker fixture (esbuild comes with tsup) so plain `node` runs it in its own process, and returns a
 * function that runs it with arguments and resolves with its stdout.
 */
export async function bundleWorker(fixture: string, outfile: string): Promise<(args: string[]) => Promise<string>> {
  await build({
    entryPoints: [join(here, 'fixtures', fixture)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['better-sqlite3'],
    conditions: ['@conecta/source'],
    logLevel: 'error',
  });
  return async (args) => (await run(process.execPath, [outfile, ...args], { env: { ...process.env, NODE_PATH: nodeModules } })).stdout;
}
