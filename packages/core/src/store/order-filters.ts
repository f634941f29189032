import type { Movement, MovementState } from '../models/movement.js';
import type { Order } from '../models/order.js';
import type { OrderIntakeState } from '../models/status-dictionary.js';
import type { OrderFilter } from './store-port.js';

/**
 * Where an order stands, from its store status (the intake state), its lines and its movements. Every order is in
 * exactly one situation, so the counts of the listing filters add up to the number of orders.
 * - cancelled, unmapped, ignored: the intake state says so, whatever its movements;
 * - failed: a movement failed (it holds its stock until retried or released);
 * - without-movements: pending or finalized with nothing open or done yet, or with a line without SKU (it never gets
 *   a movement until a person maps it, whatever the other lines have);
 * - pending-sync: movements are open (created or synced), none failed;
 * - done: nothing open and at least one movement done (the Mainô orders exist).
 */
export type OrderSituation = Exclude<OrderFilter, 'all'>;

export const ORDER_SITUATIONS: readonly OrderSituation[] = ['without-movements', 'pending-sync', 'failed', 'done', 'cancelled', 'ignored', 'unmapped'];

export function orderSituation(order: { intakeState: OrderIntakeState; lines: ReadonlyArray<{ sku?: string | undefined }> }, movementStates: Partial<Record<MovementState, number>>): OrderSituation {
  const { intakeState } = order;
  if (intakeState === 'cancelled' || intakeState === 'unmapped' || intakeState === 'ignored') return intakeState;
  const count = (state: MovementState) => movementStates[state] ?? 0;
  if (count('failed') > 0) return 'failed';
  if (order.lines.some((line) => line.sku === undefined)) return 'without-movements';
  if (count('created') + count('synced') > 0) return 'pending-sync';
  if (count('done') > 0) return 'done';
  return 'without-movements';
}

/** Whether an order belongs in a listing filter, given its movements. Shared by adapters that filter in memory. */
export function matchesFilter(filter: OrderFilter, order: Pick<Order, 'intakeState' | 'lines'>, movements: readonly Pick<Movement, 'state'>[]): boolean {
  return filter === 'all' || orderSituation(order, countStates(movements)) === filter;
}

export function countStates(movements: readonly Pick<Movement, 'state'>[]): Partial<Record<MovementState, number>> {
  const counts: Partial<Record<MovementState, number>> = {};
  for (const movement of movements) counts[movement.state] = (counts[movement.state] ?? 0) + 1;
  return counts;
}

/** A movement holds stock while it is open, and after it is done until the ERP snapshot reflects it. */
export function holdsStock(movement: Pick<Movement, 'state' | 'updatedAt'>, snapshotAt: string | undefined): boolean {
  if (movement.state === 'created' || movement.state === 'synced' || movement.state === 'failed') return true;
  return movement.state === 'done' && snapshotAt !== undefined && movement.updatedAt > snapshotAt;
}
