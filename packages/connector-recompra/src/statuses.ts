import { defineStatusDictionary, type PlatformStatus, type StatusDictionary } from '@conecta/core';

/**
 * The status codes our assumed contract uses. Recompra.aí publishes no status list, so these are a guess written
 * down on purpose: an integration whose real statuses differ edits its dictionary, and unmapped statuses stay
 * visible in core instead of being dropped.
 */
export const RECOMPRA_ASSUMED_STATUSES: readonly PlatformStatus[] = [
  { code: 'pending_payment', label: 'Aguardando pagamento' },
  { code: 'paid', label: 'Pago' },
  { code: 'processing', label: 'Em separação' },
  { code: 'shipped', label: 'Enviado' },
  { code: 'delivered', label: 'Entregue' },
  { code: 'cancelled', label: 'Cancelado' },
  { code: 'refunded', label: 'Reembolsado' },
];

const STATES = {
  pending_payment: 'ignored',
  paid: 'pending',
  processing: 'pending',
  shipped: 'finalized',
  delivered: 'finalized',
  cancelled: 'cancelled',
  refunded: 'cancelled',
} as const;

export function recompraDefaultStatusDictionary(): StatusDictionary {
  return defineStatusDictionary(
    'recompra',
    Object.fromEntries(RECOMPRA_ASSUMED_STATUSES.map(({ code, label }) => [code, { state: STATES[code as keyof typeof STATES], label }])),
  );
}

/** Statuses come from the dictionary, not the network: the vendor has no known status endpoint. */
export function statusesOf(dictionary: StatusDictionary): PlatformStatus[] {
  return Object.entries(dictionary.entries).map(([code, mapping]) => ({ code, label: mapping.label ?? code }));
}
