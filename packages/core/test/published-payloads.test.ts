import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyPaths, readPublishedPayload, readPublishedPayloads } from '../src/testing/index.js';

function fixturesDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-published-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
}

describe('published payload helpers', () => {
  const dir = fixturesDir({
    'b-order.json': { id: 2 },
    'b-order.expected.json': { externalId: '2' },
    'a-order.json': { id: 1 },
    'a-order.expected.json': { externalId: '1' },
    'customer.json': { cnpj: '12ABC34501DE35' },
  });

  it('reads every payload that has an expected order beside it, by name, and leaves the others out', () => {
    expect(readPublishedPayloads(dir)).toEqual([
      { name: 'a-order.json', payload: { id: 1 }, expected: { externalId: '1' } },
      { name: 'b-order.json', payload: { id: 2 }, expected: { externalId: '2' } },
    ]);
    expect(readPublishedPayloads(dir, (name) => name.startsWith('b-')).map((entry) => entry.name)).toEqual(['b-order.json']);
  });

  it('reads one file by name, expected or not', () => {
    expect(readPublishedPayload(dir, 'customer.json')).toEqual({ cnpj: '12ABC34501DE35' });
  });

  it('lists key paths, arrays by their first element', () => {
    expect(keyPaths({ numero: 1, itens: [{ sku: 345, produto: { id: 9 } }, { extra: true }], vazio: [], cliente: null })).toEqual([
      'numero',
      'itens',
      'itens[].sku',
      'itens[].produto',
      'itens[].produto.id',
      'vazio',
      'cliente',
    ]);
  });
});
