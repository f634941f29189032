import { AuthError } from '@conecta/core';
import { assertNoSecret } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, collect, connectorFor, fakeWith } from './helpers.js';

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
