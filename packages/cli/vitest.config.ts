import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@conecta/source'] },
  ssr: { resolve: { conditions: ['@conecta/source'] } },
  test: { name: 'cli', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
