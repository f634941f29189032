import type { TrayApi } from '../api.js';

/** What a line without `reference` resolves to: the SKU of its variant or product, or why there is none. */
export type TrayLineResolution =
  | { sku: string }
  | { unmatched: { reason: 'sku-missing' | 'sku-not-found'; detail: string } };

const NO_ID = new Set(['', '0']);
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Finds the SKU of order items whose `reference` is empty: Tray's own example item has `reference: ""` and a
 * `variant_id`. A variant's reference is the sellable SKU; a product's reference is used only for items sold without a
 * variant (a product's code is not its variants' code, so it is never borrowed for a variant). Answers are cached per
 * connector, so a backlog of orders for the same product costs one lookup; failures other than "not found" are not
 * cached and propagate, so the order is read again on the next run instead of being imported wrong.
 */
export class TraySkuResolver {
  private readonly cache = new Map<string, Promise<TrayLineResolution>>();

  constructor(
    private readonly api: TrayApi,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  /** The resolution for one item (a `ProductsSold` record), or undefined when it carries its own reference. */
  async resolve(item: Record<string, unknown>, signal?: AbortSignal): Promise<TrayLineResolution | undefined> {
    if (idText(item['reference'])) return undefined;
    const variantId = idText(item['variant_id']);
    const productId = idText(item['product_id']);
    if (variantId && !NO_ID.has(variantId)) return this.lookup('variant', variantId, signal);
    if (productId && !NO_ID.has(productId)) return this.lookup('product', productId, signal);
    return { unmatched: { reason: 'sku-missing', detail: 'Tray sent the item without reference, variant_id or product_id' } };
  }

  private lookup(kind: 'variant' | 'product', id: string, signal?: AbortSignal): Promise<TrayLineResolution> {
    const key = `${kind}:${id}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = this.fetch(kind, id, signal);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, pending);
    pending.catch(() => this.cache.delete(key));
    return pending;
  }

  private async fetch(kind: 'variant' | 'product', id: string, signal?: AbortSignal): Promise<TrayLineResolution> {
    const label = kind === 'variant' ? `variant ${id}` : `product ${id}`;
    const record = await this.api.catalogueRecord(kind, id, signal);
    if (record === null) return { unmatched: { reason: 'sku-not-found', detail: `the item has no reference and Tray has no ${label}` } };
    const reference = idText(record['reference']);
    if (reference) return { sku: reference };
    return { unmatched: { reason: 'sku-missing', detail: `neither the item nor its ${label} has a reference` } };
  }
}

function idText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value.trim() : '';
}
