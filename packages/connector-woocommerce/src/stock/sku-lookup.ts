import type { HttpClient } from '@conecta/core/http';

/** Where a SKU lives: a product, or a variation under its parent (which needs the variations endpoint). */
export interface SkuTarget {
  sku: string;
  id: number;
  parentId: number | undefined;
}

interface WooProductLite {
  id?: unknown;
  sku?: unknown;
  type?: unknown;
  parent_id?: unknown;
}

// Keeps each lookup URL short; WooCommerce accepts a comma list of exact SKUs.
const SKUS_PER_LOOKUP = 50;

/**
 * Resolves SKUs with `GET /products?sku=A,B`, which in current WooCommerce also returns variations. Older stores
 * search parent products only; with `variationFallback` the missing SKUs are looked up in each variable product's
 * variations.
 */
export async function lookupSkus(
  http: HttpClient,
  skus: readonly string[],
  options: { variationFallback: boolean; signal?: AbortSignal },
): Promise<Map<string, SkuTarget>> {
  const found = new Map<string, SkuTarget>();
  const wanted = new Set(skus);
  for (let start = 0; start < skus.length; start += SKUS_PER_LOOKUP) {
    const chunk = skus.slice(start, start + SKUS_PER_LOOKUP);
    const products = await listAll(http, 'products', { sku: chunk.join(','), per_page: 100 }, options.signal);
    for (const product of products) record(found, wanted, product);
  }
  if (!options.variationFallback) return found;

  const missing = skus.filter((sku) => !found.has(sku));
  if (missing.length === 0) return found;
  const parents = await listAll(http, 'products', { type: 'variable', per_page: 100 }, options.signal);
  for (const parent of parents) {
    const stillMissing = missing.filter((sku) => !found.has(sku));
    if (stillMissing.length === 0) break;
    if (typeof parent.id !== 'number') continue;
    for (let start = 0; start < stillMissing.length; start += SKUS_PER_LOOKUP) {
      const chunk = stillMissing.slice(start, start + SKUS_PER_LOOKUP);
      const variations = await listAll(http, `products/${parent.id}/variations`, { sku: chunk.join(','), per_page: 100 }, options.signal);
      for (const variation of variations) record(found, wanted, { ...variation, type: 'variation', parent_id: parent.id });
    }
  }
  return found;
}

function record(found: Map<string, SkuTarget>, wanted: Set<string>, product: WooProductLite): void {
  if (typeof product.sku !== 'string' || !wanted.has(product.sku) || typeof product.id !== 'number') return;
  const parentId = product.type === 'variation' && typeof product.parent_id === 'number' && product.parent_id > 0 ? product.parent_id : undefined;
  found.set(product.sku, { sku: product.sku, id: product.id, parentId });
}

async function listAll(http: HttpClient, path: string, query: Record<string, string | number>, signal?: AbortSignal): Promise<WooProductLite[]> {
  const out: WooProductLite[] = [];
  for (let page = 1; ; page += 1) {
    const response = await http.get<unknown>(path, { ...query, page }, { signal });
    const items = Array.isArray(response.data) ? (response.data as WooProductLite[]) : [];
    out.push(...items);
    const totalPages = Number(response.headers.get('x-wp-totalpages') ?? '');
    const more = Number.isInteger(totalPages) && totalPages > 0 ? page < totalPages : items.length >= 100;
    if (!more) return out;
  }
}
