// Imports every built package from an ES module and require()s it from a CommonJS file, as a user's project would
// (the packages are ES modules only; Node.js >= 22.12 loads them through require()). Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const packagesDir = join(root, 'packages');
// Subpaths that need a test runner (vitest) are only resolved, not loaded.
const resolveOnly = new Set(['./testing']);
// Inside the repository, so both resolvers find the workspace's node_modules as a user's project would.
const work = join(root, 'tests/smoke/.tmp');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
let failures = 0;
let checks = 0;

for (const folder of readdirSync(packagesDir)) {
  const manifest = JSON.parse(readFileSync(join(packagesDir, folder, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  for (const subpath of Object.keys(manifest.exports ?? {})) {
    if (subpath === './package.json') continue;
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const loadable = !resolveOnly.has(subpath);
    const esm = join(work, `check-${checks}.mjs`);
    const cjs = join(work, `check-${checks}.cjs`);
    writeFileSync(
      esm,
      loadable
        ? `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`
        : `import.meta.resolve(${JSON.stringify(specifier)});`,
    );
    writeFileSync(
      cjs,
      loadable
        ? `const m = require(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`
        : `require.resolve(${JSON.stringify(specifier)});`,
    );
    for (const file of [esm, cjs]) {
      checks += 1;
      try {
        execFileSync(process.execPath, [file], { cwd: root, stdio: 'pipe' });
        console.log(`ok   ${specifier} (${file.endsWith('.cjs') ? 'cjs' : 'esm'})`);
      } catch (error) {
        failures += 1;
        console.log(`FAIL ${specifier} (${file.endsWith('.cjs') ? 'cjs' : 'esm'}): ${String(error.stderr ?? error).split('\n').slice(0, 6).join('\n')}`);
      }
    }
  }
}
console.log(`smoke: ${checks - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
