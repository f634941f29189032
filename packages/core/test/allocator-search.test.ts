import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildContext } from '../src/allocator/context.js';
import { selectAllActive, selectFewest } from '../src/allocator/select.js';
import { fillLines } from '../src/allocator/fill.js';
import type { AllocationInput, StockSnapshot } from '../src/allocator/index.js';
import type { Company } from '../src/models/company.js';

/** Companies used when the lines are filled from a selection: the quantity fewest-companies is judged on. */
function companiesUsed(input: AllocationInput, stock: StockSnapshot, companies: Company[], select: 'greedy' | number): { used: number; complete: boolean } {
  const ctx = buildContext(input, stock, companies);
  const selection = select === 'greedy' ? selectAllActive(ctx) : selectFewest(ctx, undefined, select);
  const fill = fillLines(ctx, input.lines, selection, undefined);
  return { used: new Set(fill.movements.map((m) => m.companyCnpj)).size, complete: fill.complete };
}

const bigScenario = fc.record({
  companyCount: fc.integer({ min: 6, max: 14 }),
  holdings: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }), { minLength: 14, maxLength: 14 }),
  demand: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 12, maxLength: 12 }),
});

describe('fewest-companies search budget', () => {
  it('past the budget, the heuristic cover is still complete and never larger than greedy', () => {
    fc.assert(
      fc.property(bigScenario, fc.constantFrom(1, 5, 50), ({ companyCount, holdings, demand }, budget) => {
        const companies: Company[] = Array.from({ length: companyCount }, (_, i) => ({ cnpj: `C${i}`, name: `C${i}`, priority: i + 1, active: true }));
        const stock: Record<string, Record<string, number>> = {};
        companies.forEach((c, i) => {
          stock[c.cnpj] = Object.fromEntries(holdings[i]!.map((units, s) => [`S${s}`, units * 1000]));
        });
        const input: AllocationInput = { lines: demand.map((units, s) => ({ sku: `S${s}`, quantityMilli: units * 1000, unitPriceCents: 1 })) };
        const greedy = companiesUsed(input, stock, companies, 'greedy');
        const exact = companiesUsed(input, stock, companies, 1_000_000);
        const budgeted = companiesUsed(input, stock, companies, budget);
        expect(budgeted.complete).toBe(greedy.complete);
        expect(exact.complete).toBe(greedy.complete);
        expect(budgeted.used).toBeLessThanOrEqual(greedy.used);
        expect(exact.used).toBeLessThanOrEqual(budgeted.used);
      }),
      { numRuns: 150 },
    );
  });
});

describe('fewest-companies search on a group where the exact answer is out of reach', () => {
  it('answers a 40-company ring (each company holds two neighbouring SKUs) within the budget, never worse than greedy', () => {
    // The smallest cover needs 20 of 40 companies: C(40, 20) subsets. Only the node budget keeps this from running for hours.
    const companies: Company[] = Array.from({ length: 40 }, (_, i) => ({ cnpj: `R${String(i).padStart(2, '0')}`, name: `R${i}`, priority: i + 1, active: true }));
    const stock: Record<string, Record<string, number>> = {};
    companies.forEach((c, i) => (stock[c.cnpj] = { [`S${i}`]: 1000, [`S${(i + 1) % 40}`]: 1000 }));
    const input: AllocationInput = { lines: companies.map((_, s) => ({ sku: `S${s}`, quantityMilli: 1000, unitPriceCents: 1 })) };
    const started = performance.now();
    const fewest = companiesUsed(input, stock, companies, 50_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    const greedy = companiesUsed(input, stock, companies, 'greedy');
    expect(fewest.complete).toBe(true);
    expect(fewest.used).toBeGreaterThanOrEqual(20);
    expect(fewest.used).toBeLessThanOrEqual(greedy.used);
  });
});
