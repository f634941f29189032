import { describe, expect, it } from 'vitest';
import {
  allocate,
  type AllocationLineInput,
  type AllocationPolicyOptions,
  type AllocationResult,
  type LineExplanation,
  type PlannedMovement,
  type Shortfall,
  type SkipReason,
  type StockSnapshot,
} from '../src/allocator/index.js';
import { buildContext } from '../src/allocator/context.js';
import { selectFewest } from '../src/allocator/select.js';
import type { Company } from '../src/models/company.js';
import { formatQuantity } from '../src/money/quantity.js';
import { mulberry32 } from '../../../tests/support/prng.js';

/*
 * The allocator against a plain reference model of what its documentation promises, over two thousand small
 * seeded scenarios: every movement, every explanation (outcome, chosen, skipped with reasons and amounts, held, the
 * sentence people read) and every shortfall must match. The model is written for clarity, not speed (fewest-companies by brute force over
 * subsets), so a bug in the fast implementation's search, buffers or bookkeeping shows as a difference. Unlike
 * allocator.property.test.ts (random, shrinking, hundreds of runs per property) it is deterministic and quick enough
 * to judge every mutant of a mutation run.
 */

// ---------------------------------------------------------------------------------------------------------------
// The reference model

interface ModelCompany extends Company {}

const usable = (raw: number | undefined): number => (typeof raw === 'number' && raw > 0 && raw !== Infinity ? Math.floor(raw) : 0);

function sortByPriority(companies: readonly Company[]): ModelCompany[] {
  return [...companies].sort((a, b) => a.priority - b.priority || (a.cnpj < b.cnpj ? -1 : a.cnpj > b.cnpj ? 1 : 0));
}

/** The sentence people read for a line, as the explanation documents it. */
const REASON_TEXT: Record<SkipReason, (max: number | undefined) => string> = {
  inactive: () => 'inactive',
  'no-stock': () => 'no stock',
  'unknown-sku': () => 'does not list this SKU',
  'not-chosen': () => 'not needed by the smallest split',
  'over-company-limit': (max) => (max === undefined ? 'over the company limit' : `over the limit of ${max} companies`),
  'single-company-short': () => 'cannot supply the whole order alone',
};
const named = (company: Company) => `${company.name} (priority ${company.priority})`;

function modelSummary(line: LineExplanation, chosenFrom: LineExplanation['chosen'], companies: Company[], maxCompanies: number | undefined, held: boolean): string {
  const byCnpj = new Map(companies.map((company) => [company.cnpj, company]));
  const missing = line.requestedMilli - chosenFrom.reduce((sum, part) => sum + part.quantityMilli, 0);
  if (line.requestedMilli === 0) return 'Nothing to allocate: quantity 0.';
  if (line.outcome === 'unknown-sku') return `Unknown SKU ${line.sku}: no company in the group lists it; ${formatQuantity(missing)} missing.`;
  const chosen = chosenFrom.map((part) => `${formatQuantity(part.quantityMilli)} from ${named(byCnpj.get(part.companyCnpj)!)}`).join(', ');
  const skipped = line.skipped.map((skip) => `${named(byCnpj.get(skip.companyCnpj)!)}: ${REASON_TEXT[skip.reason](maxCompanies)}`).join(', ');
  let text = held
    ? `Held, nothing allocated: the order cannot be covered in full and the policy is all-or-nothing; ${chosen === '' ? `nothing available for SKU ${line.sku}` : `available: ${chosen}`}`
    : chosen === ''
      ? `Nothing available for SKU ${line.sku}`
      : chosen;
  if (missing > 0) text += `; ${formatQuantity(missing)} missing`;
  if (skipped !== '') text += `; skipped ${skipped}`;
  return `${text}.`;
}

interface Fill {
  movements: PlannedMovement[];
  explanation: LineExplanation[];
  shortfalls: Shortfall[];
  complete: boolean;
}

