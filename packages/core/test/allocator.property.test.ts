import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type AllocationInput, type AllocationPolicyOptions, type AllocationResult, type StockSnapshot } from '../src/allocator/index.js';
import type { Company } from '../src/models/company.js';

const SKUS = ['P1', 'P2', 'P3', 'P4'];
const RUNS = { numRuns: 300 };

/** A group of 1–6 companies with distinct priorities (listed in random order), some inactive, and its stock. */
const scenario = fc
  .integer({ min: 1, max: 6 })
  .chain((count) =>
    fc.record({
      priorities: fc.shuffledSubarray([1, 2, 3, 4, 5, 6, 7, 8, 9], { minLength: count, maxLength: count }),
      active: fc.array(fc.integer({ min: 0, max: 6 }).map((n) => n > 0), { minLength: count, maxLength: count }),
      stock: fc.array(
        fc.dictionary(fc.constantFrom(...SKUS), fc.oneof(fc.integer({ min: -2000, max: 6000 }), fc.constant(0)), { maxKeys: 4 }),
        { minLength: count, maxLength: count },
      ),
      lines: fc.array(
        fc.record({
          sku: fc.oneof(fc.constantFrom(...SKUS), fc.constant('UNKNOWN')),
          quantityMilli: fc.oneof(fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 1, max: 3 }).map((n) => n * 1000)),
          unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
        }),
        { maxLength: 8 },
      ),
    }),
  )
  .map(({ priorities, active, stock, lines }) => {
    const companies: Company[] = priorities.map((priority, i) => ({
      cnpj: `C${i}`,
      name: `Company ${i}`,
      priority,
      active: active[i] ?? true,
    }));
    const snapshot: Record<string, Record<string, number>> = {};
    companies.forEach((company, i) => (snapshot[company.cnpj] = stock[i] ?? {}));
    const input: AllocationInput = { lines };
    return { companies, snapshot: snapshot as StockSnapshot, input };
  });

const strategyArb = fc.constantFrom('priority-greedy', 'fewest-companies', 'single-company-only') as fc.Arbitrary<AllocationPolicyOptions['strategy']>;
const shortfallArb = fc.constantFrom('all-or-nothing', 'partial') as fc.Arbitrary<AllocationPolicyOptions['shortfall']>;
const maxCompaniesArb = fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined });

type Scenario = { companies: Company[]; snapshot: StockSnapshot; input: AllocationInput };

const available = (s: Scenario, cnpj: string, sku: string): number => Math.max(0, Math.floor(s.snapshot[cnpj]?.[sku] ?? 0));
const activeByPriority = (s: Scenario) => s.companies.filter((c) => c.active).sort((a, b) => a.priority - b.priority);

function drawn(result: AllocationResult): Map<string, number> {
  const totals = new Map<string, number>();
  for (const m of result.movements) totals.set(`${m.companyCnpj}|${m.sku}`, (totals.get(`${m.companyCnpj}|${m.sku}`) ?? 0) + m.quantityMilli);
  return totals;
}

function groupHoldsEnough(s: Scenario, sku: string): boolean {
  const demand = s.input.lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantityMilli, 0);
  const held = activeByPriority(s).reduce((sum, c) => sum + available(s, c.cnpj, sku), 0);
  return held >= demand;
}

function policyOf(s: Scenario, strategy: AllocationPolicyOptions['strategy'], shortfall: AllocationPolicyOptions['shortfall'], maxCompanies?: number): AllocationPolicyOptions {
  return maxCompanies === undefined ? { companies: s.companies, strategy, shortfall } : { companies: s.companies, strategy, shortfall, maxCompanies };
}

