import { describe, expect, it } from 'vitest';
import { allocate, type StockSnapshot } from '../src/allocator/index.js';
import { ValidationError } from '../src/errors/index.js';
import type { Company } from '../src/models/company.js';
import { FILIAL_RJ, FILIAL_SP, GROUP, MATRIZ, companiesUsed, line, moves, policy, u } from './allocator-fixtures.js';

describe('allocate: priority-greedy', () => {
  it('fills a line from the highest-priority company that has stock', () => {
    const stock: StockSnapshot = { A: { X: u(5) }, B: { X: u(5) } };
    const result = allocate({ lines: [line('X', 2, 1990)] }, stock, policy());
    expect(result.movements).toEqual([{ lineIndex: 0, sku: 'X', companyCnpj: 'A', quantityMilli: u(2), unitPriceCents: 1990 }]);
    expect(result.complete).toBe(true);
    expect(result.shortfalls).toEqual([]);
    expect(result.explanation[0]).toMatchObject({ outcome: 'covered', chosen: [{ companyCnpj: 'A', quantityMilli: u(2) }], skipped: [] });
    expect(result.explanation[0]!.summary).toBe('2 from Matriz (priority 1).');
  });

  it('splits to the next company when the first is short, and explains the skip above', () => {
    const stock: StockSnapshot = { A: { X: 0 }, B: { X: u(1) }, C: { X: u(5) } };
    const result = allocate({ lines: [line('X', 3)] }, stock, policy());
    expect(moves(result)).toEqual(['B:X=1', 'C:X=2']);
    expect(result.explanation[0]!.skipped).toEqual([{ companyCnpj: 'A', reason: 'no-stock', availableMilli: 0 }]);
    expect(result.explanation[0]!.summary).toBe('1 from Filial SP (priority 2), 2 from Filial RJ (priority 3); skipped Matriz (priority 1): no stock.');
  });

  it('follows priority, not the order companies are listed in', () => {
    const stock: StockSnapshot = { A: { X: u(5) }, B: { X: u(5) }, C: { X: u(5) } };
    const result = allocate({ lines: [line('X', 1)] }, stock, policy({ companies: [FILIAL_RJ, FILIAL_SP, MATRIZ] }));
    expect(moves(result)).toEqual(['A:X=1']);
  });

  it('between companies of the same priority, the smaller CNPJ comes first, however they are listed', () => {
    const first: Company = { cnpj: '11222333000181', name: 'Loja Centro', priority: 1, active: true };
    const second: Company = { cnpj: '45723174000110', name: 'Loja Bairro', priority: 1, active: true };
    const third: Company = { cnpj: '19131243000197', name: 'Loja Shopping', priority: 1, active: true };
    const stock: StockSnapshot = { [first.cnpj]: { X: u(1) }, [second.cnpj]: { X: u(5) }, [third.cnpj]: { X: u(5) } };
    for (const companies of [[first, second, third], [second, third, first], [third, first, second], [second, first, third], [third, second, first], [first, third, second]]) {
      const result = allocate({ lines: [line('X', 3)] }, stock, policy({ companies }));
      const label = companies.map((company) => company.name).join(', ');
      expect(moves(result), label).toEqual([`${first.cnpj}:X=1`, `${third.cnpj}:X=2`]);
    }
  });

  it('keeps fractional (milli-unit) quantities exact', () => {
    const stock: StockSnapshot = { A: { KG: 750 }, B: { KG: 2000 } };
    const result = allocate({ lines: [{ sku: 'KG', quantityMilli: 1250, unitPriceCents: 5000 }] }, stock, policy());
    expect(result.movements.map((m) => m.quantityMilli)).toEqual([750, 500]);
    expect(result.explanation[0]!.summary).toBe('0.75 from Matriz (priority 1), 0.5 from Filial SP (priority 2).');
  });
});

