import type { OrderFilter } from '@conecta/core';

// The listing filters of `matchesFilter` (@conecta/core), over the per-state counts the triggers keep on `orders`.
// Cancelled movements do not count as the order's movements; every other state does.
const live = '(o.movements_created + o.movements_synced + o.movements_done + o.movements_failed + o.movements_reversed)';
const open = '(o.movements_created + o.movements_synced + o.movements_failed)';

export const FILTER_SQL: Record<OrderFilter, string> = {
  all: '1 = 1',
  'pending-sync': `o.intake_state <> 'cancelled' AND ${open} > 0`,
  // A line without SKU never gets a movement, so its order stays here until a person maps the line.
  'without-movements': `o.intake_state IN ('pending', 'finalized') AND (${live} = 0 OR o.unmatched_lines > 0)`,
  cancelled: `o.intake_state = 'cancelled'`,
  failed: 'o.movements_failed > 0',
  unmapped: `o.intake_state = 'unmapped'`,
  done: `${live} > 0 AND ${live} = o.movements_done`,
};

/** An unknown filter matches nothing, as `matchesFilter` does. */
export function filterSql(filter: OrderFilter): string {
  return Object.hasOwn(FILTER_SQL, filter) ? FILTER_SQL[filter] : '1 = 0';
}
