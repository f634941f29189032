import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishedPayloadCase } from './connector-contract.js';

/**
 * Every `<name>.json` in `dir` that has a `<name>.expected.json` beside it (as `tests/fixtures/platforms/<platform>/`
 * keeps them), read for the contract's `publishedPayloads` option. `filter` keeps a subset by file name.
 */
export function readPublishedPayloads(dir: string, filter: (name: string) => boolean = () => true): PublishedPayloadCase[] {
  const names = readdirSync(dir).sort();
  return names
    .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json') && names.includes(name.replace(/\.json$/, '.expected.json')))
    .filter(filter)
    .map((name) => ({
      name,
      payload: JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown,
      expected: JSON.parse(readFileSync(join(dir, name.replace(/\.json$/, '.expected.json')), 'utf8')) as unknown,
    }));
}
