import { AuthError, ConectaError, ConfigurationError, floorUnits, type StockLevel, type StockPushResult } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { lookupSkus, type SkuTarget } from './sku-lookup.js';

export interface PushStockDeps {
  http: HttpClient;
  batchSize: number;
  variationFallback: boolean;
}

interface BatchItemResult {
  id?: unknown;
  error?: { code?: unknown; message?: unknown };
}

/** WooCommerce refuses a batch above 100 items (413) unless the store raised the limit with a filter. */
export const WOOCOMMERCE_BATCH_LIMIT = 100;

/**
 * Sets absolute stock through `products/batch` and `products/{parent}/variations/batch`, at most `batchSize` items
 * per call. `manage_stock: true` goes with every item: without it WooCommerce ignores the quantity and clears it.
 */
export async function pushWooStock(
  deps: PushStockDeps,
  levels: readonly StockLevel[],
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<StockPushResult> {
  const latest = new Map<string, StockLevel>();
  for (const level of levels) latest.set(level.sku, level);
  const skus = [...latest.keys()];
  const targets = await lookupSkus(deps.http, skus, { variationFallback: deps.variationFallback, signal: options.signal });
  const result: StockPushResult = { updated: [], notFound: skus.filter((sku) => !targets.has(sku)), failed: [] };

  const groups = new Map<string, SkuTarget[]>();
  for (const target of targets.values()) {
    const path = target.parentId === undefined ? 'products/batch' : `products/${target.parentId}/variations/batch`;
    groups.set(path, [...(groups.get(path) ?? []), target]);
  }
  const size = Math.min(deps.batchSize, WOOCOMMERCE_BATCH_LIMIT);
  const total = targets.size;
  let done = 0;
  for (const [path, group] of groups) {
    for (let start = 0; start < group.length; start += size) {
      const chunk = group.slice(start, start + size);
      await pushChunk(deps.http, path, chunk, latest, result, options.signal);
      done += chunk.length;
      options.onProgress?.(done, total);
    }
  }
  return result;
}

async function pushChunk(
  http: HttpClient,
  path: string,
  chunk: SkuTarget[],
  levels: Map<string, StockLevel>,
  result: StockPushResult,
  signal: AbortSignal | undefined,
): Promise<void> {
  const update = chunk.map((target) => ({
    id: target.id,
    manage_stock: true,
    stock_quantity: floorUnits(levels.get(target.sku)!.quantityMilli),
  }));
  let items: BatchItemResult[];
  try {
    // Absolute quantities: sending the same batch twice leaves the same stock, so a retry is safe.
    const response = await http.request<{ update?: BatchItemResult[] }>({ method: 'POST', path, json: { update }, idempotent: true, signal });
    items = Array.isArray(response.data?.update) ? response.data.update : [];
  } catch (error) {
    // Credentials and setup fail every other chunk too: stop instead of reporting each SKU.
    if (error instanceof AuthError || error instanceof ConfigurationError || !ConectaError.isConectaError(error)) throw error;
    for (const target of chunk) result.failed.push({ sku: target.sku, code: error.code, message: error.message });
    return;
  }
  // Keyed by the id as sent: an id WooCommerce did not send as a number never matches a product's.
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const target of chunk) {
    const item = byId.get(target.id);
    if (!item) {
      result.failed.push({ sku: target.sku, code: 'UPSTREAM', message: `woocommerce: ${path} returned no result for id ${target.id}` });
    } else if (item.error) {
      result.failed.push({ sku: target.sku, code: String(item.error.code ?? 'UPSTREAM'), message: String(item.error.message ?? 'update failed') });
    } else {
      result.updated.push(target.sku);
    }
  }
}