describe('allocate: same SKU on several lines', () => {
  it('draws both lines from one shared balance per company', () => {
    const stock: StockSnapshot = { A: { X: u(3) }, B: { X: u(3) } };
    const result = allocate({ lines: [line('X', 2), line('X', 2), line('X', 2)] }, stock, policy());
    expect(moves(result)).toEqual(['A:X=2', 'A:X=1', 'B:X=1', 'B:X=2']);
    expect(result.movements.map((m) => m.lineIndex)).toEqual([0, 1, 1, 2]);
    expect(result.explanation[1]!.chosen).toEqual([
      { companyCnpj: 'A', quantityMilli: u(1) },
      { companyCnpj: 'B', quantityMilli: u(1) },
    ]);
    expect(result.complete).toBe(true);
  });

  it('reports the later line short once the shared stock runs out', () => {
    const stock: StockSnapshot = { A: { X: u(3) } };
    const result = allocate({ lines: [line('X', 2), line('X', 2)] }, stock, policy());
    expect(moves(result)).toEqual(['A:X=2', 'A:X=1']);
    expect(result.shortfalls).toEqual([
      { lineIndex: 1, sku: 'X', requestedMilli: u(2), allocatedMilli: u(1), availableMilli: u(1), missingMilli: u(1) },
    ]);
    expect(result.explanation[1]!.outcome).toBe('partial');
  });

  it('fewest-companies counts the order-wide demand per SKU when it looks for one company', () => {
    // A holds 3 X: enough for either line, not for both. B holds all 4.
    const stock: StockSnapshot = { A: { X: u(3) }, B: { X: u(4) } };
    const result = allocate({ lines: [line('X', 2), line('X', 2)] }, stock, policy({ strategy: 'fewest-companies' }));
    expect(moves(result)).toEqual(['B:X=2', 'B:X=2']);
  });
});

describe('allocate: stock edge cases', () => {
  it('treats zero, negative, NaN and missing stock as none', () => {
    const stock: StockSnapshot = { A: { X: u(-4) }, B: { X: Number.NaN }, C: { X: 0, Y: u(1) } };
    const result = allocate({ lines: [line('X', 1)] }, stock, policy());
    expect(result.movements).toEqual([]);
    expect(result.explanation[0]!.outcome).toBe('short');
    expect(result.explanation[0]!.skipped.map((s) => [s.companyCnpj, s.reason, s.availableMilli])).toEqual([
      ['A', 'no-stock', 0],
      ['B', 'no-stock', 0],
      ['C', 'no-stock', 0],
    ]);
  });

  it('rounds fractional stock down so it never promises more than exists', () => {
    const stock: StockSnapshot = { A: { X: 999.9 } };
    const result = allocate({ lines: [{ sku: 'X', quantityMilli: 1000, unitPriceCents: 1 }] }, stock, policy());
    expect(result.movements[0]!.quantityMilli).toBe(999);
  });

  it('skips inactive companies and says so', () => {
    const inactive: Company = { ...MATRIZ, active: false };
    const stock: StockSnapshot = { A: { X: u(10) }, B: { X: u(10) } };
    const result = allocate({ lines: [line('X', 2)] }, stock, policy({ companies: [inactive, FILIAL_SP, FILIAL_RJ] }));
    expect(moves(result)).toEqual(['B:X=2']);
    expect(result.explanation[0]!.skipped).toEqual([{ companyCnpj: 'A', reason: 'inactive', availableMilli: u(10) }]);
    expect(result.explanation[0]!.summary).toBe('2 from Filial SP (priority 2); skipped Matriz (priority 1): inactive.');
  });

  it('explains an SKU no company lists as unknown-sku', () => {
    const stock: StockSnapshot = { A: { X: u(1) }, B: {}, C: { X: u(1) } };
    const result = allocate({ lines: [line('GHOST', 1)] }, stock, policy());
    const explanation = result.explanation[0]!;
    expect(explanation.outcome).toBe('unknown-sku');
    expect(explanation.skipped.map((s) => s.reason)).toEqual(['unknown-sku', 'unknown-sku', 'unknown-sku']);
    expect(explanation.summary).toBe('Unknown SKU GHOST: no company in the group lists it; 1 missing.');
    expect(result.shortfalls[0]).toMatchObject({ sku: 'GHOST', missingMilli: u(1) });
  });

  it('tells a company that does not carry the SKU from one that has run out', () => {
    const stock: StockSnapshot = { A: {}, B: { X: 0 }, C: { X: u(1) } };
    const result = allocate({ lines: [line('X', 1)] }, stock, policy());
    expect(result.explanation[0]!.skipped.map((s) => s.reason)).toEqual(['unknown-sku', 'no-stock']);
    expect(result.explanation[0]!.summary).toContain('Matriz (priority 1): does not list this SKU');
  });

  it('covers a zero-quantity line without movements', () => {
    const result = allocate({ lines: [line('X', 0)] }, {}, policy());
    expect(result).toMatchObject({ movements: [], shortfalls: [], complete: true });
    expect(result.explanation[0]).toMatchObject({ outcome: 'covered', summary: 'Nothing to allocate: quantity 0.' });
  });

  it('handles an empty order and an empty group', () => {
    expect(allocate({ lines: [] }, {}, policy())).toEqual({ movements: [], explanation: [], shortfalls: [], complete: true });
    const result = allocate({ lines: [line('X', 1)] }, { A: { X: u(1) } }, policy({ companies: [] }));
    expect(result.complete).toBe(false);
    expect(result.explanation[0]!.outcome).toBe('unknown-sku');
  });

  it('rejects quantities that are not non-negative integers, and bad policies', () => {
    expect(() => allocate({ lines: [{ sku: 'X', quantityMilli: 1.5, unitPriceCents: 1 }] }, {}, policy())).toThrow(ValidationError);
    expect(() => allocate({ lines: [{ sku: 'X', quantityMilli: -1, unitPriceCents: 1 }] }, {}, policy())).toThrow(/lines\.0\.quantityMilli/);
    expect(() => allocate({ lines: [] }, {}, policy({ maxCompanies: 0, strategy: 'fewest-companies' }))).toThrow(/maxCompanies/);
    expect(() => allocate({ lines: [] }, {}, policy({ strategy: 'random' as never }))).toThrow(/strategy/);
    // A CNPJ listed twice would count its stock twice.
    expect(() => allocate({ lines: [] }, {}, policy({ companies: [MATRIZ, { ...MATRIZ, priority: 9 }] }))).toThrow(/listed twice/);
  });
});

