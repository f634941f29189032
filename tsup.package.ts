import { defineConfig } from 'tsup';

/**
 * The build every published package uses: ESM and CommonJS for Node 20, with types and source maps, from the
 * package's `tsconfig.build.json`. `entry` maps each output path (`index`, `fake/index`, ...) to its source.
 */
export function packageBuild(entry: Record<string, string>) {
  return defineConfig({ entry, format: ['esm', 'cjs'], target: 'node20', dts: true, sourcemap: true, tsconfig: 'tsconfig.build.json' });
}
