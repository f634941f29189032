import { AuthError, RateLimitError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import type { HttpClient } from '@conecta/core/http';
import { MERCOS_STOCK_BATCH_SIZE, toMercosNovoSaldo } from '../src/index.js';
import { ProductCatalog } from '../src/products.js';
import { pushMercosStock } from '../src/stock.js';
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
    // Each batch is taken whole: nothing is sent again item by item.
    expect(fake.requests().filter((entry) => entry.method === 'PUT')).toEqual([]);
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

  it('accepts the largest balance Mercos holds and refuses a negative one, saying what it holds', async () => {
    const { fake, connector } = setup();
    fake.seedProducts(['MAX-1', 'NEG-1']);
    const result = await connector.pushStock([
      { sku: 'MAX-1', quantityMilli: 9_999_999_990 },
      { sku: 'NEG-1', quantityMilli: -1000 },
    ]);
    expect(result.updated).toEqual(['MAX-1']);
    expect(fake.stockOf('MAX-1')).toBe(9_999_999_990);
    expect(result.failed).toEqual([{ sku: 'NEG-1', code: 'VALIDATION', message: expect.stringContaining('0 to 9999999.99') }]);
  });

  it('refuses a SKU two Mercos products share, naming how many, and adjusts neither', async () => {
    const { fake, connector } = setup();
    fake.seedProducts(['DUP-1', 'DUP-1', 'ONE-1']);
    const result = await connector.pushStock([
      { sku: 'DUP-1', quantityMilli: 4000 },
      { sku: 'ONE-1', quantityMilli: 1000 },
    ]);
    expect(result.updated).toEqual(['ONE-1']);
    expect(result.failed).toEqual([{ sku: 'DUP-1', code: 'CONFLICT', message: '2 Mercos products share this codigo' }]);
  });

  it('adjusts a grade variant by its own id and refuses its parent, which Mercos adjusts only through the variants', async () => {
    const { fake, fetch, make } = setup();
    fake.seedProducts(['CAM', 'CAM-P', 'CAM-M']);
    const variants = ['CAM-P', 'CAM-M'].map((codigo) => ({ id: fake.productId(codigo)!, codigo, excluido: false }));
    // `/v1/produtos` lists a product's variants inside it (`produtos_grade`), not as products of their own.
    const withGrades = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!new URL(input instanceof Request ? input.url : String(input)).pathname.endsWith('/v1/produtos')) return response;
      const listed = ((await response.json()) as Array<Record<string, unknown>>)
        .filter((product) => !variants.some((variant) => variant.id === product['id']))
        .map((product) => (product['codigo'] === 'CAM' ? { ...product, produtos_grade: variants } : product));
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(listed), { status: response.status, headers });
    }) as typeof globalThis.fetch;
    const result = await make({ fetch: withGrades }).pushStock([
      { sku: 'CAM', quantityMilli: 5000 },
      { sku: 'CAM-P', quantityMilli: 2000 },
    ]);
    expect(result.updated).toEqual(['CAM-P']);
    expect(result.failed).toEqual([{ sku: 'CAM', code: 'VALIDATION', message: expect.stringContaining('grade variants') }]);
    expect(fake.stockOf('CAM-P')).toBe(2000);
    expect(fake.stockOf('CAM')).toBe(0);
  });

  /** The fake's fetch, with the next `times` batch posts answered 503 as Mercos answers a server error. */
  function batchFailing(fetch: typeof globalThis.fetch, times: number): { fetch: typeof globalThis.fetch; statuses: number[] } {
    const statuses: number[] = [];
    let left = times;
    const failing = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.method !== 'POST' || !request.url.endsWith('/v1/ajustar_estoque_em_lote')) return fetch(request);
      const response = left-- > 0 ? new Response(JSON.stringify({ mensagem: 'Erro interno no servidor' }), { status: 503, headers: { 'content-type': 'application/json' } }) : await fetch(request);
      statuses.push(response.status);
      return response;
    }) as typeof globalThis.fetch;
    return { fetch: failing, statuses };
  }

  it('retries a batch a server error interrupted (an absolute balance is safe to send twice)', async () => {
    const { fake, fetch, make } = setup();
    fake.seedProducts(['RE-1', 'RE-2']);
    const failing = batchFailing(fetch, 1);
    const result = await make({ fetch: failing.fetch }).pushStock([
      { sku: 'RE-1', quantityMilli: 1000 },
      { sku: 'RE-2', quantityMilli: 2000 },
    ]);
    expect(result).toEqual({ updated: ['RE-1', 'RE-2'], notFound: [], failed: [] });
    expect(failing.statuses).toEqual([503, 200]);
    expect(fake.stockOf('RE-2')).toBe(2000);
  });

  it('fails a batch whose server keeps failing, with the error, without adjusting item by item', async () => {
    const { fake, fetch, make } = setup();
    fake.seedProducts(['DOWN-1', 'DOWN-2']);
    const failing = batchFailing(fetch, 100);
    const result = await make({ fetch: failing.fetch }).pushStock([
      { sku: 'DOWN-1', quantityMilli: 1000 },
      { sku: 'DOWN-2', quantityMilli: 2000 },
    ]);
    expect(result.updated).toEqual([]);
    expect(result.failed).toEqual(['DOWN-1', 'DOWN-2'].map((sku) => ({ sku, code: 'UPSTREAM', message: expect.stringContaining('503') })));
    expect(failing.statuses.length).toBeGreaterThan(1);
    expect(fake.requests().filter((entry) => entry.method === 'PUT')).toEqual([]);
    expect(fake.stockOf('DOWN-1')).toBe(0);
  });

  it('ends the push with the typed error when the credentials are refused, not item by item', async () => {
    const { fake, make } = setup();
    fake.seedProducts(['AUTH-1']);
    const connector = make();
    await connector.pushStock([]);
    const refused = make({ companyToken: 'wrong-company-token-000' });
    await expect(refused.pushStock([{ sku: 'AUTH-1', quantityMilli: 1000 }])).rejects.toBeInstanceOf(AuthError);
    expect(fake.requests().filter((entry) => entry.method === 'PUT' || entry.method === 'POST')).toEqual([]);
  });

  it('ends the push with a RateLimitError when Mercos keeps throttling the batch, instead of trying item by item', async () => {
    const { fake, connector } = setup();
    fake.seedProducts(['RL-1']);
    await connector.pushStock([]);
    fake.throttleNext(20, 0);
    await expect(connector.pushStock([{ sku: 'RL-1', quantityMilli: 1000 }])).rejects.toBeInstanceOf(RateLimitError);
    expect(fake.requests().filter((entry) => entry.method === 'PUT')).toEqual([]);
    expect(fake.stockOf('RL-1')).toBe(0);
  });

  it('lets an error that is not the SDK\'s own (a bug in an HTTP client) end the push, not fail a SKU', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const http = {
      get: (async () => ({ status: 200, headers: new Headers(), data: [{ id: 7, codigo: 'BUG-1', nome: 'Produto BUG-1', ultima_alteracao: '2026-03-02 09:00:00' }] })) as HttpClient['get'],
      request: (async () => {
        throw bug;
      }) as HttpClient['request'],
    } as HttpClient;
    await expect(pushMercosStock(http, new ProductCatalog(http), [{ sku: 'BUG-1', quantityMilli: 1000 }])).rejects.toBe(bug);
  });
});
