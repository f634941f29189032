import { allocate } from '../allocator/allocate.js';
import type { MovementState } from '../models/movement.js';
import { matchedSkus, type Order } from '../models/order.js';
import type { PipelineContext } from './context.js';
import { stockSource } from './stock-snapshot.js';

/** An order with the count of its movements per state, as the store's listings give it. */
export interface OrderWithMovementStates {
  order: Order;
  movementStates: Partial<Record<MovementState, number>>;
}

/**
 * Held: an allocation fell short and left the order without movements (`order.heldAt`, recorded by stores with
 * `markHeld`), and it still has none, is pending or finalized and has a SKU on every line. The runner puts these back
 * in the queue in automatic mode; in on-command mode they wait for a person. An order nobody tried is not held.
 */
export function isHeld({ order, movementStates }: OrderWithMovementStates): boolean {
  if (order.heldAt === undefined) return false;
  if (order.intakeState !== 'pending' && order.intakeState !== 'finalized') return false;
  if (order.lines.some((line) => line.sku === undefined)) return false;
  const live: MovementState[] = ['created', 'synced', 'failed', 'done', 'reversed'];
  return live.every((state) => (movementStates[state] ?? 0) === 0);
}

/**
 * The held orders among `items` whose lines the free stock now covers: the group's allocation policy would plan them
 * in full on the stock as a check reads it (the shared snapshot within `stockFreshnessMs`, or Mainô when it is 0)
 * less what other orders' open movements hold. Orders are taken oldest first, each keeping what it would plan, so
 * two held orders waiting for the same last unit are not both ready. What a person sees as "ready to try again";
 * the try itself checks the stock again under the store's lock.
 */
export async function ordersReadyToRetry(context: PipelineContext, items: readonly OrderWithMovementStates[], signal?: AbortSignal): Promise<Set<string>> {
  const ready = new Set<string>();
  const byGroup = new Map<string, Order[]>();
  for (const item of items) {
    if (!isHeld(item)) continue;
    const { group } = context.resolve(item.order.integrationId);
    const orders = byGroup.get(group.id) ?? [];
    orders.push(item.order);
    byGroup.set(group.id, orders);
  }
  for (const orders of byGroup.values()) {
    const { group, companies } = context.resolve(orders[0]!.integrationId);
    if (companies.length === 0) continue;
    const skus = matchedSkus(orders.flatMap((order) => order.lines));
    const stock = stockSource(context, companies, skus, signal);
    await stock.readAll();
    const reserved = await context.store.reservedStock(companies.map((company) => company.cnpj));
    const free: Record<string, Record<string, number>> = {};
    for (const company of companies) {
      const row: Record<string, number> = (free[company.cnpj] = {});
      for (const [sku, available] of Object.entries(stock.snapshot()[company.cnpj] ?? {})) {
        row[sku] = available - (reserved.get(company.cnpj)?.get(sku) ?? 0);
      }
    }
    const oldestFirst = [...orders].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const order of oldestFirst) {
      const plan = allocate(order, free, { companies, ...group.allocation });
      if (!plan.complete) continue;
      ready.add(order.id);
      for (const movement of plan.movements) free[movement.companyCnpj]![movement.sku] = (free[movement.companyCnpj]![movement.sku] ?? 0) - movement.quantityMilli;
    }
  }
  return ready;
}