describe('allocate: fewest-companies', () => {
  const fewest = (overrides = {}) => policy({ strategy: 'fewest-companies', ...overrides });

  it('prefers one company covering the whole order over a priority split', () => {
    const stock: StockSnapshot = { A: { X: u(5), Y: 0 }, B: { X: u(5), Y: u(5) }, C: { X: u(5), Y: u(5) } };
    const result = allocate({ lines: [line('X', 2), line('Y', 1)] }, stock, fewest());
    expect(moves(result)).toEqual(['B:X=2', 'B:Y=1']);
    expect(result.explanation[0]!.skipped).toEqual([{ companyCnpj: 'A', reason: 'not-chosen', availableMilli: u(5) }]);
    expect(result.explanation[0]!.summary).toBe('2 from Filial SP (priority 2); skipped Matriz (priority 1): not needed by the smallest split.');
    expect(result.explanation[1]!.skipped).toEqual([{ companyCnpj: 'A', reason: 'no-stock', availableMilli: 0 }]);
    // Greedy would have split the order across A and B.
    expect(companiesUsed(allocate({ lines: [line('X', 2), line('Y', 1)] }, stock, policy())).size).toBe(2);
  });

  it('takes the highest-priority company among several that cover', () => {
    const stock: StockSnapshot = { A: { X: u(5) }, B: { X: u(5) }, C: { X: u(5) } };
    expect(moves(allocate({ lines: [line('X', 5)] }, stock, fewest()))).toEqual(['A:X=5']);
  });

  it('splits across the fewest companies, ties broken by priority', () => {
    // No single company covers; {A,C} and {B,C} both do with two companies; {A,C} ranks first.
    const stock: StockSnapshot = { A: { X: u(3) }, B: { X: u(3), Y: u(1) }, C: { Y: u(4), X: u(1) } };
    const result = allocate({ lines: [line('X', 3), line('Y', 4)] }, stock, fewest());
    expect(moves(result)).toEqual(['A:X=3', 'C:Y=4']);
  });

  it('uses the smaller split even when it skips a higher priority', () => {
    // Greedy: A(X) + B(Y) + C(Z) = 3 companies. C alone covers everything.
    const stock: StockSnapshot = { A: { X: u(1) }, B: { Y: u(1) }, C: { X: u(1), Y: u(1), Z: u(1) } };
    const order = { lines: [line('X', 1), line('Y', 1), line('Z', 1)] };
    expect(companiesUsed(allocate(order, stock, policy())).size).toBe(3);
    expect(moves(allocate(order, stock, fewest()))).toEqual(['C:X=1', 'C:Y=1', 'C:Z=1']);
  });

  it('respects maxCompanies: over the limit is a shortfall explained as such', () => {
    const stock: StockSnapshot = { A: { X: u(2) }, B: { Y: u(2) }, C: { Z: u(2) } };
    const order = { lines: [line('X', 1), line('Y', 1), line('Z', 1)] };
    const result = allocate(order, stock, fewest({ maxCompanies: 2 }));
    expect(moves(result)).toEqual(['A:X=1', 'B:Y=1']);
    expect(result.complete).toBe(false);
    expect(result.shortfalls).toEqual([{ lineIndex: 2, sku: 'Z', requestedMilli: u(1), allocatedMilli: 0, availableMilli: 0, missingMilli: u(1) }]);
    expect(result.explanation[2]!.skipped).toContainEqual({ companyCnpj: 'C', reason: 'over-company-limit', availableMilli: u(2) });
    expect(result.explanation[2]!.summary).toContain('Filial RJ (priority 3): over the limit of 2 companies');
    expect(allocate(order, stock, fewest({ maxCompanies: 3 })).complete).toBe(true);
  });

  it('with a short group, takes everything there is from the fewest companies', () => {
    const stock: StockSnapshot = { A: { X: u(1) }, B: { X: u(1) }, C: { X: u(1) } };
    const result = allocate({ lines: [line('X', 5)] }, stock, fewest());
    expect(moves(result)).toEqual(['A:X=1', 'B:X=1', 'C:X=1']);
    expect(result.shortfalls[0]).toMatchObject({ allocatedMilli: u(3), missingMilli: u(2) });
  });
});

