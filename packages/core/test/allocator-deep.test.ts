import { describe, expect, it } from 'vitest';
import { allocate } from '../src/allocator/index.js';
import type { Company } from '../src/models/company.js';

// Alone in its file on purpose: the allocator keeps scratch buffers per module, and a larger order allocated first
// (as in allocator-reference.test.ts) would have grown them already. Here they must grow for this order itself:
// 70 lines and SKUs (past 64), 12 companies x 70 SKUs (past 256 cells), a search 13 companies deep.
describe('fewest-companies on a fresh module: every scratch buffer grows for the order at hand', () => {
  it('finds the only answer, all thirteen companies, for an order of 70 SKUs, and explains every skip', () => {
    const companies: Company[] = Array.from({ length: 13 }, (_, i) => ({ cnpj: `D${String(i).padStart(2, '0')}`, name: `D${i}`, priority: i + 1, active: true }));
    const skus = Array.from({ length: 70 }, (_, s) => `T-${s}`);
    // Company c alone holds T-c (c < 12); the first also holds T-12 to T-63, the last T-64 to T-69. Every company lists
    // every SKU.
    const holds = (c: number, s: number) => s === c || (c === 0 && s >= 12 && s < 64) || (c === 12 && s >= 64);
    const stock = Object.fromEntries(companies.map((company, c) => [company.cnpj, Object.fromEntries(skus.map((sku, s) => [sku, holds(c, s) ? 3000 : 0]))]));
    const result = allocate({ lines: skus.map((sku) => ({ sku, quantityMilli: 1000, unitPriceCents: 1 })) }, stock, { companies, strategy: 'fewest-companies', shortfall: 'partial' });
    expect(result.complete).toBe(true);
    expect(result.movements.map((m) => [m.sku, m.companyCnpj, m.quantityMilli])).toEqual(skus.map((sku, s) => [sku, s < 12 ? companies[s]!.cnpj : s < 64 ? 'D00' : 'D12', 1000]));
    // Line T-c (c < 12) passed over the companies before D<c>, each listing the SKU at 0.
    expect(result.explanation.map((line) => line.skipped.map((skip) => `${skip.companyCnpj}:${skip.reason}`))).toEqual(
      skus.map((_, s) => (s < 12 ? companies.slice(0, s) : s < 64 ? [] : companies.slice(0, 12)).map((company) => `${company.cnpj}:no-stock`)),
    );
  });
});
