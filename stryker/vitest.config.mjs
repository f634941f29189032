import { configDefaults, defineConfig } from 'vitest/config';
import { SCOPES } from './scopes.mjs';

// One flat project for the scope's tests (no workspace projects): Stryker runs it in its sandbox. Sources resolve
// through the `@conecta/source` condition, as each package's own config does.
const scope = SCOPES[process.env.CONECTA_MUTATION_SCOPE ?? 'allocator'];

export default defineConfig({
  resolve: { conditions: ['@conecta/source'] },
  ssr: { resolve: { conditions: ['@conecta/source'] } },
  test: {
    include: scope.tests,
    exclude: [...configDefaults.exclude, '**/dist/**', '**/*.property.test.ts'],
    testTimeout: 60_000,
  },
});