describe('allocate: single-company-only', () => {
  const single = (overrides = {}) => policy({ strategy: 'single-company-only', ...overrides });

  it('picks the first company by priority that covers the whole order', () => {
    const stock: StockSnapshot = { A: { X: u(5) }, B: { X: u(5), Y: u(5) }, C: { X: u(5), Y: u(5) } };
    const result = allocate({ lines: [line('X', 1), line('Y', 1)] }, stock, single());
    expect(moves(result)).toEqual(['B:X=1', 'B:Y=1']);
    expect(result.explanation[0]!.skipped).toEqual([{ companyCnpj: 'A', reason: 'single-company-short', availableMilli: u(5) }]);
    expect(result.explanation[0]!.summary).toContain('Matriz (priority 1): cannot supply the whole order alone');
  });

  it('never splits: all-or-nothing holds the order when no single company covers it', () => {
    const stock: StockSnapshot = { A: { X: u(5) }, B: { Y: u(5) } };
    const result = allocate({ lines: [line('X', 1), line('Y', 1)] }, stock, single({ shortfall: 'all-or-nothing' }));
    expect(result.movements).toEqual([]);
    expect(result.complete).toBe(false);
    expect(result.explanation.map((e) => e.outcome)).toEqual(['held', 'short']);
    expect(result.shortfalls).toEqual([{ lineIndex: 1, sku: 'Y', requestedMilli: u(1), allocatedMilli: 0, availableMilli: 0, missingMilli: u(1) }]);
    expect(result.explanation[1]!.skipped).toContainEqual({ companyCnpj: 'B', reason: 'single-company-short', availableMilli: u(5) });
  });

  it('with partial, allocates what the best company by priority has', () => {
    const stock: StockSnapshot = { A: { X: 0, Y: u(1) }, B: { X: u(5), Y: u(5) }, C: {} };
    const result = allocate({ lines: [line('X', 1), line('Y', 2)] }, { ...stock, B: { X: u(5), Y: u(1) } }, single());
    // Nobody covers X=1 and Y=2; A is the first with any stock, so A supplies its Y.
    expect(moves(result)).toEqual(['A:Y=1']);
    expect(result.shortfalls.map((s) => [s.lineIndex, s.missingMilli])).toEqual([[0, u(1)], [1, u(1)]]);
    expect(result.explanation[0]!.skipped).toContainEqual({ companyCnpj: 'B', reason: 'single-company-short', availableMilli: u(5) });
  });
});