/** Lines in order, each from the allowed companies by priority, one shared balance per company and SKU. */
function modelFill(lines: readonly AllocationLineInput[], stock: StockSnapshot, companies: ModelCompany[], allowed: Set<string>, outsideReason: SkipReason, maxCompanies: number | undefined): Fill {
  const remaining = new Map<string, number>();
  const key = (cnpj: string, sku: string) => `${cnpj}|${sku}`;
  for (const company of companies) for (const line of lines) remaining.set(key(company.cnpj, line.sku!), usable(stock[company.cnpj]?.[line.sku!]));
  const fill: Fill = { movements: [], explanation: [], shortfalls: [], complete: true };
  lines.forEach((line, lineIndex) => {
    const sku = line.sku!;
    let need = line.quantityMilli;
    const chosen: LineExplanation['chosen'] = [];
    const skipped: LineExplanation['skipped'] = [];
    for (const company of companies) {
      if (need <= 0) break;
      const have = remaining.get(key(company.cnpj, sku))!;
      let reason: SkipReason;
      if (!company.active) reason = 'inactive';
      else if (allowed.has(company.cnpj) && have > 0) {
        const take = Math.min(have, need);
        remaining.set(key(company.cnpj, sku), have - take);
        need -= take;
        chosen.push({ companyCnpj: company.cnpj, quantityMilli: take });
        fill.movements.push({ lineIndex, sku, companyCnpj: company.cnpj, quantityMilli: take, unitPriceCents: line.unitPriceCents });
        continue;
      } else if (have > 0) reason = outsideReason;
      else reason = typeof stock[company.cnpj]?.[sku] === 'number' ? 'no-stock' : 'unknown-sku';
      skipped.push({ companyCnpj: company.cnpj, reason, availableMilli: have });
    }
    const allocated = line.quantityMilli - need;
    const listedAnywhere = companies.some((company) => typeof stock[company.cnpj]?.[sku] === 'number');
    const outcome = need === 0 ? 'covered' : !listedAnywhere ? 'unknown-sku' : allocated > 0 ? 'partial' : 'short';
    if (need > 0) {
      fill.complete = false;
      fill.shortfalls.push({ lineIndex, sku, requestedMilli: line.quantityMilli, allocatedMilli: allocated, availableMilli: allocated, missingMilli: need });
    }
    const explained: LineExplanation = { lineIndex, outcome, sku, requestedMilli: line.quantityMilli, chosen, skipped, summary: '' };
    explained.summary = modelSummary(explained, chosen, companies, maxCompanies, false);
    fill.explanation.push(explained);
  });
  return fill;
}

/** Per SKU: what the order asks for, capped at what the active companies hold together. */
function targets(lines: readonly AllocationLineInput[], stock: StockSnapshot, companies: ModelCompany[]): Map<string, number> {
  const target = new Map<string, number>();
  for (const sku of new Set(lines.map((line) => line.sku!))) {
    const demand = lines.filter((line) => line.sku === sku).reduce((sum, line) => sum + line.quantityMilli, 0);
    const group = companies.filter((c) => c.active).reduce((sum, c) => sum + usable(stock[c.cnpj]?.[sku]), 0);
    target.set(sku, Math.min(demand, group));
  }
  return target;
}

