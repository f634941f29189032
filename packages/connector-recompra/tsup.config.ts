import { defineConfig } from 'tsup';

// ky ships ESM only; the CJS build bundles it so require() works on every Node 20.
export default defineConfig([
  { entry: { index: 'src/index.ts', 'fake/index': 'src/fake/index.ts' }, format: ['esm'], target: 'node20', dts: true, sourcemap: true, tsconfig: 'tsconfig.build.json' },
  {
    entry: { index: 'src/index.ts', 'fake/index': 'src/fake/index.ts' },
    format: ['cjs'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    tsconfig: 'tsconfig.build.json',
    noExternal: ['ky'],
  },
]);