describe('allocate: shortfall policy', () => {
  const stock: StockSnapshot = { A: { X: u(2), Y: u(1) }, B: { X: u(1) } };
  const order = { lines: [line('X', 3), line('Y', 2)] };

  it('all-or-nothing produces no movements at all and lists the shortfalls', () => {
    const result = allocate(order, stock, policy({ shortfall: 'all-or-nothing' }));
    expect(result.movements).toEqual([]);
    expect(result.complete).toBe(false);
    expect(result.explanation.map((e) => e.outcome)).toEqual(['held', 'short']);
    expect(result.explanation.every((e) => e.chosen.length === 0)).toBe(true);
    expect(result.shortfalls).toEqual([{ lineIndex: 1, sku: 'Y', requestedMilli: u(2), allocatedMilli: 0, availableMilli: u(1), missingMilli: u(1) }]);
    expect(result.explanation[0]!.summary).toBe(
      'Held, nothing allocated: the order cannot be covered in full and the policy is all-or-nothing; available: 2 from Matriz (priority 1), 1 from Filial SP (priority 2).',
    );
    expect(result.explanation[1]!.summary).toContain('available: 1 from Matriz (priority 1); 1 missing');
    // What each line would have taken from each company stays readable, as fields.
    expect(result.explanation.map((e) => e.held)).toEqual([
      [{ companyCnpj: 'A', quantityMilli: u(2) }, { companyCnpj: 'B', quantityMilli: u(1) }],
      [{ companyCnpj: 'A', quantityMilli: u(1) }],
    ]);
  });

  it('all-or-nothing allocates normally when everything is covered', () => {
    const result = allocate({ lines: [line('X', 3)] }, stock, policy({ shortfall: 'all-or-nothing' }));
    expect(moves(result)).toEqual(['A:X=2', 'B:X=1']);
    expect(result.complete).toBe(true);
  });

  it('partial allocates what exists and lists what is missing', () => {
    const result = allocate(order, stock, policy({ shortfall: 'partial' }));
    expect(moves(result)).toEqual(['A:X=2', 'B:X=1', 'A:Y=1']);
    expect(result.complete).toBe(false);
    expect(result.shortfalls).toEqual([{ lineIndex: 1, sku: 'Y', requestedMilli: u(2), allocatedMilli: u(1), availableMilli: u(1), missingMilli: u(1) }]);
    // A short line lists every company it passed over, below the last one used too.
    expect(result.explanation[1]!.summary).toBe(
      '1 from Matriz (priority 1); 1 missing; skipped Filial SP (priority 2): does not list this SKU, Filial RJ (priority 3): does not list this SKU.',
    );
  });
});

describe('allocate: purity', () => {
  it('does not mutate its inputs and gives the same output twice', () => {
    const stock: StockSnapshot = { A: { X: u(2) }, B: { X: u(5) } };
    const input = { lines: [line('X', 3), line('X', 1)] };
    const companies = [FILIAL_RJ, MATRIZ, FILIAL_SP];
    const frozen = JSON.stringify({ stock, input, companies });
    const first = allocate(input, stock, policy({ companies }));
    const second = allocate(input, stock, policy({ companies }));
    expect(second).toEqual(first);
    expect(JSON.stringify({ stock, input, companies })).toBe(frozen);
    expect(GROUP.map((c) => c.cnpj)).toEqual(['A', 'B', 'C']);
  });
});

