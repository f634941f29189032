import { defineStatusDictionary, type IntakeState, type PlatformStatus, type StatusDictionary } from '@conecta/core';

/** Mercos' fixed `status` values (a string in v2 orders). */
export const MERCOS_STATUS = { cancelled: '0', quote: '1', order: '2' } as const;

/**
 * Reported for an order whose payload has `excluido: true`. Mercos says every record has the flag, but no order
 * example shows it; it is honoured in case it comes.
 */
export const MERCOS_EXCLUDED_STATUS = 'excluido';

export const MERCOS_STATUSES: readonly PlatformStatus[] = [
  { code: MERCOS_STATUS.cancelled, label: 'Cancelado' },
  { code: MERCOS_STATUS.quote, label: 'Orçamento' },
  { code: MERCOS_STATUS.order, label: 'Pedido' },
  { code: MERCOS_EXCLUDED_STATUS, label: 'Excluído' },
];

const DEFAULT_STATES: Record<string, IntakeState> = {
  [MERCOS_STATUS.cancelled]: 'cancelled',
  // A quote is not a sale yet: imported for visibility, no stock moves.
  [MERCOS_STATUS.quote]: 'ignored',
  [MERCOS_STATUS.order]: 'pending',
  [MERCOS_EXCLUDED_STATUS]: 'cancelled',
};

/** Code of an account-specific custom status (`status_custom_id`). */
export function mercosCustomStatusCode(id: string | number): string {
  return `custom:${id}`;
}

/** The static statuses, plus the custom statuses the integration mapped (custom ones are per account). */
export function mercosDefaultStatusDictionary(customStates: Record<string, IntakeState> = {}): StatusDictionary {
  const entries: Record<string, { state: IntakeState; label?: string }> = {};
  for (const status of MERCOS_STATUSES) entries[status.code] = { state: DEFAULT_STATES[status.code]!, label: status.label };
  for (const [id, state] of Object.entries(customStates)) entries[mercosCustomStatusCode(id)] = { state };
  return defineStatusDictionary('mercos', entries);
}
