import { defineConfig } from 'tsup';

/**
 * The build every published package uses: ES modules only, for Node 22.12 and later (where `require()` loads ES
 * modules, so CommonJS users get the same single instance instead of a second copy), with types and source maps,
 * from the package's `tsconfig.build.json`. `entry` maps each output path (`index`, `fake/index`, ...) to its source.
 */
export function packageBuild(entry: Record<string, string>) {
  return defineConfig({ entry, format: ['esm'], target: 'node22', dts: true, sourcemap: true, tsconfig: 'tsconfig.build.json' });
}
