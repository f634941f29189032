import type { HttpClient } from '@conecta/core/http';
import { getOne } from './api.js';
import { ProdutoSchema } from './schemas.js';

/** What LI says of a product an order line names: its SKU, or why the line stays unmatched. */
export type ProductSku = { sku: string } | { unmatched: 'sku-missing' | 'sku-not-found'; detail: string };

/**
 * SKUs of products that order lines name without their own SKU, read from `GET /v1/produto/{id}` once per product
 * (cached, in-flight reads shared): a backlog of orders of one product costs one request against the store's
 * 100/min. A failed read is not remembered.
 */
export interface ProductSkus {
  resolve(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, ProductSku>>;
}

export function productSkus(http: HttpClient, maxEntries = 5000): ProductSkus {
  const cache = new Map<string, Promise<ProductSku>>();
  const read = async (id: string, signal?: AbortSignal): Promise<ProductSku> => {
    const raw = await getOne(http, `produto/${id}`, signal);
    if (raw === null) return { unmatched: 'sku-not-found', detail: `produto ${id} não existe na Loja Integrada` };
    const produto = ProdutoSchema.safeParse(raw);
    if (!produto.success) return { unmatched: 'sku-not-found', detail: `produto ${id}: resposta ilegível da Loja Integrada` };
    const sku = produto.data.sku?.trim();
    return sku ? { sku } : { unmatched: 'sku-missing', detail: `o produto ${id} não tem sku na Loja Integrada` };
  };
  return {
    async resolve(ids, signal) {
      const out = new Map<string, ProductSku>();
      for (const id of new Set(ids)) {
        let pending = cache.get(id);
        if (!pending) {
          pending = read(id, signal);
          cache.set(id, pending);
          pending.catch(() => cache.delete(id));
          while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
        }
        out.set(id, await pending);
      }
      return out;
    },
  };
}
