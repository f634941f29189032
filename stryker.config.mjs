// StrykerJS, run by `npm run mutation -- <scope> [stryker options]` (scripts/mutation.mjs); scopes in stryker/scopes.mjs.
import { SCOPES } from './stryker/scopes.mjs';

const name = process.env.CONECTA_MUTATION_SCOPE ?? 'allocator';
const scope = SCOPES[name];
if (!scope) throw new Error(`unknown mutation scope "${name}"; one of: ${Object.keys(SCOPES).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker/vitest.config.mjs', related: false },
  mutate: scope.mutate,
  coverageAnalysis: 'perTest',
  // Two shared cores: one test process keeps the machine usable for everyone else.
  concurrency: 1,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  // `--incremental` reuses the results of the scope's last run for mutants whose code and covering tests are unchanged;
  // one file per scope so scopes run side by side do not overwrite each other's.
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  // One directory per scope, so two scopes can run side by side without one cleaning the other's sandbox.
  tempDirName: `.stryker-tmp/${name}`,
  ignorePatterns: ['.stryker-tmp', 'reports', 'coverage', 'dist', '.data', 'bench/results'],
  cleanTempDir: 'always',
};
