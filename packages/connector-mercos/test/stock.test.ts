import { describe, expect, it } from 'vitest';
import { MERCOS_STOCK_BATCH_SIZE, toMercosNovoSaldo } from '../src/index.js';
import { setup } from './helpers.js';

describe('pushStock through ajustar_estoque_em_lote', () => {
  it('sends absolute balances in batches of 300 and reports progress', async () => {
    const { fake, connector } = setup();
    const skus = Array.from({ length: 650 }, (_, index) => `LOTE-${String(index).padStart(4, '0')}`);
    fake.seedProducts(skus);
    const progress: Array<[number, number]> = [];
    const result = await connector.pushStock(
      skus.map((sku, index) => ({ sku, quantityMilli: index * 1000 + 500 })),
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(result.updated).toHaveLength(650);
    expect(result.failed).toEqual([]);
    expect(fake.stockOf('LOTE-0000')).toBe(500);
    expect(fake.stockOf('LOTE-0649')).toBe(649_500);
    const batches = fake.requests().filter((entry) => entry.url === '/v1/ajustar_estoque_em_lote');
    expect(batches).toHaveLength(Math.ceil(650 / MERCOS_STOCK_BATCH_SIZE));
    expect(progress.at(-1)).toEqual([650, 650]);
    expect(progress.map(([done]) => done)).toEqual([0, 300, 600, 650]);
  });

  it('sets, never adds: a second push replaces the balance', async () => {
    const { fake, connector } = setup();
    fake.seedProducts(['ABS-1']);
    await connector.pushStock([{ sku: 'ABS-1', quantityMilli: 5000 }]);
    await connector.pushStock([{ sku: 'ABS-1', quantityMilli: 2000 }]);
    expect(fake.stockOf('ABS-1')).toBe(2000);
  });

  it('floors to the two decimals Mercos keeps', async () => {
    expect(toMercosNovoSaldo(1234)).toBe(1.23);
    expect(toMercosNovoSaldo(999)).toBe(0.99);
    expect(toMercosNovoSaldo(7000)).toBe(7);
    const { fake, connector } = setup();
    fake.seedProducts(['KG-1']);
    await connector.pushStock([{ sku: 'KG-1', quantityMilli: 1239 }]);
    expect(fake.stockOf('KG-1')).toBe(1230);
  });

  it('when Mercos refuses a batch for one item, applies the others one by one and names the bad one', async () => {
    const { fake, connector } = setup();
    fake.seedProducts(['OK-1', 'BAD-1', 'OK-2']);
    fake.lockStock('BAD-1');
    const result = await connector.pushStock([
      { sku: 'OK-1', quantityMilli: 1000 },
      { sku: 'BAD-1', quantityMilli: 1000 },
      { sku: 'OK-2', quantityMilli: 3000 },
      { sku: 'NOPE', quantityMilli: 1000 },
    ]);
    expect([...result.updated].sort()).toEqual(['OK-1', 'OK-2']);
    expect(result.notFound).toEqual(['NOPE']);
    expect(result.failed.map((failure) => failure.sku)).toEqual(['BAD-1']);
    expect(result.failed[0]!.message).toContain('não permite ajuste');
    expect(fake.stockOf('OK-2')).toBe(3000);
    expect(fake.stockOf('BAD-1')).toBe(0);
    const routes = fake.requests().map((entry) => `${entry.method} ${entry.url} ${entry.status}`);
    expect(routes).toContain('POST /v1/ajustar_estoque_em_lote 412');
    expect(routes.filter((route) => route.startsWith('PUT /v1/ajustar_estoque '))).toHaveLength(3);
  });

  it('refuses balances Mercos cannot hold without calling it', async () => {
    const { fake, connector } = setup();
    fake.seedProducts(['BIG-1']);
    const result = await connector.pushStock([{ sku: 'BIG-1', quantityMilli: 10_000_000_000 }]);
    expect(result.failed).toEqual([expect.objectContaining({ sku: 'BIG-1', code: 'VALIDATION' })]);
    expect(fake.requests().some((entry) => entry.url.startsWith('/v1/ajustar_estoque'))).toBe(false);
  });
});