/** Subsets of `items` of size k, in lexicographic order of positions (priority order). */
function* combinations<T>(items: readonly T[], k: number, start = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - k; i++) for (const rest of combinations(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}

function modelFewest(lines: readonly AllocationLineInput[], stock: StockSnapshot, companies: ModelCompany[], maxCompanies: number | undefined): { allowed: Set<string>; outsideReason: SkipReason } {
  const target = targets(lines, stock, companies);
  const wanted = [...target].filter(([, amount]) => amount > 0).map(([sku]) => sku);
  if (wanted.length === 0) return { allowed: new Set(), outsideReason: 'not-chosen' };
  const candidates = companies.filter((c) => c.active && wanted.some((sku) => usable(stock[c.cnpj]?.[sku]) > 0));
  const bound = Math.min(maxCompanies ?? candidates.length, candidates.length);
  const covers = (set: ModelCompany[]) => [...target].every(([sku, amount]) => set.reduce((sum, c) => sum + usable(stock[c.cnpj]?.[sku]), 0) >= amount);
  for (let size = 1; size <= bound; size++) {
    for (const set of combinations(candidates, size)) if (covers(set)) return { allowed: new Set(set.map((c) => c.cnpj)), outsideReason: 'not-chosen' };
  }
  // Nothing within the bound: the companies adding the most still-missing quantity, ties to priority.
  const covered = new Map<string, number>();
  const taken = new Set<string>();
  while (taken.size < bound) {
    let best: ModelCompany | undefined;
    let bestGain = 0;
    for (const c of candidates) {
      if (taken.has(c.cnpj)) continue;
      let gain = 0;
      for (const [sku, amount] of target) gain += Math.min(Math.max(amount - (covered.get(sku) ?? 0), 0), usable(stock[c.cnpj]?.[sku]));
      if (gain > bestGain) [best, bestGain] = [c, gain];
    }
    if (!best) break;
    taken.add(best.cnpj);
    for (const sku of target.keys()) covered.set(sku, (covered.get(sku) ?? 0) + usable(stock[best.cnpj]?.[sku]));
  }
  return { allowed: taken, outsideReason: 'over-company-limit' };
}

function modelSingle(lines: readonly AllocationLineInput[], stock: StockSnapshot, companies: ModelCompany[]): { allowed: Set<string>; outsideReason: SkipReason } {
  const demand = new Map<string, number>();
  for (const line of lines) demand.set(line.sku!, (demand.get(line.sku!) ?? 0) + line.quantityMilli);
  const asked = [...demand].filter(([, need]) => need > 0);
  const active = companies.filter((c) => c.active);
  const whole = active.find((c) => asked.every(([sku, need]) => usable(stock[c.cnpj]?.[sku]) >= need));
  const some = active.find((c) => asked.some(([sku]) => usable(stock[c.cnpj]?.[sku]) > 0));
  const pick = whole ?? some;
  return { allowed: new Set(pick ? [pick.cnpj] : []), outsideReason: 'single-company-short' };
}

function modelPlan(lines: readonly AllocationLineInput[], stock: StockSnapshot, policy: AllocationPolicyOptions): Fill {
  const companies = sortByPriority(policy.companies);
  const selection =
    policy.strategy === 'priority-greedy'
      ? { allowed: new Set(companies.filter((c) => c.active).map((c) => c.cnpj)), outsideReason: 'not-chosen' as const }
      : policy.strategy === 'fewest-companies'
        ? modelFewest(lines, stock, companies, policy.maxCompanies)
        : modelSingle(lines, stock, companies);
  return modelFill(lines, stock, companies, selection.allowed, selection.outsideReason, policy.strategy === 'fewest-companies' ? policy.maxCompanies : undefined);
}

function modelHold(fill: Fill, policy: AllocationPolicyOptions): Fill {
  const companies = sortByPriority(policy.companies);
  const max = policy.strategy === 'fewest-companies' ? policy.maxCompanies : undefined;
  return {
    movements: [],
    complete: false,
    shortfalls: fill.shortfalls.map((s) => ({ ...s, allocatedMilli: 0 })),
    explanation: fill.explanation.map((line) => {
      const outcome = line.outcome === 'covered' && line.requestedMilli > 0 ? 'held' : line.outcome === 'partial' ? 'short' : line.outcome;
      const held: LineExplanation = { ...line, outcome, chosen: [], ...(line.chosen.length ? { held: line.chosen } : {}) };
      return { ...held, summary: modelSummary(held, line.chosen, companies, max, true) };
    }),
  };
}

function model(lines: readonly AllocationLineInput[], stock: StockSnapshot, policy: AllocationPolicyOptions): Omit<AllocationResult, 'explanation'> & { explanation: LineExplanation[] } {
  const matched = lines.flatMap((line, index) => (line.sku === undefined ? [] : [index]));
  if (matched.length === lines.length) {
    const fill = modelPlan(lines, stock, policy);
    return fill.complete || policy.shortfall === 'partial' ? fill : modelHold(fill, policy);
  }
  const planned = modelPlan(matched.map((index) => lines[index]!), stock, policy);
  const fill = policy.shortfall === 'partial' ? planned : modelHold(planned, policy);
  const renumber = <T extends { lineIndex: number }>(item: T): T => ({ ...item, lineIndex: matched[item.lineIndex]! });
  const byLine = new Map(fill.explanation.map((line) => [matched[line.lineIndex]!, renumber(line)]));
  return {
    movements: fill.movements.map(renumber),
    shortfalls: fill.shortfalls.map(renumber),
    complete: false,
    explanation: lines.map(
      (line, lineIndex) =>
        byLine.get(lineIndex) ?? { lineIndex, outcome: 'unmatched', requestedMilli: line.quantityMilli, chosen: [], skipped: [], summary: 'No SKU: the line gets no movement until a person maps it to a SKU.' },
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded scenarios

const STOCK_VALUES = [0, 500, 1000, 1000, 2000, 2000, 3000, 4000, 1500.7, -1000, Number.NaN, Number.POSITIVE_INFINITY];
const QUANTITIES = [0, 500, 1000, 1000, 2000, 2000, 3000, 1250];

interface Scenario {
  lines: AllocationLineInput[];
  stock: StockSnapshot;
  policy: AllocationPolicyOptions;
}

function scenario(seed: number, options: { unmatched: boolean }): Scenario {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const companyCount = 1 + Math.floor(random() * 6);
  const skus = ['P1', 'P2', 'P3', 'P4'].slice(0, 1 + Math.floor(random() * 4));
  // Priorities may tie (the CNPJ then decides); CNPJs are listed in shuffled order.
  const companies: Company[] = Array.from({ length: companyCount }, (_, i) => ({
    cnpj: `C${String.fromCharCode(72 - i)}`,
    name: `Empresa ${i}`,
    priority: 1 + Math.floor(random() * 5),
    active: random() > 0.15,
  }));
  for (let i = companies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [companies[i], companies[j]] = [companies[j]!, companies[i]!];
  }
  const stock: Record<string, Record<string, number>> = {};
  for (const company of companies) {
    if (random() < 0.1) continue;
    const row: Record<string, number> = {};
    for (const sku of skus) if (random() < 0.8) row[sku] = pick(STOCK_VALUES);
    stock[company.cnpj] = row;
  }
  const lineCount = Math.floor(random() * 6);
  const lines: AllocationLineInput[] = Array.from({ length: lineCount }, () => {
    const sku = options.unmatched && random() < 0.25 ? undefined : random() < 0.1 ? 'GHOST' : pick(skus);
    return { ...(sku === undefined ? {} : { sku }), quantityMilli: pick(QUANTITIES), unitPriceCents: Math.floor(random() * 10_000) };
  });
  const strategy = pick(['priority-greedy', 'fewest-companies', 'fewest-companies', 'single-company-only'] as const);
  const maxCompanies = strategy === 'fewest-companies' && random() < 0.5 ? 1 + Math.floor(random() * 3) : undefined;
  return {
    lines,
    stock,
    policy: { companies, strategy, shortfall: pick(['partial', 'all-or-nothing'] as const), ...(maxCompanies === undefined ? {} : { maxCompanies }) },
  };
}

function expectMatchesModel(s: Scenario, label: string): AllocationResult {
  const actual = allocate({ lines: s.lines }, s.stock, s.policy);
  expect(actual, `${label}: ${JSON.stringify(s)}`).toEqual(model(s.lines, s.stock, s.policy));
  return actual;
}

describe('allocate against the reference model', () => {
  it('matches on 1,500 small scenarios: every strategy and shortfall policy, tied priorities, bad stock figures', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 1_500; seed++) {
      const s = scenario(seed, { unmatched: false });
      const result = expectMatchesModel(s, `seed ${seed}`);
      for (const line of result.explanation) seen.add(`${s.policy.strategy}/${line.outcome}`);
      for (const line of result.explanation) for (const skip of line.skipped) seen.add(`${s.policy.strategy}/${skip.reason}`);
    }
    // The scenarios reach every outcome and every skip reason of every strategy that can give it.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'fewest-companies/covered', 'fewest-companies/held', 'fewest-companies/not-chosen', 'fewest-companies/over-company-limit',
        'fewest-companies/partial', 'fewest-companies/short', 'fewest-companies/unknown-sku', 'fewest-companies/inactive', 'fewest-companies/no-stock',
        'priority-greedy/covered', 'priority-greedy/held', 'priority-greedy/partial', 'priority-greedy/short', 'priority-greedy/unknown-sku',
        'priority-greedy/inactive', 'priority-greedy/no-stock',
        'single-company-only/covered', 'single-company-only/held', 'single-company-only/single-company-short', 'single-company-only/partial',
        'single-company-only/short', 'single-company-only/inactive', 'single-company-only/no-stock', 'single-company-only/unknown-sku',
      ]),
    );
  });

  it('matches with lines no person has mapped to a SKU yet', () => {
    let unmatched = 0;
    for (let seed = 10_001; seed <= 10_600; seed++) {
      const s = scenario(seed, { unmatched: true });
      if (s.lines.some((line) => line.sku === undefined)) unmatched += 1;
      expectMatchesModel(s, `seed ${seed}`);
    }
    expect(unmatched).toBeGreaterThan(150);
  });
});

