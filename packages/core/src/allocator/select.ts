import { atLeast, type AllocationContext } from './context.js';
import type { SkipReason } from './types.js';

/**
 * Which companies a strategy lets the lines draw from. Every strategy then fills lines the same way (in line order,
 * companies in priority order, within the allowed set), so strategies differ only in the set they pick.
 */
export interface Selection {
  /** 1 per allowed company index. Scratch buffer: valid until the next call. */
  allowed: Uint8Array;
  /** Why a company outside the set that still had stock for a line was passed over. */
  outsideReason: SkipReason;
}

let allowedBuf = new Uint8Array(32);
let targetBuf = new Float64Array(64);
let sumsBuf = new Float64Array(256);
let candidatesBuf = new Int32Array(32);
let comboBuf = new Int32Array(32);
let suffixMaxBuf = new Float64Array(256);
let skuOrderBuf = new Int32Array(64);
let holdersBuf = new Int32Array(64);

/**
 * Upper bound on subsets the exact fewest-companies search checks. Orders that need many companies out of a big group
 * would otherwise explode combinatorially; past the budget a heuristic cover is used (never larger than the one
 * priority-greedy would use).
 */
export const SEARCH_BUDGET = 50_000;

function resetAllowed(companyCount: number): Uint8Array {
  allowedBuf = atLeast(allowedBuf, companyCount, Uint8Array);
  allowedBuf.fill(0, 0, companyCount);
  return allowedBuf;
}

export function selectAllActive(ctx: AllocationContext): Selection {
  const allowed = resetAllowed(ctx.companyCount);
  for (let c = 0; c < ctx.companyCount; c++) allowed[c] = ctx.companies[c]!.active ? 1 : 0;
  return { allowed, outsideReason: 'not-chosen' };
}

/**
 * The first active company, by priority, that holds every SKU of the order in full. Without one, the first active
 * company that holds anything the order asks for: with the partial policy it supplies what it has, with
 * all-or-nothing it only shapes the explanation.
 */
export function selectSingle(ctx: AllocationContext): Selection {
  const { companies, companyCount, skuCount, stock, demand } = ctx;
  const allowed = resetAllowed(companyCount);
  let fallback = -1;
  for (let c = 0; c < companyCount; c++) {
    if (!companies[c]!.active) continue;
    const base = c * skuCount;
    let coversAll = true;
    let holdsAny = false;
    for (let s = 0; s < skuCount; s++) {
      const need = demand[s]!;
      if (need === 0) continue;
      const have = stock[base + s]!;
      if (have < need) coversAll = false;
      if (have > 0) holdsAny = true;
    }
    if (coversAll) {
      allowed[c] = 1;
      return { allowed, outsideReason: 'single-company-short' };
    }
    if (holdsAny && fallback < 0) fallback = c;
  }
  if (fallback >= 0) allowed[fallback] = 1;
  return { allowed, outsideReason: 'single-company-short' };
}

/**
 * The smallest set of active companies that supplies everything the group can supply for this order (the whole
 * order when the group holds enough), at most `maxCompanies` of them. Among sets of the same size the one whose
 * priorities sort first wins ([1, 4] before [2, 3]), because subsets are enumerated in that order and the first
 * that fits is taken. When no set within the bound fits, a greedy maximum-coverage pick of `maxCompanies` companies
 * is used and companies left out are reported as over the limit.
 */
