import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlatformOrder } from '@conecta/core';
import { expect } from 'vitest';

/** `tests/fixtures/platforms/lojaintegrada/`: published payloads, each beside its hand-checked expected order. */
export const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/platforms/lojaintegrada/', import.meta.url));

export const readFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as Record<string, unknown>;

/** Every payload file (not the expected files, not SOURCES.md). */
export const payloadNames = (): string[] => readdirSync(FIXTURES).filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json')).sort();

export const expectedName = (name: string): string => name.replace(/\.json$/, '.expected.json');

/** The order without `raw`, compared with the expected file one field (and one line, one warning) at a time. */
export function expectOrderFieldByField(order: PlatformOrder, expected: Record<string, unknown>, label: string): void {
  const { raw: _raw, ...actual } = order;
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys) {
    const got = (actual as Record<string, unknown>)[key];
    const want = expected[key];
    if (Array.isArray(want) && Array.isArray(got)) {
      expect(got.length, `${label}: ${key}.length`).toBe(want.length);
      want.forEach((entry, index) => expect(got[index], `${label}: ${key}[${index}]`).toEqual(entry));
    } else {
      expect(got, `${label}: ${key}`).toEqual(want);
    }
  }
}

/** Every key path of a JSON value ("itens[].sku"); arrays contribute their first element's keys. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(child, path)];
  });
}
