import * as z from 'zod';

/**
 * What an integration does with a platform status.
 * - pending (Pendente): import the order and move stock.
 * - finalized (Finalizado): the sale is complete; import, and keep or create its movements.
 * - cancelled (Excluído): release or reverse the order's stock.
 * - ignored: known status that is not a sale to fulfil (awaiting payment, chargeback, dispute); import, no movements.
 */
export const IntakeStateSchema = z.enum(['pending', 'finalized', 'cancelled', 'ignored']);
export type IntakeState = z.output<typeof IntakeStateSchema>;

/** An order's intake state after the dictionary: one of the above, or `unmapped` when the status is not in it. */
export type OrderIntakeState = IntakeState | 'unmapped';

/**
 * Ranks make transitions one-way: an order only moves to a state of a higher rank. A late "paid" (pending) never
 * revives a cancelled order, and a finalized order can still be cancelled.
 */
export const INTAKE_RANK: Record<OrderIntakeState, number> = { unmapped: 0, ignored: 1, pending: 2, finalized: 3, cancelled: 4 };

export const StatusMappingSchema = z.object({
  state: IntakeStateSchema,
  /** The platform's label, for people. */
  label: z.string().optional(),
});

export const StatusDictionarySchema = z.object({
  platform: z.string().min(1),
  /** Platform status code (as the platform spells it) -> mapping. */
  entries: z.record(z.string(), StatusMappingSchema),
});
export type StatusDictionary = z.output<typeof StatusDictionarySchema>;

export interface StatusResolution {
  state: OrderIntakeState;
  /** True when the status is not in the dictionary: the order is shown as such and gets no movements. */
  unmapped: boolean;
}

/** Looks a status up; matching ignores case and surrounding spaces, since platforms are not consistent about either. */
export function resolveStatus(dictionary: StatusDictionary, platformStatus: string): StatusResolution {
  const direct = dictionary.entries[platformStatus];
  if (direct) return { state: direct.state, unmapped: false };
  const wanted = platformStatus.trim().toLowerCase();
  for (const [code, mapping] of Object.entries(dictionary.entries)) {
    if (code.trim().toLowerCase() === wanted) return { state: mapping.state, unmapped: false };
  }
  return { state: 'unmapped', unmapped: true };
}

/**
 * The state an order moves to when a new platform status arrives. A change to a lower rank is refused and the
 * current state kept, except out of `unmapped`/`ignored`, which any mapped status may leave.
 */
export function nextIntakeState(current: OrderIntakeState | undefined, incoming: OrderIntakeState): OrderIntakeState {
  if (current === undefined) return incoming;
  if (incoming === 'unmapped') return current === 'ignored' ? 'unmapped' : current;
  if (current === 'unmapped') return incoming;
  return INTAKE_RANK[incoming] >= INTAKE_RANK[current] ? incoming : current;
}

/** Platform statuses seen in orders that the dictionary does not map, for the dictionary editor. */
export function unmappedStatuses(dictionary: StatusDictionary, seen: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const status of seen) if (resolveStatus(dictionary, status).unmapped) out.add(status);
  return [...out].sort();
}

/** Builds a dictionary from `{ status: state }` pairs. */
export function defineStatusDictionary(
  platform: string,
  entries: Record<string, IntakeState | { state: IntakeState; label?: string }>,
): StatusDictionary {
  return StatusDictionarySchema.parse({
    platform,
    entries: Object.fromEntries(
      Object.entries(entries).map(([code, value]) => [code, typeof value === 'string' ? { state: value } : value]),
    ),
  });
}
