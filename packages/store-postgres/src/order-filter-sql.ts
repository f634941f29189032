import type { OrderFilter } from '@conecta/core';

// The listing filters of `matchesFilter` (@conecta/core), over the per-state counts the triggers keep on `orders`. The same SQL runs on SQLite.
// Every order is in exactly one situation (`orderSituation`), so the counts add up to `all`. A line without SKU
// (`unmatched_lines`) keeps its order in "without movements" until a person maps it.
const active = `o.intake_state IN ('pending', 'finalized')`;
const open = '(o.movements_created + o.movements_synced)';

export const FILTER_SQL: Record<OrderFilter, string> = {
  all: '1 = 1',
  'without-movements': `${active} AND o.movements_failed = 0 AND (o.unmatched_lines > 0 OR (${open} = 0 AND o.movements_done = 0))`,
  'pending-sync': `${active} AND o.movements_failed = 0 AND o.unmatched_lines = 0 AND ${open} > 0`,
  failed: `${active} AND o.movements_failed > 0`,
  done: `${active} AND o.movements_failed = 0 AND o.unmatched_lines = 0 AND ${open} = 0 AND o.movements_done > 0`,
  cancelled: `o.intake_state = 'cancelled'`,
  ignored: `o.intake_state = 'ignored'`,
  unmapped: `o.intake_state = 'unmapped'`,
};

/** An unknown filter matches nothing, as `matchesFilter` does. */
export function filterSql(filter: OrderFilter): string {
  return Object.hasOwn(FILTER_SQL, filter) ? FILTER_SQL[filter] : '1 = 0';
}
