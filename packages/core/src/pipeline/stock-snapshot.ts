import type { StockSnapshot } from '../allocator/types.js';
import type { Company } from '../models/company.js';
import type { ReservedStock } from '../store/store-port.js';
import type { PipelineContext } from './context.js';

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

/** ERP stock as read for an allocation: per company (only those read) and SKU, with when the first read started. */
export interface StockView {
  takenAt: string;
  byCompany: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Reads companies' stock in priority order, as few as needed: `readUntilCovered` stops once the companies read so far
 * hold enough of every SKU (net of what other orders hold, estimated outside the store's lock).
 */
export class StockReader {
  private readonly byCompany: Record<string, Record<string, number>> = {};
  private read = 0;
  private firstReadAt: string | undefined;

  constructor(
    private readonly context: PipelineContext,
    private readonly companies: readonly Company[],
    private readonly skus: readonly string[],
    private readonly signal: AbortSignal | undefined,
  ) {}

  async readUntilCovered(lines: ReadonlyArray<{ sku: string; quantityMilli: number }>): Promise<void> {
    const needed = new Map<string, number>();
    for (const line of lines) needed.set(line.sku, (needed.get(line.sku) ?? 0) + line.quantityMilli);
    const reserved = await this.context.store.reservedStock(this.companies.map((company) => company.cnpj));
    while (this.read < this.companies.length) {
      await this.readNext(this.read + 1);
      const covered = [...needed].every(([sku, quantity]) => {
        let free = 0;
        for (const company of this.companies.slice(0, this.read)) {
          free += Math.max(0, (this.byCompany[company.cnpj]?.[sku] ?? 0) - (reserved.get(company.cnpj)?.get(sku) ?? 0));
        }
        return free >= quantity;
      });
      if (covered) return;
    }
  }

  async readAll(): Promise<void> {
    await this.readNext(this.companies.length);
  }

  readCompanies(): Company[] {
    return this.companies.slice(0, this.read);
  }

  snapshot(): Record<string, Record<string, number>> {
    return this.byCompany;
  }

  takenAt(): string {
    return this.firstReadAt ?? this.context.now();
  }

  view(): StockView {
    return { takenAt: this.takenAt(), byCompany: this.byCompany };
  }

  private async readNext(upTo: number): Promise<void> {
    const batch = this.companies.slice(this.read, upTo);
    if (batch.length === 0) return;
    this.firstReadAt ??= this.context.now();
    const results = await Promise.all(batch.map(async (company) => [company.cnpj, await this.context.erp.getStock(company.cnpj, this.skus, { signal: this.signal })] as const));
    for (const [cnpj, stock] of results) this.byCompany[cnpj] = Object.fromEntries(stock);
    this.read = upTo;
  }
}
