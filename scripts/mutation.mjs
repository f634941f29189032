#!/usr/bin/env node
// npm run mutation -- <scope> [more stryker options, e.g. --mutate <glob>]
// Runs StrykerJS on one named scope (stryker/scopes.mjs): `allocator`, `pipeline`, `maino`, `<connector>`,
// `<connector>-contract` (only its contract suite judges) or `<connector>-mapping-contract`. Without a scope, lists them.
import { spawnSync } from 'node:child_process';
import { SCOPES } from '../stryker/scopes.mjs';

const [scope, ...rest] = process.argv.slice(2);
if (!scope || scope.startsWith('-') || !SCOPES[scope]) {
  console.error(`usage: npm run mutation -- <scope> [stryker options]\nscopes: ${Object.keys(SCOPES).join(', ')}`);
  process.exit(scope ? 1 : 0);
}
const result = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...rest], {
  stdio: 'inherit',
  env: { ...process.env, CONECTA_MUTATION_SCOPE: scope },
});
process.exit(result.status ?? 1);
