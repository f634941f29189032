import { ConectaError, floorUnits, type StockLevel, type StockPushResult } from '@conecta/core';
import type { TrayApi } from './api.js';

type Target = { kind: 'variant' | 'product'; id: string } | { kind: 'missing' } | { kind: 'unusable'; code: string; message: string };

/**
 * Sets absolute stock per SKU. Tray has no batch stock endpoint, so each SKU costs a lookup by `reference` and a PUT
 * (variant first, since a variant's reference is the sellable SKU). Tray stock is whole units: quantities are
 * rounded down. Quota and auth failures stop the push; anything else fails that SKU only.
 */
export async function pushTrayStock(
  api: TrayApi,
  levels: readonly StockLevel[],
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<StockPushResult> {
  const result: StockPushResult = { updated: [], notFound: [], failed: [] };
  let done = 0;
  for (const level of levels) {
    try {
      const target = await findTarget(api, level.sku, options.signal);
      const stock = floorUnits(level.quantityMilli);
      if (target.kind === 'missing') result.notFound.push(level.sku);
      else if (target.kind === 'unusable') result.failed.push({ sku: level.sku, code: target.code, message: target.message });
      else if (target.kind === 'variant') {
        await api.put(`products/variants/${target.id}`, { Variant: { stock } }, options.signal);
        result.updated.push(level.sku);
      } else {
        await api.put(`products/${target.id}`, { Product: { stock } }, options.signal);
        result.updated.push(level.sku);
      }
    } catch (error) {
      // Codes, not instanceof: a second copy of @conecta/core in node_modules must not change the outcome.
      if (!ConectaError.isConectaError(error) || error.code === 'AUTH' || error.code === 'RATE_LIMITED') throw error;
      result.failed.push({ sku: level.sku, code: error.code, message: error.message });
    }
    done += 1;
    options.onProgress?.(done, levels.length);
  }
  return result;
}

/** The `reference` filter's match semantics are unconfirmed (exact or partial), so only exact matches count. */
async function findTarget(api: TrayApi, sku: string, signal?: AbortSignal): Promise<Target> {
  const variants = await exactMatches(api, 'products/variants', 'Variants', 'Variant', sku, signal);
  if (variants.length > 1) return ambiguous(sku, variants.length, 'variants');
  if (variants[0]) return { kind: 'variant', id: String(variants[0]['id']) };
  const products = await exactMatches(api, 'products', 'Products', 'Product', sku, signal);
  if (products.length > 1) return ambiguous(sku, products.length, 'products');
  const product = products[0];
  if (!product) return { kind: 'missing' };
  if (String(product['has_variation'] ?? '0') === '1') {
    // What product-level stock means for a product with variations is unconfirmed; its variants hold the stock.
    return { kind: 'unusable', code: 'HAS_VARIANTS', message: `tray: ${sku} is a product with variations; push its variants' references instead` };
  }
  return { kind: 'product', id: String(product['id']) };
}

async function exactMatches(api: TrayApi, path: string, listKey: string, itemKey: string, sku: string, signal?: AbortSignal) {
  const out: Array<Record<string, unknown>> = [];
  for await (const records of api.paginate(path, listKey, itemKey, { reference: sku }, signal)) {
    out.push(...records.filter((record) => record['reference'] === sku && record['id'] !== undefined));
  }
  return out;
}

function ambiguous(sku: string, count: number, what: string): Target {
  return { kind: 'unusable', code: 'AMBIGUOUS_SKU', message: `tray: ${count} ${what} have the reference ${sku}` };
}
