// Repository lint: the conventions a reviewer would otherwise check by hand. Exits 1 with a list of findings.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const findings = [];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const sourceRoots = ['packages', 'examples', 'tests', 'bench'].map((dir) => join(root, dir)).filter(existsSync);
for (const file of sourceRoots.flatMap((dir) => [...walk(dir)])) {
  if (!/\.(ts|mts|mjs|js|tsx)$/.test(file)) continue;
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const isTest = /\.test\.ts$/.test(file);
  const isLibrarySource = /^packages\/[^/]+\/src\//.test(rel);
  text.split('\n').forEach((line, index) => {
    const at = `${rel}:${index + 1}`;
    if (/\b(it|test|describe)\.only\(/.test(line)) findings.push(`${at}: focused test (.only)`);
    if (isTest && /expect\((true|1)\)\.(toBe|toEqual)\((true|1)\)/.test(line)) findings.push(`${at}: an assertion that cannot fail`);
    if (isLibrarySource && /\bparseFloat\(|Number\.parseFloat\(/.test(line)) findings.push(`${at}: parseFloat in library code (money and quantities are parsed exactly)`);
    if (isLibrarySource && !isTest && /\bconsole\.(log|info|debug)\(/.test(line)) findings.push(`${at}: console output in library code (emit an event instead)`);
    if (/\bdebugger\b/.test(line)) findings.push(`${at}: debugger statement`);
    if (/throw new Error\(['"`](not implemented|todo|unimplemented)/i.test(line)) findings.push(`${at}: a 'not implemented' stub`);
  });
}

// Every connector package carries its README, its fake and the shared contract suite.
for (const folder of readdirSync(join(root, 'packages')).filter((name) => name.startsWith('connector-'))) {
  const dir = join(root, 'packages', folder);
  for (const required of ['README.md', 'test/contract.test.ts', 'src/index.ts']) {
    if (!existsSync(join(dir, required))) findings.push(`packages/${folder}: missing ${required}`);
  }
  const contract = existsSync(join(dir, 'test/contract.test.ts')) ? readFileSync(join(dir, 'test/contract.test.ts'), 'utf8') : '';
  if (contract && !contract.includes('describeConnectorContract(')) findings.push(`packages/${folder}: contract.test.ts does not run describeConnectorContract`);
}

if (findings.length) {
  console.log(findings.join('\n'));
  console.log(`lint: ${findings.length} finding(s)`);
  process.exit(1);
}
console.log('lint: no findings');
