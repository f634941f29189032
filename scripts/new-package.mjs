// Scaffolds a workspace package with the repository's conventions: node scripts/new-package.mjs <folder> <npm-name> "<description>"
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [folder, name, description = ''] = process.argv.slice(2);
if (!folder || !name) {
  console.error('usage: node scripts/new-package.mjs <folder> <npm-name> "<description>"');
  process.exit(1);
}
// The folder may be given as `cli` or `packages/cli`: both land in packages/cli.
const dir = join('packages', folder.replace(/^packages\//, ''));
mkdirSync(join(dir, 'src'), { recursive: true });
// ES modules only: on Node >= 22.12 `require()` loads them, so CommonJS users share the one instance.
const entry = (base) => ({
  '@conecta/source': `./src/${base}.ts`,
  types: `./dist/${base}.d.ts`,
  default: `./dist/${base}.js`,
});
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=22.12' },
  exports: { '.': entry('index'), './package.json': './package.json' },
  types: './dist/index.d.ts',
  files: ['dist', 'README.md', 'CHANGELOG.md'],
  scripts: {
    build: 'rm -rf dist && tsup',
    typecheck: 'tsc --noEmit -p tsconfig.json',
    'lint:pkg': 'publint --strict && attw --pack . --profile esm-only',
  },
  dependencies: { '@conecta/core': '^0.1.0' },
  peerDependencies: { zod: '^4.1.0' },
  publishConfig: { access: 'public' },
};
const write = (file, text) => {
  if (!existsSync(join(dir, file))) writeFileSync(join(dir, file), text);
};
write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
write('tsconfig.json', `${JSON.stringify({ extends: '../../tsconfig.json', include: ['src', 'test', '*.ts'] }, null, 2)}\n`);
write('tsconfig.build.json', `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'], exclude: ['src/**/*.test.ts'] }, null, 2)}\n`);
write('tsup.config.ts', `import { packageBuild } from '../../tsup.package.js';\n\nexport default packageBuild({ index: 'src/index.ts' });\n`);
write(
  'vitest.config.ts',
  `import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@conecta/source'] },
  ssr: { resolve: { conditions: ['@conecta/source'] } },
  test: { name: '${dir.slice('packages/'.length).replace(/[^a-z0-9-]/gi, '')}', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
`,
);
console.log(`scaffolded ${dir} (${name})`);