export function selectFewest(ctx: AllocationContext, maxCompanies: number | undefined, budget = SEARCH_BUDGET): Selection {
  const { companies, companyCount, skuCount, stock, demand, groupStock } = ctx;
  const allowed = resetAllowed(companyCount);

  const target = (targetBuf = atLeast(targetBuf, skuCount, Float64Array));
  let anyTarget = false;
  for (let s = 0; s < skuCount; s++) {
    // Aim at what the group can actually give: a set that holds all of it is as good as any for a short order.
    target[s] = Math.min(demand[s]!, groupStock[s]!);
    if (target[s]! > 0) anyTarget = true;
  }
  if (!anyTarget) return { allowed, outsideReason: 'not-chosen' };

  const candidates = (candidatesBuf = atLeast(candidatesBuf, companyCount, Int32Array));
  comboBuf = atLeast(comboBuf, companyCount, Int32Array);
  let candidateCount = 0;
  for (let c = 0; c < companyCount; c++) {
    if (!companies[c]!.active) continue;
    const base = c * skuCount;
    for (let s = 0; s < skuCount; s++) {
      if (target[s]! > 0 && stock[base + s]! > 0) {
        candidates[candidateCount++] = c;
        break;
      }
    }
  }

  const bound = Math.min(maxCompanies ?? candidateCount, candidateCount);
  sumsBuf = atLeast(sumsBuf, bound * skuCount, Float64Array);
  fillSuffixMax(ctx, candidates, candidateCount);
  fillSkuOrder(ctx, target, candidates, candidateCount);
  const search: Search = { ctx, target, candidates, candidateCount, size: 0, budget };
  for (let size = 1; size <= bound; size++) {
    search.size = size;
    if (searchCombos(search, 0, 0)) {
      for (let d = 0; d < size; d++) allowed[candidates[comboBuf[d]!]!] = 1;
      return { allowed, outsideReason: 'not-chosen' };
    }
    if (search.budget <= 0) break;
  }

  if (search.budget <= 0) {
    // Budget exhausted before an answer: fall back to heuristics, keeping the smaller of two covers.
    const greedy = priorityGreedyCover(ctx, target, candidates, candidateCount);
    const marginal = marginalCover(ctx, target, candidates, candidateCount, candidateCount);
    const best = marginal.length < greedy.length ? marginal : greedy;
    if (best.length <= bound) {
      for (const c of best) allowed[c] = 1;
      return { allowed, outsideReason: 'not-chosen' };
    }
  }

  for (const c of marginalCover(ctx, target, candidates, candidateCount, bound)) allowed[c] = 1;
  return { allowed, outsideReason: 'over-company-limit' };
}

interface Search {
  ctx: AllocationContext;
  target: Float64Array;
  candidates: Int32Array;
  candidateCount: number;
  size: number;
  budget: number;
}

/**
 * Depth-first over combinations of `size` candidates in priority order, with running per-SKU sums per depth. Checks
 * walk SKUs rarest first (`skuOrder`) and stop at the first shortfall, so failing subsets are rejected after a few reads.
 */
function searchCombos(search: Search, depth: number, start: number): boolean {
  const { ctx, target, candidates, candidateCount, size } = search;
  const { skuCount, stock } = ctx;
  const sums = sumsBuf;
  const order = skuOrderBuf;
  const row = depth * skuCount;
  const previous = row - skuCount;
  for (let i = start; i <= candidateCount - (size - depth); i++) {
    const base = candidates[i]! * skuCount;
    comboBuf[depth] = i;
    // The budget counts every node, so pruned searches and leaf checks share one bound on work.
    if (--search.budget <= 0) return false;
    if (depth === size - 1) {
      let covers = true;
      for (let k = 0; k < skuCount; k++) {
        const s = order[k]!;
        if ((depth === 0 ? 0 : sums[previous + s]!) + stock[base + s]! < target[s]!) {
          covers = false;
          break;
        }
      }
      if (covers) return true;
      continue;
    }
    for (let s = 0; s < skuCount; s++) sums[row + s] = (depth === 0 ? 0 : sums[previous + s]!) + stock[base + s]!;
    if (!canStillCover(search, row, i + 1, size - depth - 1)) continue;
    if (searchCombos(search, depth + 1, i + 1)) return true;
    if (search.budget <= 0) return false;
  }
  return false;
}

