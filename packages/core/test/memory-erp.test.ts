import { describe, expect, it } from 'vitest';
import { ConfigurationError, NotFoundError, UpstreamError } from '../src/index.js';
import { createMemoryErp, describeErpContract } from '../src/testing/index.js';

const A = '11222333000181';
const B = '11444777000161';
const OUTSIDE = '45723174000110';

describeErpContract({
  name: 'memory erp',
  has: { transport: false, credentials: false },
  setup: () => {
    const erp = createMemoryErp({ companies: [{ cnpj: A }, { cnpj: B }] });
    return {
      erp,
      companies: [A, B],
      outsideCnpj: OUTSIDE,
      seedProduct: (cnpj, product) => erp.setStock(cnpj, product.sku, product.onHandMilli, { name: product.name, committedMilli: product.committedMilli ?? 0 }),
      committedMilli: (cnpj, sku) => erp.stockOf(cnpj, sku)?.committedMilli ?? 0,
      countByReference: (cnpj, reference) => erp.countByReference(cnpj, reference),
      requestCount: () => erp.calls.length,
      secrets: [],
    };
  },
});

describe('memory erp helpers', () => {
  it('is seeded per company and reports stock and created orders for assertions', async () => {
    const erp = createMemoryErp({ companies: [{ cnpj: '11.222.333/0001-81', products: [{ sku: 'A1', onHandMilli: 5_000, committedMilli: 500 }] }] });
    expect(erp.stockOf(A, 'A1')).toEqual({ onHandMilli: 5_000, committedMilli: 500, availableMilli: 4_500 });
    await erp.createSalesOrder(A, {
      externalReference: 'r',
      tag: 'Tray',
      orderNumber: '1',
      customer: { name: 'C' },
      lines: [{ sku: 'A1', name: 'A1', quantityMilli: 1_250, unitPriceCents: 333 }],
      issuedAt: '2024-05-01T12:00:00Z',
    });
    const [order] = erp.createdOrders();
    expect(order).toMatchObject({ cnpj: A, totalCents: 416, input: { orderNumber: '1' } });
    expect(erp.stockOf(A, 'A1')?.availableMilli).toBe(3_250);
  });

  it('fails the next call of an operation once, for pipeline failure paths', async () => {
    const erp = createMemoryErp({ companies: [{ cnpj: A }] });
    erp.failNext('findProduct', new UpstreamError('boom'));
    await expect(erp.findProduct(A, 'x')).rejects.toBeInstanceOf(UpstreamError);
    await expect(erp.findProduct(A, 'x')).resolves.toBeNull();
  });

  it('rejects an invalid CNPJ in the seed and an unknown order id on cancel', async () => {
    expect(() => createMemoryErp({ companies: [{ cnpj: '123' }] })).toThrow(ConfigurationError);
    await expect(createMemoryErp({ companies: [{ cnpj: A }] }).cancelSalesOrder(A, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
