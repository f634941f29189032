import { allocate } from '../allocator/allocate.js';
import type { AllocationResult, LineExplanation, PlannedMovement } from '../allocator/types.js';
import { formatQuantity } from '../money/quantity.js';
import { ConflictError, NotFoundError, StockShortfallError, ValidationError } from '../errors/errors.js';
import type { Movement } from '../models/movement.js';
import { matchedLines, matchedSkus, type Order } from '../models/order.js';
import type { PipelineContext } from './context.js';
import { integrationOf } from './context.js';
import { netOfReserved, stockSource, type StockView } from './stock-snapshot.js';

export interface LineOverride {
  lineIndex: number;
  /** The company that supplies the whole line. */
  companyCnpj: string;
}

export interface AllocateOrderResult {
  movements: Movement[];
  created: boolean;
  /** The allocator's plan and explanation (absent when the order already had movements). */
  allocation?: AllocationResult;
  /** The ERP stock read for the plan, so a sync right after can check against it instead of reading it again. */
  stock?: StockView;
}

const ALLOCATABLE = new Set(['pending', 'finalized']);

/**
 * Creates the order's movements: the allocator plans over the ERP stock less what other orders hold, inside the
 * store's lock so parallel allocations never oversell. With `overrides`, a person chose the company for some lines;
 * each choice is re-validated against the same stock and recorded with the person's name.
 */
export async function allocateOrder(
  context: PipelineContext,
  orderId: string,
  options: {
    actor: string;
    overrides?: LineOverride[];
    signal?: AbortSignal;
    order?: Order;
    /**
     * Plan again the lines no live movement covers (after Mainô refused a company's order for lack of stock and its
     * movements were released), keeping the movements already synced or done.
     */
    reallocate?: boolean;
  },
): Promise<AllocateOrderResult> {
  const { group, companies } = context.resolve(integrationOf(orderId));
  const order = options.order ?? (await context.store.getOrder(orderId));
  if (!order) throw new NotFoundError(`order ${orderId} not found`);
  if (!ALLOCATABLE.has(order.intakeState)) {
    throw new ConflictError(`order ${order.number} is ${order.intakeState}; only pending or finalized orders get movements`);
  }
  const overrides = options.overrides ?? [];
  for (const override of overrides) {
    const line = order.lines[override.lineIndex];
    if (!line) throw new ValidationError([{ path: `overrides.${override.lineIndex}.lineIndex`, message: `order ${order.number} has no line ${override.lineIndex}` }]);
    if (line.sku === undefined) {
      throw new ValidationError([{ path: `overrides.${override.lineIndex}.lineIndex`, message: `line ${override.lineIndex} of order ${order.number} has no SKU: map it to a SKU first` }]);
    }
    if (!companies.some((company) => company.cnpj === override.companyCnpj)) {
      throw new ValidationError([{ path: `overrides.${override.lineIndex}.companyCnpj`, message: `${override.companyCnpj} is not an active company of group ${group.name}` }]);
    }
  }

  const existing = await context.store.getMovements(orderId);
  const live = existing.filter((m) => m.state !== 'cancelled' && m.state !== 'reversed');
  const replace = overrides.length > 0 || options.reallocate === true;
  // Lines a person mapped to a SKU after the rest of the order was allocated (partial policy): planned on their own.
  let mappedLater: number[] | undefined;
  if (!replace && live.length > 0) {
    mappedLater = linesMappedAfterAllocation(order, live);
    // Already allocated: the store would return these anyway, so no stock is read for nothing.
    if (mappedLater.length === 0) return { movements: live, created: false };
  }
  // Lines already in the ERP (synced or done) keep their movements; only the rest is planned again on an override.
  const kept = existing.filter((m) => m.state === 'synced' || m.state === 'done');
  const planned = mappedLater ? mappedLater.map((lineIndex) => order.lines[lineIndex]!) : order.lines;
  const skus = matchedSkus(planned);
  const stock = stockSource(context, companies, skus, options.signal, overrides.length > 0);
  // Priority-greedy never looks past the companies that cover the order, so lower priorities are read only when the
  // higher ones fall short: every stock lookup is a Mainô call, and Mainô allows few per second.
  const progressive = !replace && group.allocation.strategy === 'priority-greedy';
  if (progressive) await stock.readUntilCovered(matchedLines(planned));
  else await stock.readAll();

  let allocation: AllocationResult | undefined;
  let result: { movements: Movement[]; created: boolean } | undefined;
  while (!result) {
    const readCompanies = stock.readCompanies();
    let needMore = false;
    const attempt = await context.store.createMovements(
      orderId,
      { groupId: group.id, cnpjs: companies.map((company) => company.cnpj), skus, snapshotAt: stock.takenAt() },
      (reserved) => {
        const net = netOfReserved(stock.snapshot(), reserved);
        allocation = replace
          ? planWithOverrides(order, net, overrides, kept, companies, group.allocation)
          : mappedLater
          ? planLines(order, mappedLater, netOfOwnOpen(net, live), { companies: readCompanies, ...group.allocation })
          : allocate(order, net, { companies: readCompanies, ...group.allocation });
        // Another order took stock since the estimate: plan nothing yet, read the rest and plan again.
        needMore = !allocation.complete && !stock.complete();
        return needMore ? [] : allocation.movements;
      },
      {
        actor: options.actor,
        at: context.now(),
        replace,
        append: mappedLater !== undefined,
        detail: overrides.length
          ? describeOverrides(overrides)
          : options.reallocate
            ? 'planned again after Mainô refused for lack of stock'
            : mappedLater
              ? `line(s) ${mappedLater.join(', ')} mapped to a SKU by a person`
              : stockAge(stock.view(), context),
      },
    );
    if (needMore) await stock.readAll();
    else result = attempt;
  }
  if (result.created && result.movements.length > 0) {
    context.events.emit('movements-created', { integrationId: order.integrationId, orderId, movementIds: result.movements.map((m) => m.id), actor: options.actor });
  }
  if (overrides.length > 0 && result.created) {
    // A person's choice released the movements planned in other companies: orders held for that stock get a chance.
    const released = live.filter((m) => (m.state === 'created' || m.state === 'failed') && !result!.movements.some((kept) => kept.id === m.id));
    if (released.length > 0) await context.requeueHeld([...new Set(released.map((m) => m.companyCnpj))]);
  }
  if (allocation && !allocation.complete && result.movements.length === 0) await context.store.markHeld?.(orderId, context.now());
  if (allocation && allocation.shortfalls.length > 0) {
    context.events.emit('shortfall', {
      integrationId: order.integrationId,
      orderId,
      lines: allocation.shortfalls.map((shortfall) => ({ sku: shortfall.sku, missingMilli: shortfall.missingMilli })),
    });
  }
  return { movements: result.movements, created: result.created, allocation, stock: stock.view() };
}

