import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tests', 'examples/*'],
    exclude: [...configDefaults.exclude, '**/dist/**'],
  },
});