describe('allocate: orders and groups larger than the scratch buffers', () => {
  // 40 companies x 90 SKUs x 150 lines: past every initial buffer size (32 companies, 64 SKUs and lines, 256 cells).
  const companies: Company[] = Array.from({ length: 40 }, (_, i) => ({ cnpj: `B${String(i).padStart(2, '0')}`, name: `Filial ${i}`, priority: i + 1, active: i % 7 !== 3 }));
  const skus = Array.from({ length: 90 }, (_, s) => `SKU-${s}`);
  const lines: AllocationLineInput[] = Array.from({ length: 150 }, (_, i) => ({ sku: skus[(i * 7) % skus.length]!, quantityMilli: 1000 * (1 + (i % 3)), unitPriceCents: 100 + i }));

  it('priority-greedy fills every line exactly as the model does', () => {
    const stock: Record<string, Record<string, number>> = {};
    companies.forEach((company, c) => (stock[company.cnpj] = Object.fromEntries(skus.map((sku, s) => [sku, ((c + s) % 5) * 1000]))));
    const s: Scenario = { lines, stock, policy: { companies, strategy: 'priority-greedy', shortfall: 'partial' } };
    const result = expectMatchesModel(s, 'large greedy');
    expect(result.complete).toBe(true);
    expect(new Set(result.movements.map((m) => m.companyCnpj)).size).toBeGreaterThanOrEqual(4);
  });

  it('fewest-companies finds the one company, low in priority, that holds the whole order', () => {
    const stock: Record<string, Record<string, number>> = {};
    companies.forEach((company, c) => (stock[company.cnpj] = Object.fromEntries(skus.map((sku, s) => [sku, c === 37 ? 1_000_000 : ((c + s) % 3) * 1000]))));
    const result = expectMatchesModel({ lines, stock, policy: { companies, strategy: 'fewest-companies', shortfall: 'all-or-nothing' } }, 'large fewest');
    expect(new Set(result.movements.map((m) => m.companyCnpj))).toEqual(new Set(['B37']));
    expect(result.explanation[0]!.skipped.filter((skip) => skip.reason === 'inactive').map((skip) => skip.companyCnpj)).toEqual(['B03', 'B10', 'B17', 'B24', 'B31']);
  });

  it('fewest-companies splits the order between the two companies that hold half of it each', () => {
    const stock: Record<string, Record<string, number>> = {};
    companies.forEach((company, c) => (stock[company.cnpj] = Object.fromEntries(skus.map((sku, s) => [sku, (c === 22 && s % 2 === 0) || (c === 35 && s % 2 === 1) ? 1_000_000 : s % 11 === c % 11 ? 1000 : 0]))));
    const result = expectMatchesModel({ lines, stock, policy: { companies, strategy: 'fewest-companies', shortfall: 'all-or-nothing' } }, 'large split');
    expect(new Set(result.movements.map((m) => m.companyCnpj))).toEqual(new Set(['B22', 'B35']));
  });

  it('fewest-companies counts every SKU past the 64th: the company holding only those is still chosen', () => {
    const wide = Array.from({ length: 70 }, (_, s) => `W-${s}`);
    const stock: Record<string, Record<string, number>> = {};
    companies.forEach((company, c) => (stock[company.cnpj] = Object.fromEntries(wide.map((sku, s) => [sku, c === 4 && s < 64 ? 1_000_000 : c === 39 && s >= 64 ? 1_000_000 : (c + s) % 9 === 0 ? 1000 : 0]))));
    const wideLines = wide.map((sku, i) => ({ sku, quantityMilli: 5000, unitPriceCents: 100 + i }));
    const result = expectMatchesModel({ lines: wideLines, stock, policy: { companies, strategy: 'fewest-companies', shortfall: 'partial' } }, 'wide fewest');
    expect(result.complete).toBe(true);
    expect(new Set(result.movements.map((m) => m.companyCnpj))).toEqual(new Set(['B04', 'B39']));
  });

  it('fewest-companies searches as deep as the group: an order only all twelve companies together can serve', () => {
    const twelve = companies.slice(0, 12).map((company) => ({ ...company, active: true }));
    const skus30 = Array.from({ length: 30 }, (_, s) => `T-${s}`);
    const stock: Record<string, Record<string, number>> = {};
    // Company c alone holds T-c (c < 12); the Matriz also holds every other SKU.
    twelve.forEach((company, c) => (stock[company.cnpj] = Object.fromEntries(skus30.map((sku, s) => [sku, s === c || (c === 0 && s >= 12) ? 3000 : 0]))));
    const lines30 = skus30.map((sku) => ({ sku, quantityMilli: 1000, unitPriceCents: 1 }));
    const result = expectMatchesModel({ lines: lines30, stock, policy: { companies: twelve, strategy: 'fewest-companies', shortfall: 'all-or-nothing' } }, 'deep fewest');
    expect(result.complete).toBe(true);
    expect(new Set(result.movements.map((m) => m.companyCnpj)).size).toBe(12);
  });

  it('single-company-only takes the first company by priority that holds the whole order', () => {
    const stock: Record<string, Record<string, number>> = {};
    companies.forEach((company, c) => (stock[company.cnpj] = Object.fromEntries(skus.map((sku) => [sku, c >= 33 ? 1_000_000 : 1000]))));
    const result = expectMatchesModel({ lines, stock, policy: { companies, strategy: 'single-company-only', shortfall: 'partial' } }, 'large single');
    expect(new Set(result.movements.map((m) => m.companyCnpj))).toEqual(new Set(['B33']));
  });
});

