import { AuthError, UpstreamError } from '@conecta/core';
import { assertNoSecret } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, collect, connectorFor, fakeWith } from './helpers.js';

const AUTH = { authorization: `chave_api ${CREDENTIALS.chaveApi} aplicacao ${CREDENTIALS.chaveAplicacao}` };

/** The LI id of a seeded product, read from the fake as any client would. */
async function productIdOf(fake: ReturnType<typeof fakeWith>, sku: string): Promise<number> {
  const body = (await (await fake.handle(new Request(`${fake.baseUrl}/v1/produto/?sku=${encodeURIComponent(sku)}`, { headers: AUTH }))).json()) as { objects: Array<{ id: number }> };
  return body.objects[0]!.id;
}

describe('lojaintegrada stock push', () => {
  it('looks the SKU up, writes whole units and keeps the store availability settings', async () => {
    const fake = fakeWith();
    fake.seedProducts(['KG-CAFE']);
    fake.setAvailability('KG-CAFE', { situacao_em_estoque: 3, situacao_sem_estoque: 0 });
    const progress: number[] = [];
    const result = await connectorFor(fake).pushStock!([{ sku: 'KG-CAFE', quantityMilli: 12_750 }], { onProgress: (done) => progress.push(done) });
    expect(result).toEqual({ updated: ['KG-CAFE'], notFound: [], failed: [] });
    expect(fake.stockOf('KG-CAFE')).toBe(12_000);
    expect(progress).toEqual([1]);
    expect(fake.availability('KG-CAFE')).toEqual({ situacao_em_estoque: 3, situacao_sem_estoque: 0 });
    expect(fake.requests().map((entry) => `${entry.method} ${entry.url.replace(/\d{6,}/, '{id}')}`)).toEqual([
      'GET /v1/produto/?sku=KG-CAFE',
      'GET /v1/produto_estoque/{id}',
      'PUT /v1/produto_estoque/{id}',
    ]);
  });

  it('skips the read when stockAvailability is configured', async () => {
    const fake = fakeWith();
    fake.seedProducts(['A-1']);
    await connectorFor(fake, { stockAvailability: { situacao_em_estoque: 2, situacao_sem_estoque: 0 } }).pushStock!([{ sku: 'A-1', quantityMilli: 3000 }]);
    expect(fake.requests().map((entry) => entry.method)).toEqual(['GET', 'PUT']);
    expect(fake.stockOf('A-1')).toBe(3000);
    expect(fake.availability('A-1')).toEqual({ situacao_em_estoque: 2, situacao_sem_estoque: 0 });
  });

  it('makes LI manage the stock row it writes (`gerenciado`), else the quantity would not limit sales', async () => {
    const fake = fakeWith();
    fake.seedProducts(['A-1']);
    expect(fake.managesStock('A-1')).toBe(false);
    await connectorFor(fake).pushStock!([{ sku: 'A-1', quantityMilli: 3000 }]);
    expect(fake.managesStock('A-1')).toBe(true);
  });

  it('writes only the exact SKU when `?sku=` also answers SKUs that contain it (its matching is unconfirmed)', async () => {
    const fake = fakeWith({ skuSearch: 'contains' });
    fake.seedProducts(['CT-PRE-10', 'CT-PRE-1', 'CT-PRE-1-A', 'SO-ESTE-2']);
    const result = await connectorFor(fake).pushStock!([
      { sku: 'CT-PRE-1', quantityMilli: 4000 },
      { sku: 'SO-ESTE', quantityMilli: 1000 },
    ]);
    expect(result).toEqual({ updated: ['CT-PRE-1'], notFound: ['SO-ESTE'], failed: [] });
    expect([fake.stockOf('CT-PRE-1'), fake.stockOf('CT-PRE-10'), fake.stockOf('CT-PRE-1-A'), fake.stockOf('SO-ESTE-2')]).toEqual([4000, 0, 0, 0]);
  });

  it("refuses a product with variations, whose stock LI keeps on each variation's own SKU, and goes on", async () => {
    const fake = fakeWith();
    fake.seedVariant('CAMISA', 'CAMISA-AZUL-M');
    const progress: Array<[number, number]> = [];
    const result = await connectorFor(fake).pushStock!(
      [
        { sku: 'CAMISA', quantityMilli: 9000 },
        { sku: 'CAMISA-AZUL-M', quantityMilli: 2000 },
      ],
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(result.updated).toEqual(['CAMISA-AZUL-M']);
    expect(result.notFound).toEqual([]);
    expect(result.failed).toEqual([{ sku: 'CAMISA', code: 'VARIATION_PARENT', message: "SKU CAMISA is a product with variations; LI holds stock on each variation's own SKU" }]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect([fake.stockOf('CAMISA'), fake.stockOf('CAMISA-AZUL-M')]).toEqual([0, 2000]);
    expect(fake.requests().filter((entry) => entry.method === 'PUT')).toHaveLength(1);
  });

  it('fails a SKU that two products share, writing neither, and goes on', async () => {
    const fake = fakeWith();
    fake.seedProducts(['DUPLO', 'UNICO']);
    // Whether LI keeps SKUs unique is undocumented: the search answers a second product with the same SKU.
    const connector = connectorFor(fake, {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await fake.handle(request);
        if (!request.url.includes('sku=DUPLO')) return response;
        const body = (await response.json()) as { objects: Array<{ id: number }>; meta: { total_count: number } };
        body.objects.push({ ...body.objects[0]!, id: body.objects[0]!.id + 500 });
        body.meta.total_count = 2;
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const result = await connector.pushStock!([
      { sku: 'DUPLO', quantityMilli: 5000 },
      { sku: 'UNICO', quantityMilli: 6000 },
    ]);
    expect(result).toEqual({ updated: ['UNICO'], notFound: [], failed: [{ sku: 'DUPLO', code: 'AMBIGUOUS_SKU', message: '2 products share SKU DUPLO' }] });
    expect([fake.stockOf('DUPLO'), fake.stockOf('UNICO')]).toEqual([0, 6000]);
  });

  it('fails a SKU whose write LI keeps refusing with a server error, with its code, and goes on', async () => {
    const fake = fakeWith();
    fake.seedProducts(['QUEBRA', 'BOM']);
    const quebra = await productIdOf(fake, 'QUEBRA');
    const connector = connectorFor(fake, {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.method === 'PUT' && request.url.endsWith(`/produto_estoque/${quebra}`)) return new Response(JSON.stringify({ error: 'Erro interno' }), { status: 500 });
        return fake.handle(request);
      },
    });
    const result = await connector.pushStock!([
      { sku: 'QUEBRA', quantityMilli: 5000 },
      { sku: 'BOM', quantityMilli: 6000 },
    ]);
    expect(result.updated).toEqual(['BOM']);
    expect(result.failed).toEqual([{ sku: 'QUEBRA', code: 'UPSTREAM', message: expect.stringContaining('500') }]);
    expect([fake.stockOf('QUEBRA'), fake.stockOf('BOM')]).toEqual([0, 6000]);
  });

  it('fails a SKU whose stock row cannot be read, naming the row, and goes on', async () => {
    const fake = fakeWith();
    fake.seedProducts(['ILEGIVEL', 'BOM']);
    const ilegivel = await productIdOf(fake, 'ILEGIVEL');
    const connector = connectorFor(fake, {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await fake.handle(request);
        if (request.method !== 'GET' || !request.url.endsWith(`/produto_estoque/${ilegivel}`)) return response;
        const body = (await response.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, situacao_em_estoque: 'imediato' }), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const result = await connector.pushStock!([
      { sku: 'ILEGIVEL', quantityMilli: 5000 },
      { sku: 'BOM', quantityMilli: 6000 },
    ]);
    expect(result.updated).toEqual(['BOM']);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ sku: 'ILEGIVEL', code: 'VALIDATION' });
    expect(result.failed[0]!.message).toContain(`lojaintegrada produto_estoque ${ilegivel}`);
    expect(fake.stockOf('ILEGIVEL')).toBe(0);
  });

  it("keeps LI's defaults for a stock row that has no availability settings: ready at once, unavailable when out", async () => {
    const fake = fakeWith();
    fake.seedProducts(['SEM-AJUSTE']);
    fake.setAvailability('SEM-AJUSTE', { situacao_em_estoque: 3, situacao_sem_estoque: 0 });
    const connector = connectorFor(fake, {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await fake.handle(request);
        if (request.method !== 'GET' || !request.url.includes('/produto_estoque/')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, situacao_em_estoque: null, situacao_sem_estoque: null }), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    await connector.pushStock!([{ sku: 'SEM-AJUSTE', quantityMilli: 1000 }]);
    expect(fake.availability('SEM-AJUSTE')).toEqual({ situacao_em_estoque: 0, situacao_sem_estoque: -1 });
  });

  describe('a push stopped by its signal ends with the error, not with the rest reported failed', () => {
    /** A fetch that stops the push when `stopAt` is requested, and honours the request's signal as a real one does. */
    function stopping(fake: ReturnType<typeof fakeWith>, controller: AbortController, stopAt: (request: Request) => boolean) {
      return async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (stopAt(request)) controller.abort(new Error('parado'));
        request.signal.throwIfAborted();
        return fake.handle(request);
      };
    }

    it('stopped at the stock row read: nothing more is asked', async () => {
      const fake = fakeWith();
      fake.seedProducts(['A-1', 'A-2']);
      const controller = new AbortController();
      const connector = connectorFor(fake, { fetch: stopping(fake, controller, (request) => request.url.includes('/produto_estoque/')) });
      const error = await connector.pushStock!([{ sku: 'A-1', quantityMilli: 1000 }, { sku: 'A-2', quantityMilli: 1000 }], { signal: controller.signal }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(fake.requests().map((entry) => entry.url)).toEqual(['/v1/produto/?sku=A-1']);
    });

    it('stopped at the write (availability configured): the stock is not written', async () => {
      const fake = fakeWith();
      fake.seedProducts(['A-1', 'A-2']);
      const controller = new AbortController();
      const connector = connectorFor(fake, {
        stockAvailability: { situacao_em_estoque: 0, situacao_sem_estoque: -1 },
        fetch: stopping(fake, controller, (request) => request.method === 'PUT'),
      });
      const error = await connector.pushStock!([{ sku: 'A-1', quantityMilli: 1000 }, { sku: 'A-2', quantityMilli: 1000 }], { signal: controller.signal }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamError);
      expect([fake.stockOf('A-1'), fake.stockOf('A-2')]).toEqual([0, 0]);
      expect(fake.requests().map((entry) => entry.url)).toEqual(['/v1/produto/?sku=A-1']);
    });
  });

  it('stops on an auth failure instead of failing every SKU', async () => {
    const fake = fakeWith();
    fake.seedProducts(['A-1', 'A-2']);
    const error = await connectorFor(fake, { chaveApi: 'another-wrong-key-123' }).pushStock!([{ sku: 'A-1', quantityMilli: 1000 }, { sku: 'A-2', quantityMilli: 1000 }]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    assertNoSecret(error, ['another-wrong-key-123', CREDENTIALS.chaveAplicacao]);
    expect(fake.requests()).toHaveLength(1);
  });
});

describe('lojaintegrada HTTP', () => {
  it('sends the chave_api/aplicacao header on every request', async () => {
    const fake = fakeWith();
    fake.seedOrders(2);
    const seen: string[] = [];
    const connector = connectorFor(fake, {
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push(request.headers.get('authorization') ?? '');
        return fake.handle(request);
      },
    });
    await collect(connector.listOrders());
    expect(seen.length).toBe(3);
    expect(new Set(seen)).toEqual(new Set([`chave_api ${CREDENTIALS.chaveApi} aplicacao ${CREDENTIALS.chaveAplicacao}`]));
  });

  it('waits the configured delay after a 429 without Retry-After (LI documents none)', async () => {
    const fake = fakeWith({ retryAfterHeader: false });
    fake.seedOrders(1);
    fake.throttleNext(1, 30);
    const waits: number[] = [];
    const connector = connectorFor(fake, { throttleRetryDelayMs: 300, onRetry: (event) => waits.push(event.waitMs) });
    const pages = await collect(connector.listOrders());
    expect(pages[0]!.orders).toHaveLength(1);
    expect(waits).toEqual([300]);
    const log = fake.requests();
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it('getOrder returns null for an unknown numero and refuses a non-numeric id before any request', async () => {
    const fake = fakeWith();
    const connector = connectorFor(fake);
    expect(await connector.getOrder('424242')).toBeNull();
    await expect(connector.getOrder('../produto')).rejects.toThrow(/numero/);
    expect(fake.requests()).toHaveLength(1);
  });
});
