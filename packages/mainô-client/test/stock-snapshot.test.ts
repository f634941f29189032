import { InsufficientStockError, type CreateSalesOrderInput } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { COMPANY_A, clientFor, useFakeServer } from './setup-fake.js';

const server = useFakeServer();

const order = (reference: string, quantityMilli: number): CreateSalesOrderInput => ({
  externalReference: reference,
  tag: 'Tray',
  orderNumber: '1042',
  customer: { name: 'Maria da Silva' },
  lines: [{ sku: 'SKU-7', name: 'Caneca', quantityMilli, unitPriceCents: 1_990 }],
  issuedAt: '2024-05-01T14:30:00Z',
});

describe('stock listing for snapshots', () => {
  it('lists the whole catalogue 100 per page, available = qtde - comprometida - armazenada', async () => {
    const fake = server.install();
    fake.addProducts(
      COMPANY_A,
      Array.from({ length: 250 }, (_, index) => ({ sku: `SKU-${index}`, qtdeMilli: 10_000, committedMilli: index === 7 ? 3_000 : 0, storedMilli: index === 7 ? 1_500 : 0 })),
    );
    const listing = await clientFor().listStock(COMPANY_A);
    expect(listing.incremental).toBe(false);
    expect(listing.pages).toBe(3);
    expect(listing.levels.size).toBe(250);
    expect(listing.levels.get('SKU-7')).toBe(5_500);
    const pages = fake.requests().filter((entry) => entry.url.startsWith('produtos'));
    expect(pages.map((entry) => new URLSearchParams(entry.url.split('?')[1]).get('per_page'))).toEqual(['100', '100', '100']);
  });

  it('sends ultima_modificacao only when the endpoint table says the filter works', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'SKU-1', qtdeMilli: 1_000 }]);
    const off = await clientFor().listStock(COMPANY_A, { modifiedSince: '2026-12-05T10:00:00Z' });
    expect(off.incremental).toBe(false);
    expect(fake.requests().at(-1)!.url).not.toContain('ultima_modificacao');
    const on = await clientFor({ endpoints: { products: { modifiedSinceWorks: true } } }).listStock(COMPANY_A, { modifiedSince: '2026-12-05T10:00:00Z' });
    expect(on.incremental).toBe(true);
    expect(fake.requests().at(-1)!.url).toContain('ultima_modificacao=05%2F12%2F2026');
  });
});

describe('refusal for lack of stock', () => {
  it('is an InsufficientStockError naming the SKU, and nothing is stored', async () => {
    const fake = server.install({ refuseOversell: true });
    fake.addProducts(COMPANY_A, [{ sku: 'SKU-7', qtdeMilli: 2_000, storedMilli: 500 }]);
    const error = await clientFor().createSalesOrder(COMPANY_A, order('ref-1', 2_000), { firstAttempt: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).skus).toEqual(['SKU-7']);
    expect((error as InsufficientStockError).retryable).toBe(true);
    expect(fake.countByReference(COMPANY_A, 'ref-1')).toBe(0);
    const created = await clientFor().createSalesOrder(COMPANY_A, order('ref-2', 1_500), { firstAttempt: true });
    expect(created.reused).toBe(false);
    expect(fake.stockOf(COMPANY_A, 'SKU-7')).toMatchObject({ committedMilli: 1_500 });
  });
});

describe('fake rate limit', () => {
  it('answers 429 with Retry-After beyond the per-company limit, and the client waits it out', async () => {
    const fake = server.install({ rateLimit: { requests: 2, intervalMs: 1000 } });
    fake.addProducts(COMPANY_A, [{ sku: 'SKU-1', qtdeMilli: 1_000 }]);
    const client = clientFor();
    const started = Date.now();
    const results = await Promise.all([1, 2, 3].map(() => client.findProduct(COMPANY_A, 'SKU-1')));
    expect(results.every((product) => product?.availableMilli === 1_000)).toBe(true);
    expect(fake.rateLimited()).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requests().filter((entry) => entry.status === 429).length).toBe(fake.rateLimited());
  });
});
