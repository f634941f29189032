import { describe, expect, it } from 'vitest';
import { allocate } from '../src/allocator/index.js';
import type { Company } from '../src/models/company.js';

// Alone in its file on purpose: the allocator keeps scratch buffers per module, and a larger order allocated first
// (as in allocator-reference.test.ts) would have grown them already. Here they must grow for this order itself.
describe('fewest-companies on a fresh module: its search buffers grow for the order at hand', () => {
  it('finds the only answer, all twelve companies, for an order of 30 SKUs', () => {
    const companies: Company[] = Array.from({ length: 12 }, (_, i) => ({ cnpj: `D${String(i).padStart(2, '0')}`, name: `D${i}`, priority: i + 1, active: true }));
    const skus = Array.from({ length: 30 }, (_, s) => `T-${s}`);
    // Company c alone holds T-c (c < 12); the first also holds every other SKU.
    const stock = Object.fromEntries(companies.map((company, c) => [company.cnpj, Object.fromEntries(skus.map((sku, s) => [sku, s === c || (c === 0 && s >= 12) ? 3000 : 0]))]));
    const result = allocate({ lines: skus.map((sku) => ({ sku, quantityMilli: 1000, unitPriceCents: 1 })) }, stock, { companies, strategy: 'fewest-companies', shortfall: 'partial' });
    expect(result.complete).toBe(true);
    expect(result.movements.map((m) => [m.sku, m.companyCnpj])).toEqual(skus.map((sku, s) => [sku, s < 12 ? companies[s]!.cnpj : 'D00']));
  });
});
