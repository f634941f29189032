import type { Movement, MovementState } from '../models/movement.js';
import type { Order } from '../models/order.js';
import type { OrderFilter } from './store-port.js';

/** Whether an order belongs in a listing filter, given its movements. Shared by adapters that filter in memory. */
export function matchesFilter(filter: OrderFilter, order: Order, movements: readonly Pick<Movement, 'state'>[]): boolean {
  const live = movements.filter((movement) => movement.state !== 'cancelled');
  const has = (...states: MovementState[]) => live.some((movement) => states.includes(movement.state));
  switch (filter) {
    case 'all':
      return true;
    case 'pending-sync':
      return order.intakeState !== 'cancelled' && has('created', 'synced', 'failed');
    case 'without-movements':
      // A line without SKU never gets a movement, so its order stays here until a person maps the line.
      return (order.intakeState === 'pending' || order.intakeState === 'finalized') && (live.length === 0 || order.lines.some((line) => line.sku === undefined));
    case 'cancelled':
      return order.intakeState === 'cancelled';
    case 'failed':
      return has('failed');
    case 'unmapped':
      return order.intakeState === 'unmapped';
    case 'done':
      return live.length > 0 && live.every((movement) => movement.state === 'done');
  }
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
