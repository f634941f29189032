#!/usr/bin/env node
// The `conecta` command. Installed from npm it runs the build (dist); inside the repository, where the sources are,
// it runs them directly (tsx, with the workspace's @conecta/source export condition), so it works without a build.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  register('./source-conditions.mjs', import.meta.url);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(source.href);
} else {
  await import(new URL('../dist/main.js', import.meta.url).href);
}