describe('allocate: properties', () => {
  it('never takes more than a company holds of an SKU, and only from active companies', () => {
    fc.assert(
      fc.property(scenario, strategyArb, shortfallArb, maxCompaniesArb, (s, strategy, shortfall, max) => {
        const result = allocate(s.input, s.snapshot, policyOf(s, strategy, shortfall, max));
        const active = new Set(s.companies.filter((c) => c.active).map((c) => c.cnpj));
        for (const m of result.movements) {
          expect(m.quantityMilli).toBeGreaterThan(0);
          expect(Number.isSafeInteger(m.quantityMilli)).toBe(true);
          expect(active.has(m.companyCnpj)).toBe(true);
        }
        for (const [key, total] of drawn(result)) {
          const [cnpj, sku] = key.split('|') as [string, string];
          expect(total).toBeLessThanOrEqual(available(s, cnpj, sku));
        }
      }),
      RUNS,
    );
  });

  it('keeps movements, explanations and shortfalls consistent with each other', () => {
    fc.assert(
      fc.property(scenario, strategyArb, shortfallArb, maxCompaniesArb, (s, strategy, shortfall, max) => {
        const result = allocate(s.input, s.snapshot, policyOf(s, strategy, shortfall, max));
        const lines = s.input.lines;
        expect(result.explanation).toHaveLength(lines.length);
        const shortByLine = new Map(result.shortfalls.map((f) => [f.lineIndex, f]));
        lines.forEach((line, i) => {
          const allocated = result.movements.filter((m) => m.lineIndex === i).reduce((sum, m) => sum + m.quantityMilli, 0);
          const explanation = result.explanation[i]!;
          expect(explanation.chosen.reduce((sum, c) => sum + c.quantityMilli, 0)).toBe(allocated);
          expect(allocated).toBeLessThanOrEqual(line.quantityMilli);
          expect(explanation.summary.length).toBeGreaterThan(0);
          const shortfall = shortByLine.get(i);
          if (shortfall === undefined) {
            expect(explanation.outcome === 'covered' || explanation.outcome === 'held').toBe(true);
          } else {
            expect(shortfall.availableMilli + shortfall.missingMilli).toBe(line.quantityMilli);
            expect(shortfall.missingMilli).toBeGreaterThan(0);
            expect(shortfall.allocatedMilli).toBe(allocated);
          }
        });
        expect(result.complete).toBe(result.shortfalls.length === 0);
        if (strategy === 'single-company-only') expect(new Set(result.movements.map((m) => m.companyCnpj)).size).toBeLessThanOrEqual(1);
        if (strategy === 'fewest-companies' && max !== undefined) {
          expect(new Set(result.movements.map((m) => m.companyCnpj)).size).toBeLessThanOrEqual(max);
        }
      }),
      RUNS,
    );
  });

  it('covers every line in full when the group holds enough and the strategy may split', () => {
    const splitting = fc.constantFrom('priority-greedy', 'fewest-companies') as fc.Arbitrary<AllocationPolicyOptions['strategy']>;
    fc.assert(
      fc.property(scenario, splitting, shortfallArb, (s, strategy, shortfall) => {
        const result = allocate(s.input, s.snapshot, policyOf(s, strategy, shortfall));
        const enough = s.input.lines.every((l) => groupHoldsEnough(s, l.sku!));
        if (enough) expect(result.complete).toBe(true);
        if (shortfall === 'partial') {
          // Per SKU, too: a short SKU elsewhere in the order must not starve one the group holds enough of.
          for (const f of result.shortfalls) expect(groupHoldsEnough(s, f.sku)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('greedy never draws from a lower priority while a higher active one still has stock of that SKU', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = allocate(s.input, s.snapshot, policyOf(s, 'priority-greedy', 'partial'));
        const totals = drawn(result);
        const ranked = activeByPriority(s);
        for (const m of result.movements) {
          const user = ranked.findIndex((c) => c.cnpj === m.companyCnpj);
          for (const higher of ranked.slice(0, user)) {
            const left = available(s, higher.cnpj, m.sku) - (totals.get(`${higher.cnpj}|${m.sku}`) ?? 0);
            expect(left).toBe(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('is deterministic: same input, same output, whatever the order companies are listed in', () => {
    fc.assert(
      fc.property(scenario, strategyArb, shortfallArb, maxCompaniesArb, (s, strategy, shortfall, max) => {
        const policy = policyOf(s, strategy, shortfall, max);
        const first = allocate(s.input, s.snapshot, policy);
        expect(allocate(s.input, s.snapshot, policy)).toEqual(first);
        expect(allocate(s.input, s.snapshot, { ...policy, companies: [...s.companies].reverse() })).toEqual(first);
      }),
      RUNS,
    );
  });

  it('fewest-companies never uses more companies than priority-greedy', () => {
    fc.assert(
      fc.property(scenario, shortfallArb, (s, shortfall) => {
        const count = (r: AllocationResult) => new Set(r.movements.map((m) => m.companyCnpj)).size;
        const greedy = allocate(s.input, s.snapshot, policyOf(s, 'priority-greedy', shortfall));
        const fewest = allocate(s.input, s.snapshot, policyOf(s, 'fewest-companies', shortfall));
        expect(count(fewest)).toBeLessThanOrEqual(count(greedy));
        // Same stock, same reach: fewer companies never means less allocated.
        const total = (r: AllocationResult) => r.movements.reduce((sum, m) => sum + m.quantityMilli, 0);
        expect(total(fewest)).toBe(total(greedy));
      }),
      RUNS,
    );
  });

  it('all-or-nothing gives either a complete allocation or no movements at all', () => {
    fc.assert(
      fc.property(scenario, strategyArb, maxCompaniesArb, (s, strategy, max) => {
        const result = allocate(s.input, s.snapshot, policyOf(s, strategy, 'all-or-nothing', max));
        expect(result.complete || result.movements.length === 0).toBe(true);
        if (!result.complete) expect(result.explanation.every((e) => e.chosen.length === 0)).toBe(true);
      }),
      RUNS,
    );
  });
});
