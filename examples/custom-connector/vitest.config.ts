import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@conecta/source'] },
  ssr: { resolve: { conditions: ['@conecta/source'] } },
  test: { name: 'example-custom-connector', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
