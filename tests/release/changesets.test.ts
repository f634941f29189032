import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** The repository's package manifests and changeset config in a scratch git repo, with one core minor pending. */
function scratchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-changesets-'));
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  // Changesets 3 (through @manypkg/tools) recognises an npm workspace by its package-lock.json.
  cpSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
  cpSync(join(root, '.changeset/config.json'), join(dir, '.changeset/config.json'), { recursive: true });
  for (const group of ['packages', 'examples']) {
    for (const folder of readdirSync(join(root, group))) {
      cpSync(join(root, group, folder, 'package.json'), join(dir, group, folder, 'package.json'), { recursive: true });
    }
  }
  cpSync(join(root, 'tests/package.json'), join(dir, 'tests/package.json'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.changeset/core-minor.md'), '---\n"@conecta/core": minor\n---\n\nA core minor alone.\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=ci@conecta.dev', '-c', 'user.name=ci', 'commit', '-qm', 'scratch');
  return dir;
}

describe('independent versions', () => {
  let dir = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a core minor bumps core only to a minor and its dependents only to a patch', () => {
    dir = scratchRepo();
    execFileSync(join(root, 'node_modules/.bin/changeset'), ['version'], { cwd: dir, stdio: 'pipe' });
    type Manifest = { version: string; dependencies?: Record<string, string> };
    const read = (base: string, folder: string) => JSON.parse(readFileSync(join(base, 'packages', folder, 'package.json'), 'utf8')) as Manifest;
    const bump = (version: string, part: 'minor' | 'patch') => {
      const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
      return part === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
    };
    const coreNext = bump(read(root, 'core').version, 'minor');
    expect(read(dir, 'core').version).toBe(coreNext);
    for (const folder of readdirSync(join(dir, 'packages')).filter((name) => name !== 'core')) {
      const manifest = read(dir, folder);
      expect(manifest.version, folder).toBe(bump(read(root, folder).version, 'patch'));
      expect(manifest.dependencies?.['@conecta/core'], folder).toBe(`^${coreNext}`);
    }
  }, 60_000);
});