/** Lines that got their SKU from a person and have no live movement yet, while other lines of the order have some. */
function linesMappedAfterAllocation(order: Order, live: readonly Movement[]): number[] {
  const covered = new Set(live.map((movement) => movement.lineIndex));
  const mapped = new Set((order.lineMappings ?? []).map((mapping) => mapping.lineIndex));
  return order.lines.flatMap((line, lineIndex) => (line.sku !== undefined && mapped.has(lineIndex) && !covered.has(lineIndex) ? [lineIndex] : []));
}

/** The order's own open movements still hold stock the ERP snapshot shows as free: the plan for more lines leaves it. */
function netOfOwnOpen(net: Record<string, Record<string, number>>, live: readonly Movement[]): Record<string, Record<string, number>> {
  const out = structuredClone(net);
  for (const movement of live) {
    if (movement.state === 'done') continue;
    const row = out[movement.companyCnpj];
    if (row?.[movement.sku] !== undefined) row[movement.sku] = Math.max(0, row[movement.sku]! - movement.quantityMilli);
  }
  return out;
}

/** The allocator over some lines of the order, with line indexes given back in the order's numbering. */
function planLines(order: Order, lineIndexes: readonly number[], stock: Record<string, Record<string, number>>, policy: Parameters<typeof allocate>[2]): AllocationResult {
  const result = allocate({ lines: lineIndexes.map((lineIndex) => order.lines[lineIndex]!) }, stock, policy);
  const renumber = <T extends { lineIndex: number }>(item: T): T => ({ ...item, lineIndex: lineIndexes[item.lineIndex]! });
  return { ...result, movements: result.movements.map(renumber), explanation: result.explanation.map(renumber), shortfalls: result.shortfalls.map(renumber) };
}

