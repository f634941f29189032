import { ValidationError } from '../errors/index.js';
import { buildContext, checkLine } from './context.js';
import { fillLines, type Fill } from './fill.js';
import { selectAllActive, selectFewest, selectSingle, type Selection } from './select.js';
import { summarize } from './summary.js';
import type { AllocationInput, AllocationPolicyOptions, AllocationResult, LineExplanation, StockSnapshot } from './types.js';

/**
 * Turns an order into stock movements across the group's companies. Pure and deterministic: the same input, snapshot
 * and policy always give the same result, whatever the order of `policy.companies`.
 *
 * `stock` must already be net of what other orders hold: the caller subtracts open movements and reservations (and any
 * safety buffer) before calling. Making the result stick without overselling is the store's job (atomic reservation);
 * this function only plans.
 *
 * @throws ValidationError when a line quantity is not a non-negative integer of milli-units, a SKU is empty, or the
 * policy names an unknown strategy / shortfall policy or a non-positive `maxCompanies`.
 */
export function allocate(input: AllocationInput, stock: StockSnapshot, policy: AllocationPolicyOptions): AllocationResult {
  validatePolicy(policy);
  if (input.lines.some((line) => line.sku === undefined)) return allocateAroundUnmatched(input, stock, policy);
  return allocateMatched(input, stock, policy);
}

function allocateMatched(input: AllocationInput, stock: StockSnapshot, policy: AllocationPolicyOptions): AllocationResult {
  const fill = plan(input, stock, policy);
  if (fill.complete || policy.shortfall === 'partial') {
    return { movements: fill.movements, explanation: fill.explanation, shortfalls: fill.shortfalls, complete: fill.complete };
  }
  return hold(fill);
}

function plan(input: AllocationInput, stock: StockSnapshot, policy: AllocationPolicyOptions): Fill {
  const ctx = buildContext(input, stock, policy.companies);
  const maxCompanies = policy.strategy === 'fewest-companies' ? policy.maxCompanies : undefined;
  return fillLines(ctx, input.lines, select(policy, ctx), maxCompanies);
}

/**
 * Lines without a SKU get no movement and leave the order incomplete. The matched lines are planned as an order of
 * their own: under partial they are allocated; under all-or-nothing the whole order is held until a person maps the
 * missing SKUs, because before that the order cannot be served in full.
 */
function allocateAroundUnmatched(input: AllocationInput, stock: StockSnapshot, policy: AllocationPolicyOptions): AllocationResult {
  const matchedIndex: number[] = [];
  input.lines.forEach((line, lineIndex) => {
    // Checked here, in the order's numbering: the plan below sees the matched lines renumbered from 0.
    checkLine(line, lineIndex, line.sku !== undefined);
    if (line.sku !== undefined) matchedIndex.push(lineIndex);
  });
  const fill = plan({ lines: matchedIndex.map((lineIndex) => input.lines[lineIndex]!) }, stock, policy);
  const matched = policy.shortfall === 'partial' ? fill : hold(fill);
  const byLine = new Map<number, LineExplanation>();
  for (const line of matched.explanation) {
    const lineIndex = matchedIndex[line.lineIndex]!;
    byLine.set(lineIndex, { ...line, lineIndex });
  }
  const explanation = input.lines.map((line, lineIndex): LineExplanation => {
    return (
      byLine.get(lineIndex) ?? {
        lineIndex,
        outcome: 'unmatched',
        requestedMilli: line.quantityMilli,
        chosen: [],
        skipped: [],
        summary: 'No SKU: the line gets no movement until a person maps it to a SKU.',
      }
    );
  });
  const shortfalls = matched.shortfalls.map((shortfall) => ({ ...shortfall, lineIndex: matchedIndex[shortfall.lineIndex]! }));
  const movements = matched.movements.map((movement) => ({ ...movement, lineIndex: matchedIndex[movement.lineIndex]! }));
  return { movements, explanation, shortfalls, complete: false };
}

function select(policy: AllocationPolicyOptions, ctx: ReturnType<typeof buildContext>): Selection {
  switch (policy.strategy) {
    case 'priority-greedy':
      return selectAllActive(ctx);
    case 'fewest-companies':
      return selectFewest(ctx, policy.maxCompanies);
    case 'single-company-only':
      return selectSingle(ctx);
  }
}

/** all-or-nothing on a short order: drop every movement, keep the reasoning so people can see what was missing. */
function hold(fill: Fill): AllocationResult {
  const explanation: LineExplanation[] = fill.explanation.map((line, i) => {
    const missing = line.requestedMilli - line.chosen.reduce((sum, part) => sum + part.quantityMilli, 0);
    const outcome = line.outcome === 'covered' && line.requestedMilli > 0 ? 'held' : line.outcome === 'partial' ? 'short' : line.outcome;
    const summary = summarize({
      outcome,
      sku: line.sku ?? '',
      requestedMilli: line.requestedMilli,
      missingMilli: missing,
      chosen: fill.chosenText[i]!,
      skipped: fill.skippedText[i]!,
      held: true,
    });
    return { ...line, outcome, chosen: [], ...(line.chosen.length ? { held: line.chosen } : {}), summary };
  });
  const shortfalls = fill.shortfalls.map((shortfall) => ({ ...shortfall, allocatedMilli: 0 }));
  return { movements: [], explanation, shortfalls, complete: false };
}

const STRATEGIES = new Set(['priority-greedy', 'fewest-companies', 'single-company-only']);
const SHORTFALLS = new Set(['all-or-nothing', 'partial']);

function validatePolicy(policy: AllocationPolicyOptions): void {
  const issues: Array<{ path: string; message: string }> = [];
  if (!STRATEGIES.has(policy.strategy)) issues.push({ path: 'strategy', message: `unknown strategy ${String(policy.strategy)}` });
  if (!SHORTFALLS.has(policy.shortfall)) issues.push({ path: 'shortfall', message: `unknown shortfall policy ${String(policy.shortfall)}` });
  const max = policy.maxCompanies;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
    issues.push({ path: 'maxCompanies', message: `must be a positive integer, got ${String(max)}` });
  }
  if (issues.length > 0) throw new ValidationError(issues, { subject: 'allocation policy' });
}
