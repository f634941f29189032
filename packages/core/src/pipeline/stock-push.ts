import { ConfigurationError } from '../errors/errors.js';
import { floorUnits, QUANTITY_SCALE, type QuantityMilli } from '../money/quantity.js';
import type { StockBuffer } from '../models/integration.js';
import type { StockLevel } from '../spec/connector.js';
import type { PipelineContext } from './context.js';

export interface StockPushSummary {
  pushed: number;
  unchanged: number;
  failed: number;
  notFound: string[];
}

/** One SKU of a stock push: what would be sent, and what the store was last sent. */
export interface StockPushLine {
  sku: string;
  /** Whole units after open movements and the safety buffer, in milli-units. */
  quantityMilli: QuantityMilli;
  /** Free stock before the buffer and rounding, summed over the allowed companies. */
  freeMilli: QuantityMilli;
  /** Last pushed value; undefined when this SKU was never pushed. */
  previousMilli: QuantityMilli | undefined;
  /** False when the value equals the last one pushed (and the push is not forced): it is not sent. */
  send: boolean;
}

export interface StockPushPlan {
  integrationId: string;
  /** The companies whose Mainô stock counts, by CNPJ. */
  companies: string[];
  lines: StockPushLine[];
}

/**
 * The stock a store may sell: the allowed companies' ERP stock, less open movements, less the safety buffer, rounded
 * down to whole units; values equal to the last push are marked as not to be sent. Reads only.
 */
export async function planStockPush(
  context: PipelineContext,
  integrationId: string,
  options: { skus?: readonly string[]; signal?: AbortSignal; force?: boolean } = {},
): Promise<StockPushPlan> {
  const { integration, connector, companies } = context.resolve(integrationId);
  if (!integration.stockPush.enabled) throw new ConfigurationError(`stock push is not enabled for integration "${integrationId}"`);
  if (!connector.pushStock) throw new ConfigurationError(`the ${connector.platform} connector cannot push stock`);
  const allowed = integration.stockPush.companies.length ? companies.filter((company) => integration.stockPush.companies.includes(company.cnpj)) : companies;
  const skus = options.skus ?? (await skusSold(context, integrationId));
  const reserved = await context.store.reservedStock(allowed.map((company) => company.cnpj));
  const totals = new Map<string, QuantityMilli>(skus.map((sku) => [sku, 0]));
  for (const company of allowed) {
    const stock = await context.erp.getStock(company.cnpj, skus, { signal: options.signal });
    for (const sku of skus) {
      const free = (stock.get(sku) ?? 0) - (reserved.get(company.cnpj)?.get(sku) ?? 0);
      totals.set(sku, (totals.get(sku) ?? 0) + Math.max(0, free));
    }
  }
  const previous = await context.store.getPushedStock(integrationId);
  const lines: StockPushLine[] = [];
  for (const [sku, total] of totals) {
    const quantityMilli = floorUnits(applyBuffer(total, integration.stockPush.buffer)) * QUANTITY_SCALE;
    const previousMilli = previous.get(sku);
    lines.push({ sku, quantityMilli, freeMilli: total, previousMilli, send: options.force === true || previousMilli !== quantityMilli });
  }
  return { integrationId, companies: allowed.map((company) => company.cnpj), lines };
}

/** Pushes the plan's changed values (all of them with `force`) and records what the store accepted. */
export async function pushStockFor(
  context: PipelineContext,
  integrationId: string,
  options: { skus?: readonly string[]; signal?: AbortSignal; force?: boolean } = {},
): Promise<StockPushSummary> {
  const plan = await planStockPush(context, integrationId, options);
  const { connector } = context.resolve(integrationId);
  const levels: StockLevel[] = plan.lines.filter((line) => line.send).map(({ sku, quantityMilli }) => ({ sku, quantityMilli }));
  const summary: StockPushSummary = { pushed: 0, unchanged: plan.lines.length - levels.length, failed: 0, notFound: [] };
  if (levels.length > 0) {
    const result = await connector.pushStock!(levels, {
      signal: options.signal,
      onProgress: (done, total) => context.events.emit('progress', { integrationId, task: 'stock-push', done, total }),
    });
    const updated = new Set(result.updated);
    await context.store.savePushedStock(integrationId, new Map(levels.filter((level) => updated.has(level.sku)).map((level) => [level.sku, level.quantityMilli])));
    summary.pushed = result.updated.length;
    summary.failed = result.failed.length;
    summary.notFound = result.notFound;
  }
  context.events.emit('stock-pushed', { integrationId, pushed: summary.pushed, unchanged: summary.unchanged, failed: summary.failed });
  return summary;
}

export function applyBuffer(totalMilli: QuantityMilli, buffer: StockBuffer): QuantityMilli {
  const kept = buffer.kind === 'units' ? totalMilli - Math.round(buffer.units * QUANTITY_SCALE) : totalMilli - Math.ceil((totalMilli * buffer.percent) / 100);
  return Math.max(0, kept);
}

async function skusSold(context: PipelineContext, integrationId: string): Promise<string[]> {
  const skus = new Set<string>();
  const pageSize = 500;
  for (let offset = 0; ; offset += pageSize) {
    const page = await context.store.listOrders({ integrationId, limit: pageSize, offset });
    for (const item of page.items) for (const line of item.order.lines) if (line.sku !== undefined) skus.add(line.sku);
    if (offset + pageSize >= page.total) break;
  }
  return [...skus].sort();
}
