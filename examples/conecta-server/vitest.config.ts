import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@conecta/source'] },
  ssr: { resolve: { conditions: ['@conecta/source'] } },
  test: { name: 'example-server', include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
