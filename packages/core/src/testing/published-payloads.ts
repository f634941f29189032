import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishedPayloadCase } from './connector-contract.js';

/** One JSON file of a fixtures directory (`tests/fixtures/platforms/<platform>/`), parsed. */
export function readPublishedPayload(dir: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
}

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
      payload: readPublishedPayload(dir, name) as unknown,
      expected: readPublishedPayload(dir, name.replace(/\.json$/, '.expected.json')) as unknown,
    }));
}

/**
 * Every key path of a JSON value (`itens[].sku`), arrays contributing their first element's keys: what a fake's
 * answer is compared with to show it has the shape of the published payload it imitates.
 */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(child, path)];
  });
}