/** SKUs ordered by how few candidates hold any of them, so coverage checks hit the likely shortfall first. */
function fillSkuOrder(ctx: AllocationContext, target: Float64Array, candidates: Int32Array, count: number): void {
  const { skuCount, stock } = ctx;
  skuOrderBuf = atLeast(skuOrderBuf, skuCount, Int32Array);
  holdersBuf = atLeast(holdersBuf, skuCount, Int32Array);
  const holders = holdersBuf;
  for (let s = 0; s < skuCount; s++) {
    let n = 0;
    // Stryker disable next-line all: equivalent, the order in which SKUs are checked decides only how soon a failing check stops, never its answer nor the nodes the search counts
    for (let i = 0; i < count; i++) if (stock[candidates[i]! * skuCount + s]! > 0) n++;
    // A SKU with nothing to cover needs no check at all; rank it last.
    // Stryker disable next-line all: equivalent, as above
    holders[s] = target[s]! > 0 ? n : count + 1;
    skuOrderBuf[s] = s;
  }
  // Insertion sort: SKU counts are small and this keeps ties in line order (deterministic).
  // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent, an unsorted order is still every SKU once
  for (let k = 1; k < skuCount; k++) {
    const s = skuOrderBuf[k]!;
    let j = k - 1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: equivalent, any ranking is still every SKU once
    while (j >= 0 && holders[skuOrderBuf[j]!]! > holders[s]!) {
      skuOrderBuf[j + 1] = skuOrderBuf[j]!;
      j--;
    }
    skuOrderBuf[j + 1] = s;
  }
}

/**
 * `suffixMax[i][s]`: the most any candidate from position i on holds of SKU s. Adding r more of them can raise a sum by
 * at most r times that, which prunes most branches of multi-SKU orders early without changing which set is found first.
 */
function fillSuffixMax(ctx: AllocationContext, candidates: Int32Array, count: number): void {
  const { skuCount, stock } = ctx;
  const cells = (count + 1) * skuCount;
  suffixMaxBuf = atLeast(suffixMaxBuf, cells, Float64Array);
  const suffixMax = suffixMaxBuf;
  suffixMax.fill(0, count * skuCount, cells);
  for (let i = count - 1; i >= 0; i--) {
    const base = candidates[i]! * skuCount;
    const row = i * skuCount;
    const next = row + skuCount;
    for (let s = 0; s < skuCount; s++) {
      const have = stock[base + s]!;
      const after = suffixMax[next + s]!;
      suffixMax[row + s] = have > after ? have : after;
    }
  }
}

function canStillCover(search: Search, row: number, from: number, picks: number): boolean {
  const { target, ctx } = search;
  const skuCount = ctx.skuCount;
  const sums = sumsBuf;
  const suffixMax = suffixMaxBuf;
  const suffixRow = from * skuCount;
  const order = skuOrderBuf;
  for (let k = 0; k < skuCount; k++) {
    const s = order[k]!;
    if (sums[row + s]! + picks * suffixMax[suffixRow + s]! < target[s]!) return false;
  }
  return true;
}

/** The companies priority-greedy would draw from: per SKU, walk by priority until the target is met. */
function priorityGreedyCover(ctx: AllocationContext, target: Float64Array, candidates: Int32Array, count: number): number[] {
  const { skuCount, stock } = ctx;
  const used = new Set<number>();
  for (let s = 0; s < skuCount; s++) {
    let left = target[s]!;
    for (let i = 0; i < count && left > 0; i++) {
      const have = stock[candidates[i]! * skuCount + s]!;
      if (have > 0) {
        used.add(candidates[i]!);
        left -= have;
      }
    }
  }
  // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: equivalent, the caller uses the cover's size and members, not their order
  return [...used].sort((a, b) => a - b);
}

/** Repeatedly take the company adding the most still-missing quantity (ties: higher priority), up to `limit`. */
function marginalCover(ctx: AllocationContext, target: Float64Array, candidates: Int32Array, count: number, limit: number): number[] {
  const { skuCount, stock } = ctx;
  const covered = new Float64Array(skuCount);
  const taken = new Uint8Array(count);
  const picked: number[] = [];
  while (picked.length < limit) {
    let best = -1;
    let bestGain = 0;
    for (let i = 0; i < count; i++) {
      if (taken[i]) continue;
      const base = candidates[i]! * skuCount;
      let gain = 0;
      for (let s = 0; s < skuCount; s++) gain += Math.min(Math.max(target[s]! - covered[s]!, 0), stock[base + s]!);
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picked.push(candidates[best]!);
    const base = candidates[best]! * skuCount;
    for (let s = 0; s < skuCount; s++) covered[s] = covered[s]! + stock[base + s]!;
  }
  // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: equivalent, as in priorityGreedyCover
  return picked.sort((a, b) => a - b);
}
