import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@conecta/source'] },
  ssr: { resolve: { conditions: ['@conecta/source'] } },
  test: { name: 'tests', include: ['**/*.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 30_000 },
});
