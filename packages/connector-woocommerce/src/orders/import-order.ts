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
  const toResolve = linesToResolve(raw);
  const resolutions = toResolve.length === 0 ? NO_RESOLUTIONS : new Map<number, WooLineResolution>();
  for (const { index, line } of toResolve) {
    const resolution = await resolver.resolve(line, signal);
    if (resolution) (resolutions as Map<number, WooLineResolution>).set(index, resolution);
  }
  return parsePlatformOrder(raw, (value) => mapWooCommerceOrder(value, labels, resolutions), { platform: 'woocommerce', externalId });
}
