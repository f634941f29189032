import { ConectaError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';

/** What a line with an empty or null `sku` resolves to: its product's or variation's SKU, or why there is none. */
export type WooLineResolution = { sku: string } | { unmatched: { reason: 'sku-missing' | 'sku-not-found'; detail: string } };

/** The parts of a line item the lookup reads. */
export interface WooLineRef {
  sku?: string | null;
  product_id: number;
  variation_id: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Finds the SKU of line items that arrive without one (the docs' own `GET /orders/727` has `sku: ""`): a variation's
 * SKU comes from `GET /products/{product_id}/variations/{variation_id}`, a simple product's from `GET
 * /products/{product_id}`. A parent's SKU is never borrowed for a variation. Answers are cached per connector so a
 * backlog costs one lookup per product; failures other than "not found" are not cached and propagate.
 */
export class WooSkuResolver {
  private readonly cache = new Map<string, Promise<WooLineResolution>>();

  constructor(
    private readonly http: HttpClient,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  async resolve(line: WooLineRef, signal?: AbortSignal): Promise<WooLineResolution | undefined> {
    if (typeof line.sku === 'string' && line.sku.trim() !== '') return undefined;
    if (line.product_id <= 0) {
      // WooCommerce zeroes the product id (and sends `sku: null`) when the product was deleted.
      return { unmatched: { reason: 'sku-not-found', detail: 'the product was deleted from the store (product_id 0)' } };
    }
    const path = line.variation_id > 0 ? `products/${line.product_id}/variations/${line.variation_id}` : `products/${line.product_id}`;
    const cached = this.cache.get(path);
    if (cached) return cached;
    const pending = this.fetch(path, line.variation_id > 0 ? `variation ${line.variation_id} of product ${line.product_id}` : `product ${line.product_id}`, signal);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(path, pending);
    pending.catch(() => this.cache.delete(path));
    return pending;
  }

  private async fetch(path: string, label: string, signal?: AbortSignal): Promise<WooLineResolution> {
    try {
      const response = await this.http.get<unknown>(path, undefined, { signal });
      const record = response.data && typeof response.data === 'object' ? (response.data as Record<string, unknown>) : {};
      const sku = typeof record['sku'] === 'string' ? record['sku'].trim() : '';
      if (sku) return { sku };
      return { unmatched: { reason: 'sku-missing', detail: `neither the line nor its ${label} has a SKU` } };
    } catch (error) {
      // Codes, not instanceof: a second copy of @conecta/core in node_modules must not change the outcome.
      if (ConectaError.isConectaError(error) && error.code === 'NOT_FOUND') {
        return { unmatched: { reason: 'sku-not-found', detail: `the line has no SKU and the store has no ${label}` } };
      }
      throw error;
    }
  }
}
