import { defineStatusDictionary, type PlatformStatus, type StatusDictionary } from '@conecta/core';
import type { TrayApi } from './api.js';

/**
 * Status names seen in Tray's own material (docs examples, help center) plus "CANCELADO" and "ENTREGUE" from
 * third-party integrations. Tray has no official list of default names and every store can add its own, so this is
 * a starting point: check it against `statuses()` for each store.
 */
export const TRAY_DEFAULT_STATUSES = {
  'AGUARDANDO PAGAMENTO': { state: 'ignored', label: 'Awaiting payment' },
  'Aguardando Vindi': { state: 'ignored', label: 'Awaiting payment (Vindi gateway)' },
  'Em Monitoramento': { state: 'ignored', label: 'Under fraud review (Vindi gateway)' },
  'A ENVIAR': { state: 'pending', label: 'Paid, to ship' },
  'A Enviar Vindi': { state: 'pending', label: 'Paid, to ship (Vindi gateway)' },
  ENVIADO: { state: 'finalized', label: 'Shipped' },
  ENTREGUE: { state: 'finalized', label: 'Delivered' },
  FINALIZADO: { state: 'finalized', label: 'Completed' },
  CANCELADO: { state: 'cancelled', label: 'Cancelled' },
} as const;

const TRAY_DEFAULT_DICTIONARY = defineStatusDictionary('tray', TRAY_DEFAULT_STATUSES);

/** The dictionary a new Tray integration starts from. */
export function trayDefaultStatusDictionary(): StatusDictionary {
  return TRAY_DEFAULT_DICTIONARY;
}

/** `GET /orders/statuses`, every page. The status name is the code: orders carry it in `Order.status`. */
export async function listTrayStatuses(api: TrayApi, signal?: AbortSignal): Promise<PlatformStatus[]> {
  const out = new Map<string, PlatformStatus>();
  for await (const records of api.paginate('orders/statuses', 'OrderStatuses', 'OrderStatus', {}, signal)) {
    for (const record of records) {
      const name = record['status'];
      if (typeof name === 'string' && name.trim()) out.set(name, { code: name, label: typeof record['description'] === 'string' && record['description'] ? record['description'] : name });
    }
  }
  return [...out.values()];
}