function planWithOverrides(
  order: Order,
  stock: Record<string, Record<string, number>>,
  overrides: LineOverride[],
  kept: Movement[],
  companies: Parameters<typeof allocate>[2]['companies'],
  policy: { strategy: Parameters<typeof allocate>[2]['strategy']; shortfall: Parameters<typeof allocate>[2]['shortfall']; maxCompanies?: number },
): AllocationResult {
  const chosen = new Map(overrides.map((override) => [override.lineIndex, override.companyCnpj]));
  const remaining = order.lines.map((line, lineIndex) => ({
    line,
    lineIndex,
    missing: line.quantityMilli - kept.filter((m) => m.lineIndex === lineIndex).reduce((sum, m) => sum + m.quantityMilli, 0),
  }));
  const free = structuredClone(stock);
  const forced: PlannedMovement[] = [];
  for (const { line, lineIndex, missing } of remaining) {
    const cnpj = chosen.get(lineIndex);
    if (cnpj === undefined || missing <= 0 || line.sku === undefined) continue;
    const available = free[cnpj]?.[line.sku] ?? 0;
    if (available < missing) {
      throw new StockShortfallError({ lineIndex, sku: line.sku, companyCnpj: cnpj, availableMilli: available, neededMilli: missing });
    }
    free[cnpj]![line.sku] = available - missing;
    forced.push({ lineIndex, sku: line.sku, companyCnpj: cnpj, quantityMilli: missing, unitPriceCents: line.unitPriceCents });
  }
  // Lines without a choice are allocated by the group's policy over what the forced choices left.
  const rest = remaining.filter(({ lineIndex, missing }) => !chosen.has(lineIndex) && missing > 0);
  const planned = allocate({ lines: rest.map(({ line, missing }) => ({ ...line, quantityMilli: missing })) }, free, { companies, ...policy });
  const restMovements = planned.movements.map((movement) => ({ ...movement, lineIndex: rest[movement.lineIndex]!.lineIndex }));
  const forcedExplanation: LineExplanation[] = forced.map((movement) => ({
    lineIndex: movement.lineIndex,
    outcome: 'covered',
    sku: movement.sku,
    requestedMilli: movement.quantityMilli,
    chosen: [{ companyCnpj: movement.companyCnpj, quantityMilli: movement.quantityMilli }],
    skipped: [],
    summary: `${formatQuantity(movement.quantityMilli)} from ${companies.find((company) => company.cnpj === movement.companyCnpj)?.name ?? movement.companyCnpj}, chosen by a person`,
  }));
  const explanation = [...forcedExplanation, ...planned.explanation.map((line) => ({ ...line, lineIndex: rest[line.lineIndex]!.lineIndex }))].sort((a, b) => a.lineIndex - b.lineIndex);
  const shortfalls = planned.shortfalls.map((line) => ({ ...line, lineIndex: rest[line.lineIndex]!.lineIndex }));
  // All-or-nothing holds the whole order, the person's choices included, when the rest cannot be covered.
  if (!planned.complete && policy.shortfall === 'all-or-nothing') return { movements: [], explanation, shortfalls, complete: false };
  return { movements: [...forced, ...restMovements], explanation, shortfalls, complete: planned.complete };
}

/** How old the stock the plan read was, for the audit trail and the order page. */
function stockAge(view: StockView, context: PipelineContext): string | undefined {
  if (context.stockFreshnessMs <= 0) return undefined;
  const ageMs = Math.max(0, Date.parse(context.now()) - Date.parse(view.takenAt));
  return `stock read at ${view.takenAt} (${(ageMs / 1000).toFixed(1)} s old)`;
}

function describeOverrides(overrides: LineOverride[]): string {
  return overrides.map((override) => `line ${override.lineIndex} -> ${override.companyCnpj}`).join(', ');
}
