import type { StockSnapshot } from '../allocator/types.js';
import type { Company } from '../models/company.js';
import type { ReservedStock } from '../store/store-port.js';
import type { PipelineContext } from './context.js';

/** Reads the companies' ERP stock for the SKUs, in parallel, and notes when it was read. */
export async function readStockSnapshot(
  context: PipelineContext,
  companies: readonly Company[],
  skus: readonly string[],
  signal?: AbortSignal,
): Promise<{ snapshot: Record<string, Record<string, number>>; takenAt: string }> {
  const takenAt = context.now();
  const entries = await Promise.all(
    companies.map(async (company) => [company.cnpj, Object.fromEntries(await context.erp.getStock(company.cnpj, skus, { signal }))] as const),
  );
  return { snapshot: Object.fromEntries(entries), takenAt };
}

/** The snapshot less what other orders hold: what this order may take. */
export function netOfReserved(snapshot: Record<string, Record<string, number>>, reserved: ReservedStock): StockSnapshot {
  const net: Record<string, Record<string, number>> = {};
  for (const [cnpj, bySku] of Object.entries(snapshot)) {
    const row: Record<string, number> = {};
    for (const [sku, available] of Object.entries(bySku)) row[sku] = available - reserved.get(cnpj, sku);
    net[cnpj] = row;
  }
  return net;
}
