import type { StockSnapshot } from '../allocator/types.js';
import type { Company } from '../models/company.js';
import type { ReservedStock } from '../store/store-port.js';
import type { PipelineContext } from './context.js';
import type { StockReading } from './stock-cache.js';

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
  /** Quantities of the SKUs read that the company has; a SKU read and absent has no entry. */
  byCompany: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Every SKU read per company, present or not: a SKU not listed was not asked about. */
  read: Readonly<Record<string, ReadonlySet<string>>>;
}

/**
 * Reads companies' stock in priority order, as little as needed: `readUntilCovered` asks each company only for the
 * SKUs the companies before it cannot cover (net of what other orders hold, estimated outside the store's lock), and
 * stops once every SKU is covered.
 */
export class StockReader {
  private readonly byCompany: Record<string, Record<string, number>> = {};
  private readonly readSkus: Record<string, Set<string>> = {};
  private touched = 0;
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
    const free = new Map<string, number>();
    for (const company of this.companies) {
      const uncovered = [...needed].filter(([sku, quantity]) => (free.get(sku) ?? 0) < quantity).map(([sku]) => sku);
      if (uncovered.length === 0) return;
      await this.readMissing([company], uncovered);
      this.touched = Math.max(this.touched, this.companies.indexOf(company) + 1);
      for (const sku of uncovered) {
        const available = (this.byCompany[company.cnpj]?.[sku] ?? 0) - (reserved.get(company.cnpj)?.get(sku) ?? 0);
        free.set(sku, (free.get(sku) ?? 0) + Math.max(0, available));
      }
    }
  }

  async readAll(): Promise<void> {
    await this.readMissing(this.companies, this.skus);
    this.touched = this.companies.length;
  }

  /** Every SKU of every company has been read. */
  complete(): boolean {
    return this.companies.every((company) => this.skus.every((sku) => this.readSkus[company.cnpj]?.has(sku)));
  }

  /** The companies the allocator may consider: those read, in priority order. */
  readCompanies(): Company[] {
    return this.companies.slice(0, this.touched);
  }

  snapshot(): Record<string, Record<string, number>> {
    return this.byCompany;
  }

  takenAt(): string {
    return this.firstReadAt ?? this.context.now();
  }

  view(): StockView {
    return { takenAt: this.takenAt(), byCompany: this.byCompany, read: this.readSkus };
  }

  private async readMissing(companies: readonly Company[], skus: readonly string[]): Promise<void> {
    this.firstReadAt ??= this.context.now();
    await Promise.all(
      companies.map(async (company) => {
        const read = (this.readSkus[company.cnpj] ??= new Set());
        const missing = skus.filter((sku) => !read.has(sku));
        if (missing.length === 0) return;
        const stock = await this.context.erp.getStock(company.cnpj, missing, { signal: this.signal });
        const row = (this.byCompany[company.cnpj] ??= {});
        for (const sku of missing) {
          read.add(sku);
          const available = stock.get(sku);
          if (available !== undefined) row[sku] = available;
        }
      }),
    );
  }
}

/**
 * The same interface over the shared snapshots (`stockFreshnessMs` > 0): every company's levels come from one read
 * that costs no ERP request while the snapshots are fresh, so nothing is gained by reading company by company.
 */
export class SnapshotStockSource {
  private reading: StockReading | undefined;

  constructor(
    private readonly context: PipelineContext,
    private readonly companies: readonly Company[],
    private readonly skus: readonly string[],
    private readonly signal: AbortSignal | undefined,
    /** Read Mainô now instead of the snapshots: a person's choice is checked against what Mainô says at that moment. */
    private readonly fresh = false,
  ) {}

  async readUntilCovered(): Promise<void> {
    await this.readAll();
  }

  async readAll(): Promise<void> {
    const cnpjs = this.companies.map((company) => company.cnpj);
    if (this.fresh) await Promise.all(cnpjs.map((cnpj) => this.context.stock.correct(cnpj, this.skus, this.signal)));
    this.reading ??= await this.context.stock.read(cnpjs, this.skus, this.signal);
  }

  complete(): boolean {
    return true;
  }

  readCompanies(): Company[] {
    return [...this.companies];
  }

  snapshot(): Record<string, Record<string, number>> {
    return this.reading?.byCompany as Record<string, Record<string, number>>;
  }

  takenAt(): string {
    return this.reading?.takenAt ?? this.context.now();
  }

  view(): StockView {
    return this.reading!;
  }
}

export type StockSource = Pick<StockReader, 'readUntilCovered' | 'readAll' | 'complete' | 'readCompanies' | 'snapshot' | 'takenAt' | 'view'>;

export function stockSource(context: PipelineContext, companies: readonly Company[], skus: readonly string[], signal: AbortSignal | undefined, fresh = false): StockSource {
  return context.stockFreshnessMs > 0 ? new SnapshotStockSource(context, companies, skus, signal, fresh) : new StockReader(context, companies, skus, signal);
}
