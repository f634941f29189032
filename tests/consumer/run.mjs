// Consumer test: the packages as a user gets them. Builds and packs every published package (`npm pack`), installs
// the tarballs into a scratch project outside the workspace (their own dependencies come from the registry), then on
// each supported Node.js line imports them from ESM and require()s them from CommonJS, checking that every entry
// point loads, that there is one @conecta/core, that redaction and `instanceof` hold across entry points and module
// systems (check.mjs, check.cjs), and that each installed command (`conecta`) answers --help.
//
//   node tests/consumer/run.mjs [--no-build] [--keep]
//
// Node.js versions come through ./nodew (NODEW_NODE): the oldest the packages' engines allow, the newest 22, the
// pinned 24 and the newest 26; CONSUMER_NODES=22,26 picks others. --no-build packs what `npm run build` left in dist.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const args = new Set(process.argv.slice(2));
const started = Date.now();
const log = (line) => console.log(`consumer: ${line} (${Math.round((Date.now() - started) / 1000)} s)`);
const run = (command, commandArgs, options = {}) => execFileSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

const packages = readdirSync(join(root, 'packages'))
  .map((folder) => ({ dir: join(root, 'packages', folder), manifest: JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);
const core = packages.find(({ manifest }) => manifest.name === '@conecta/core');
const oldest = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(core.manifest.engines?.node ?? '')?.[1];
if (!oldest) throw new Error(`@conecta/core's engines.node should read ">=X.Y": ${core.manifest.engines?.node}`);
const pinned = readFileSync(join(root, '.node-version'), 'utf8').trim();
const nodes = process.env.CONSUMER_NODES?.split(',').map((v) => v.trim()).filter(Boolean) ?? [
  oldest.split('.').length === 2 ? `${oldest}.0` : oldest,
  '22',
  pinned,
  '26',
];

if (!args.has('--no-build')) {
  log('building every package');
  run('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const scratch = mkdtempSync(join(tmpdir(), 'conecta-consumer-'));
let failures = 0;
try {
  // Pack.
  const tarballs = join(scratch, 'tarballs');
  mkdirSync(tarballs);
  const dependencies = {};
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs, ...packages.flatMap(({ manifest }) => ['-w', manifest.name])], { cwd: root }));
  for (const { name, filename } of packed) dependencies[name] = `file:${join(tarballs, filename)}`;
  log(`packed ${packages.length} packages`);

  // Install, as a project of its own: no workspace, no repository node_modules above it.
  const project = join(scratch, 'project');
  mkdirSync(project);
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'conecta-consumer-check',
        private: true,
        version: '0.0.0',
        dependencies: { ...dependencies, zod: rootManifest.devDependencies.zod },
        // The connectors' "@conecta/core": "^0.1.0" must be the packed core, never a registry package of that name.
        overrides: { '@conecta/core': '$@conecta/core' },
      },
      null,
      2,
    )}\n`,
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: project });
  log('installed the tarballs');
  for (const file of ['checks.mjs', 'check.mjs', 'check.cjs']) copyFileSync(join(import.meta.dirname, file), join(project, file));

  // Every entry point, loaded both ways; /testing needs vitest and msw (optional peers), so it is only resolved.
  const resolveOnly = new Set(['./testing']);
  const specifiers = packages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => ({ specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, load: !resolveOnly.has(subpath) })),
  );
  const body = (load, resolveCall) =>
    specifiers
      .map(({ specifier, load: loadable }) =>
        loadable
          ? `{ const m = ${load(JSON.stringify(specifier))}; if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(`${specifier}: no exports`)}); }`
          : `${resolveCall(JSON.stringify(specifier))};`,
      )
      .join('\n');
  writeFileSync(join(project, 'load-all.mjs'), `${body((s) => `await import(${s})`, (s) => `import.meta.resolve(${s})`)}\nconsole.log('esm: ${specifiers.length} entry points');\n`);
  writeFileSync(join(project, 'load-all.cjs'), `${body((s) => `require(${s})`, (s) => `require.resolve(${s})`)}\nconsole.log('cjs: ${specifiers.length} entry points');\n`);
  // One @conecta/core, the packed one, whichever package asks for it.
  const cores = new Set(
    packages
      .filter(({ manifest }) => manifest.dependencies?.['@conecta/core'])
      .map(({ manifest }) => realpathSync(createRequire(join(project, 'node_modules', manifest.name, 'package.json')).resolve('@conecta/core'))),
  );
  const installedCore = JSON.parse(readFileSync(join(project, 'node_modules/@conecta/core/package.json'), 'utf8'));
  const nested = readdirSync(join(project, 'node_modules/@conecta')).filter((name) => {
    try {
      readdirSync(join(project, 'node_modules/@conecta', name, 'node_modules/@conecta'));
      return true;
    } catch {
      return false;
    }
  });
  if (cores.size !== 1 || nested.length || installedCore.version !== core.manifest.version) {
    failures += 1;
    log(`FAIL more than one @conecta/core, or not ours: nested copies under ${nested.join(', ') || '-'}, version ${installedCore.version}`);
  }

  const bins = packages.flatMap(({ manifest }) =>
    Object.values(typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {})).map((bin) => ({ name: manifest.name, bin })),
  );

  // Each Node.js line, through the wrapper's own fetch and cache.
  for (const node of nodes) {
    const env = { ...process.env, NODEW_NODE: node, NODEW_SKIP_INSTALL: '1', NODEW_QUIET: '1' };
    delete env.npm_config_nodedir;
    let version = node;
    try {
      version = run('bash', [join(root, 'nodew'), 'node', '--version'], { cwd: project, env }).trim();
      // The exact version from here on, so the wrapper does not ask the registry for the newest again.
      env.NODEW_NODE = version.replace(/^v/, '');
      for (const file of ['load-all.mjs', 'load-all.cjs', 'check.mjs', 'check.cjs']) {
        const output = run('bash', [join(root, 'nodew'), 'node', file], { cwd: project, env });
        for (const line of output.trim().split('\n')) log(`ok   node ${version} ${file}: ${line}`);
      }
      // Each command a package installs answers --help (it loads the whole built package behind it).
      for (const { name, bin } of bins) {
        const output = run('bash', [join(root, 'nodew'), 'node', join('node_modules', name, bin), '--help'], { cwd: project, env });
        log(`ok   node ${version} ${name} ${bin} --help: ${output.trim().split('\n')[0]}`);
      }
    } catch (error) {
      failures += 1;
      log(`FAIL node ${version}: ${String(error.stderr || error.stdout || error.message).trim().split('\n').slice(0, 12).join('\n    ')}`);
    }
  }
} finally {
  if (args.has('--keep')) log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
log(`${failures ? 'FAILED' : 'passed'} on Node.js ${nodes.join(', ')}`);
process.exit(failures ? 1 : 0);