/** What fewest-companies falls back on once its search budget is spent: the smaller of two heuristic covers. */
function modelFallback(lines: readonly AllocationLineInput[], stock: StockSnapshot, companies: ModelCompany[], maxCompanies: number | undefined): { allowed: string[]; outsideReason: SkipReason } {
  const target = targets(lines, stock, companies);
  const wanted = [...target].filter(([, amount]) => amount > 0).map(([sku]) => sku);
  if (wanted.length === 0) return { allowed: [], outsideReason: 'not-chosen' };
  const candidates = companies.filter((c) => c.active && wanted.some((sku) => usable(stock[c.cnpj]?.[sku]) > 0));
  const bound = Math.min(maxCompanies ?? candidates.length, candidates.length);
  // Priority-greedy's companies: per SKU, walk by priority until the target is met.
  const greedy = new Set<string>();
  for (const [sku, amount] of target) {
    let left = amount;
    for (const c of candidates) {
      if (left <= 0) break;
      const have = usable(stock[c.cnpj]?.[sku]);
      if (have > 0) {
        greedy.add(c.cnpj);
        left -= have;
      }
    }
  }
  const marginal = (limit: number): string[] => {
    const covered = new Map<string, number>();
    const taken: string[] = [];
    while (taken.length < limit) {
      let best: ModelCompany | undefined;
      let bestGain = 0;
      for (const c of candidates) {
        if (taken.includes(c.cnpj)) continue;
        let gain = 0;
        for (const [sku, amount] of target) gain += Math.min(Math.max(amount - (covered.get(sku) ?? 0), 0), usable(stock[c.cnpj]?.[sku]));
        if (gain > bestGain) [best, bestGain] = [c, gain];
      }
      if (!best) break;
      taken.push(best.cnpj);
      for (const sku of target.keys()) covered.set(sku, (covered.get(sku) ?? 0) + usable(stock[best.cnpj]?.[sku]));
    }
    return taken;
  };
  const byPriority = (cnpjs: Iterable<string>) => companies.filter((c) => [...cnpjs].includes(c.cnpj)).map((c) => c.cnpj);
  const unbounded = marginal(candidates.length);
  const best = unbounded.length < greedy.size ? byPriority(unbounded) : byPriority(greedy);
  if (best.length <= bound) return { allowed: best, outsideReason: 'not-chosen' };
  return { allowed: byPriority(marginal(bound)), outsideReason: 'over-company-limit' };
}

describe('fewest-companies once the search budget is spent', () => {
  it('takes the smaller of the priority-greedy and the marginal-gain covers, within maxCompanies, on 1,500 scenarios', () => {
    let fellBack = 0;
    for (let seed = 20_001; seed <= 21_500; seed++) {
      const s = scenario(seed, { unmatched: false });
      const maxCompanies = seed % 3 === 0 ? 1 + (seed % 4) : undefined;
      const ctx = buildContext({ lines: s.lines }, s.stock, s.policy.companies);
      const selection = selectFewest(ctx, maxCompanies, 1);
      const allowed = ctx.companies.filter((_, c) => selection.allowed[c] === 1).map((c) => c.cnpj);
      const expected = modelFallback(s.lines, s.stock, sortByPriority(s.policy.companies), maxCompanies);
      expect({ allowed, outsideReason: selection.outsideReason }, `seed ${seed}: ${JSON.stringify(s)}`).toEqual(expected);
      if (allowed.length > 1) fellBack += 1;
    }
    expect(fellBack).toBeGreaterThan(100);
  });
});
