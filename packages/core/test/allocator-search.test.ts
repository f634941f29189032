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
