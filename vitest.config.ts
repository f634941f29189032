import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tests'],
    exclude: [...configDefaults.exclude, '**/dist/**'],
  },
});
