import { defineStatusDictionary, type PlatformStatus, type StatusDictionary } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';

/** Core statuses (`wc_get_order_statuses`) plus the ones REST can also return. Labels as WooCommerce shows them. */
export const WOOCOMMERCE_STATUS_LABELS: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
  'ready-for-pickup': 'Ready for pickup',
  trash: 'Trash',
};

/**
 * `processing` means paid with stock reduced, so it is the sale to fulfil. Unpaid states (`pending`, `on-hold`,
 * `failed`, `checkout-draft`) are ignored rather than cancelled: a shopper may still pay, and a cancelled order can
 * never come back to pending.
 */
const WOOCOMMERCE_DEFAULT_DICTIONARY: StatusDictionary = defineStatusDictionary('woocommerce', {
  pending: { state: 'ignored', label: WOOCOMMERCE_STATUS_LABELS['pending'] },
  'on-hold': { state: 'ignored', label: WOOCOMMERCE_STATUS_LABELS['on-hold'] },
  failed: { state: 'ignored', label: WOOCOMMERCE_STATUS_LABELS['failed'] },
  'checkout-draft': { state: 'ignored', label: WOOCOMMERCE_STATUS_LABELS['checkout-draft'] },
  processing: { state: 'pending', label: WOOCOMMERCE_STATUS_LABELS['processing'] },
  'ready-for-pickup': { state: 'pending', label: WOOCOMMERCE_STATUS_LABELS['ready-for-pickup'] },
  completed: { state: 'finalized', label: WOOCOMMERCE_STATUS_LABELS['completed'] },
  cancelled: { state: 'cancelled', label: WOOCOMMERCE_STATUS_LABELS['cancelled'] },
  refunded: { state: 'cancelled', label: WOOCOMMERCE_STATUS_LABELS['refunded'] },
  trash: { state: 'cancelled', label: WOOCOMMERCE_STATUS_LABELS['trash'] },
});

/** The dictionary a new WooCommerce integration starts from. */
export function wooCommerceDefaultStatusDictionary(): StatusDictionary {
  return WOOCOMMERCE_DEFAULT_DICTIONARY;
}

/** `static` needs no request; `reports` asks the store, so plugin statuses show up for the dictionary editor. */
export async function listStatuses(http: HttpClient, source: 'static' | 'reports', signal?: AbortSignal): Promise<PlatformStatus[]> {
  const fixed = Object.entries(WOOCOMMERCE_STATUS_LABELS).map(([code, label]) => ({ code, label }));
  if (source === 'static') return fixed;
  const response = await http.get<Array<{ slug?: unknown; name?: unknown }>>('reports/orders/totals', undefined, { signal });
  const reported = (Array.isArray(response.data) ? response.data : [])
    .filter((entry) => typeof entry.slug === 'string' && entry.slug !== '')
    .map((entry) => ({ code: String(entry.slug), label: typeof entry.name === 'string' ? entry.name : String(entry.slug) }));
  // The report lists registered statuses only; `trash` is reachable through REST all the same.
  if (!reported.some((status) => status.code === 'trash')) reported.push({ code: 'trash', label: WOOCOMMERCE_STATUS_LABELS['trash']! });
  return reported;
}