describe('allocate: bad input is refused with the field named', () => {
  const refusal = (run: () => unknown): ValidationError => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return error as ValidationError;
    }
    throw new Error('expected a ValidationError');
  };

  it('a line without a usable SKU or quantity names the line and says what it got', () => {
    expect(refusal(() => allocate({ lines: [line('X', 1), { sku: '', quantityMilli: 1000, unitPriceCents: 1 }] }, {}, policy())).message).toBe(
      'allocation input: invalid field lines.1.sku: lines.1.sku: must be a non-empty string',
    );
    expect(refusal(() => allocate({ lines: [{ sku: 7 as never, quantityMilli: 1000, unitPriceCents: 1 }] }, {}, policy())).issues).toEqual([
      { path: 'lines.0.sku', message: 'must be a non-empty string' },
    ]);
    expect(refusal(() => allocate({ lines: [{ sku: 'X', quantityMilli: -1, unitPriceCents: 1 }] }, {}, policy())).subject).toBe('allocation input');
    for (const quantityMilli of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -1, 0.5]) {
      expect(refusal(() => allocate({ lines: [line('X', 1), { sku: 'X', quantityMilli, unitPriceCents: 1 }] }, {}, policy())).issues).toEqual([
        { path: 'lines.1.quantityMilli', message: `must be a non-negative integer of milli-units, got ${String(quantityMilli)}` },
      ]);
    }
  });

  it('beside a line without a SKU, a bad line is named by its own index, and the line without a SKU is checked too', () => {
    const noSku = { quantityMilli: 1000, unitPriceCents: 1 };
    expect(refusal(() => allocate({ lines: [noSku, { sku: 'X', quantityMilli: 1.5, unitPriceCents: 1 }] }, {}, policy())).issues).toEqual([
      { path: 'lines.1.quantityMilli', message: 'must be a non-negative integer of milli-units, got 1.5' },
    ]);
    expect(refusal(() => allocate({ lines: [noSku, line('X', 1), { sku: '', quantityMilli: 1000, unitPriceCents: 1 }] }, {}, policy())).issues).toEqual([
      { path: 'lines.2.sku', message: 'must be a non-empty string' },
    ]);
    expect(refusal(() => allocate({ lines: [line('X', 1), { quantityMilli: -5, unitPriceCents: 1 }] }, {}, policy())).issues).toEqual([
      { path: 'lines.1.quantityMilli', message: 'must be a non-negative integer of milli-units, got -5' },
    ]);
  });

  it('a policy with an unknown strategy or shortfall, or a maxCompanies that is not a positive integer, lists every issue', () => {
    const error = refusal(() => allocate({ lines: [] }, {}, policy({ strategy: 'random' as never, shortfall: 'some' as never, maxCompanies: 1.5 })));
    expect(error.subject).toBe('allocation policy');
    expect(error.issues).toEqual([
      { path: 'strategy', message: 'unknown strategy random' },
      { path: 'shortfall', message: 'unknown shortfall policy some' },
      { path: 'maxCompanies', message: 'must be a positive integer, got 1.5' },
    ]);
    for (const maxCompanies of [0, -1, Number.NaN, 2 ** 53]) {
      expect(refusal(() => allocate({ lines: [] }, {}, policy({ strategy: 'fewest-companies', maxCompanies }))).issues).toEqual([
        { path: 'maxCompanies', message: `must be a positive integer, got ${String(maxCompanies)}` },
      ]);
    }
    // 1 is the smallest limit there is, and is accepted.
    expect(allocate({ lines: [line('X', 1)] }, { A: { X: u(1) } }, policy({ strategy: 'fewest-companies', maxCompanies: 1 })).complete).toBe(true);
  });

  it('a CNPJ listed twice in the policy names the CNPJ, wherever the two entries sit', () => {
    const twice = refusal(() => allocate({ lines: [] }, {}, policy({ companies: [MATRIZ, FILIAL_SP, FILIAL_RJ, { ...FILIAL_SP, priority: 7 }] })));
    expect(twice.subject).toBe('allocation policy');
    expect(twice.issues).toEqual([{ path: 'companies', message: 'CNPJ B is listed twice' }]);
    expect(refusal(() => allocate({ lines: [] }, {}, policy({ companies: [{ ...FILIAL_RJ, priority: 0 }, MATRIZ, FILIAL_RJ] }))).issues).toEqual([
      { path: 'companies', message: 'CNPJ C is listed twice' },
    ]);
  });
});
