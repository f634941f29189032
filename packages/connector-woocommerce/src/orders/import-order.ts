import { parsePlatformOrder } from '@conecta/core';
import { linesToResolve, mapWooCommerceOrder } from './map-order.js';
import type { WooLineResolution, WooSkuResolver } from './resolve-skus.js';

const NO_RESOLUTIONS: ReadonlyMap<number, WooLineResolution> = new Map();

/**
 * Looks up the SKUs of lines that arrive without one, then maps and validates. Lookup failures other than "not found"
 * propagate (the order is read again on the next run); a payload too broken to read its lines is left to the mapping
 * to report with the field named.
 */
export async function importWooOrder(raw: unknown, labels: Record<string, string>, resolver: WooSkuResolver, externalId: string | undefined, signal?: AbortSignal) {
  return importWooOrderNow(raw, labels, resolver, externalId, signal);
}

/**
 * `importWooOrder` for a listing: an order whose lines all carry their SKU (most of them) is mapped without waiting a
 * turn of the event loop, so only orders that need a lookup return a promise.
 */
export function importWooOrderNow(raw: unknown, labels: Record<string, string>, resolver: WooSkuResolver, externalId: string | undefined, signal?: AbortSignal) {
  const toResolve = linesToResolve(raw);
  if (toResolve.length === 0) return mapAndValidate(raw, labels, NO_RESOLUTIONS, externalId);
  return (async () => {
    const resolutions = new Map<number, WooLineResolution>();
    for (const { index, line } of toResolve) {
      const resolution = await resolver.resolve(line, signal);
      if (resolution) resolutions.set(index, resolution);
    }
    return mapAndValidate(raw, labels, resolutions, externalId);
  })();
}

function mapAndValidate(raw: unknown, labels: Record<string, string>, resolutions: ReadonlyMap<number, WooLineResolution>, externalId: string | undefined) {
  return parsePlatformOrder(raw, (value) => mapWooCommerceOrder(value, labels, resolutions), { platform: 'woocommerce', externalId });
}
