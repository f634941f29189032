import type { QuantityMilli } from '../money/quantity.js';
import type { ErpPort } from '../spec/erp.js';
import type { Store } from '../store/store-port.js';
import type { StockView } from './stock-snapshot.js';

interface Level {
  availableMilli: QuantityMilli | null;
  readAt: string;
}

interface CompanyStock {
  levels: Map<string, Level>;
  /** This process's own last listing of the whole catalogue (or its incremental update): every SKU is known as of it. */
  listing?: { listedAt: string };
  /** Pages the last whole listing took (this process's or another worker's): what a refresh by listing costs. */
  pages?: number;
}

/** What the snapshots hold for one SKU: its level (null: no such product) and the instant it is known as of. */
interface Known {
  availableMilli: QuantityMilli | null;
  at: string;
}

export interface StockCacheOptions {
  store: Store;
  erp: ErpPort;
  now: () => string;
  /** How old a reading may be and still answer a stock check. */
  freshnessMs: number;
  /** Ask the ERP only for products changed since the last listing (the ERP must support it). */
  incremental: boolean;
  /** A refresh showed more stock than before for these SKUs: held orders may now be covered. */
  onRise?: (cnpj: string, skus: readonly string[]) => void;
}

/** A snapshot reading for a set of companies and SKUs, with when its oldest part was read. */
export interface StockReading extends StockView {
  /** Milliseconds between the oldest reading used and now. */
  ageMs: number;
}

/**
 * Per-company stock snapshots with bounded staleness, shared by every worker through the store: a check is answered
 * from a reading at most `freshnessMs` old (this process's, then the store's), and only what is older is read from
 * the ERP again, by listing the catalogue when that is as cheap as looking the SKUs up one by one, else by lookups.
 * Every ERP request costs a share of a small per-company rate limit, so no worker repeats one another already made
 * within the bound.
 */
export class StockCache {
  private readonly companies = new Map<string, CompanyStock>();
  private readonly listings = new Map<string, Promise<void>>();

  constructor(private readonly options: StockCacheOptions) {}

  get freshnessMs(): number {
    return this.options.freshnessMs;
  }

  /** Levels of `skus` in each company, none older than the freshness bound. */
  async read(cnpjs: readonly string[], skus: readonly string[], signal?: AbortSignal): Promise<StockReading> {
    let stale = this.staleByCompany(cnpjs, skus);
    if (stale.size > 0 && this.options.store.readStock) {
      this.merge(await this.options.store.readStock([...stale.keys()], skus), skus);
      stale = this.staleByCompany(cnpjs, skus);
    }
    if (stale.size > 0) await Promise.all([...stale].map(([cnpj, missing]) => this.refresh(cnpj, missing, signal)));
    return this.reading(cnpjs, skus);
  }

  /**
   * Reads these SKUs from the ERP now, whatever the snapshot holds, and saves them for every worker: after the ERP
   * refused an order for lack of stock, or when the snapshot may count an order twice.
   */
  async correct(cnpj: string, skus: readonly string[], signal?: AbortSignal): Promise<StockReading> {
    await this.lookUp(cnpj, [...new Set(skus)], signal);
    return this.reading([cnpj], skus);
  }

  private staleByCompany(cnpjs: readonly string[], skus: readonly string[]): Map<string, string[]> {
    const limit = Date.parse(this.options.now()) - this.options.freshnessMs;
    const stale = new Map<string, string[]>();
    for (const cnpj of cnpjs) {
      const missing = skus.filter((sku) => {
        const known = this.known(cnpj, sku);
        return !known || Date.parse(known.at) < limit;
      });
      if (missing.length > 0) stale.set(cnpj, missing);
    }
    return stale;
  }

  private known(cnpj: string, sku: string): Known | undefined {
    const company = this.companies.get(cnpj);
    if (!company) return undefined;
    const level = company.levels.get(sku);
    const listedAt = company.listing?.listedAt;
    if (level && (listedAt === undefined || level.readAt >= listedAt)) return { availableMilli: level.availableMilli, at: level.readAt };
    // The listing saw every product (or, incremental, every change): a SKU it left out keeps its level or is absent.
    if (listedAt !== undefined) return { availableMilli: level?.availableMilli ?? null, at: listedAt };
    return undefined;
  }

  private company(cnpj: string): CompanyStock {
    let company = this.companies.get(cnpj);
    if (!company) this.companies.set(cnpj, (company = { levels: new Map() }));
    return company;
  }

  /**
   * Takes up what the store holds for the SKUs asked about. A listing there says the SKUs it left out do not exist,
   * but only these SKUs were read, so each becomes a level of its own here: this process's listing (which implies
   * knowing every SKU) is only ever one it made itself.
   */
  private merge(stored: Awaited<ReturnType<NonNullable<Store['readStock']>>>, skus: readonly string[]): void {
    for (const listing of stored.listings) {
      const company = this.company(listing.cnpj);
      company.pages = listing.pages;
      for (const sku of skus) {
        const level = stored.levels.find((candidate) => candidate.cnpj === listing.cnpj && candidate.sku === sku);
        if (!level || level.readAt < listing.listedAt) this.setLevel(listing.cnpj, sku, { availableMilli: level?.availableMilli ?? null, readAt: listing.listedAt });
      }
    }
    for (const level of stored.levels) this.setLevel(level.cnpj, level.sku, { availableMilli: level.availableMilli, readAt: level.readAt });
  }

  private setLevel(cnpj: string, sku: string, level: Level): void {
    const company = this.company(cnpj);
    const current = company.levels.get(sku);
    if (!current || current.readAt <= level.readAt) company.levels.set(sku, level);
  }

  private async refresh(cnpj: string, skus: readonly string[], signal?: AbortSignal): Promise<void> {
    const pages = this.companies.get(cnpj)?.pages;
    // A listing costs its pages; lookups cost one request per SKU. The first time, the listing also tells which
    // products exist, so every later existence check is free.
    const list = this.options.erp.listStock && (pages === undefined || pages <= skus.length || this.options.incremental);
    if (!list) return this.lookUp(cnpj, skus, signal);
    let running = this.listings.get(cnpj);
    if (!running) {
      running = this.list(cnpj, signal).finally(() => this.listings.delete(cnpj));
      this.listings.set(cnpj, running);
    }
    await running;
  }

  private async list(cnpj: string, signal?: AbortSignal): Promise<void> {
    const before = this.companies.get(cnpj);
    const previous = before?.listing;
    const startedAt = this.options.now();
    const modifiedSince = this.options.incremental && previous ? previous.listedAt : undefined;
    const result = await this.options.erp.listStock!(cnpj, { ...(modifiedSince ? { modifiedSince } : {}), ...(signal ? { signal } : {}) });
    const rose: string[] = [];
    const levels = new Map<string, QuantityMilli | null>(result.levels);
    for (const [sku, available] of result.levels) {
      const old = this.known(cnpj, sku)?.availableMilli;
      if (old !== undefined && available > (old ?? 0)) rose.push(sku);
    }
    const company = this.company(cnpj);
    if (!result.incremental) {
      for (const [sku, level] of company.levels) if (level.readAt < startedAt && !result.levels.has(sku)) company.levels.delete(sku);
    }
    for (const [sku, available] of result.levels) this.setLevel(cnpj, sku, { availableMilli: available, readAt: startedAt });
    const pages = result.incremental ? (before?.pages ?? result.pages) : result.pages;
    if (!company.listing || company.listing.listedAt <= startedAt) company.listing = { listedAt: startedAt };
    company.pages = pages;
    await this.options.store.saveStock?.({ cnpj, levels, readAt: startedAt, listing: { whole: !result.incremental, pages } });
    if (rose.length > 0) this.options.onRise?.(cnpj, rose);
  }

  private async lookUp(cnpj: string, skus: readonly string[], signal?: AbortSignal): Promise<void> {
    const readAt = this.options.now();
    const stock = await this.options.erp.getStock(cnpj, skus, signal ? { signal } : {});
    const levels = new Map<string, QuantityMilli | null>();
    const rose: string[] = [];
    for (const sku of skus) {
      const available = stock.get(sku) ?? null;
      const old = this.known(cnpj, sku)?.availableMilli;
      if (old !== undefined && (available ?? 0) > (old ?? 0)) rose.push(sku);
      levels.set(sku, available);
      this.setLevel(cnpj, sku, { availableMilli: available, readAt });
    }
    await this.options.store.saveStock?.({ cnpj, levels, readAt });
    if (rose.length > 0) this.options.onRise?.(cnpj, rose);
  }

  private reading(cnpjs: readonly string[], skus: readonly string[]): StockReading {
    const byCompany: Record<string, Record<string, number>> = {};
    const read: Record<string, Set<string>> = {};
    let oldest: string | undefined;
    for (const cnpj of cnpjs) {
      const row: Record<string, number> = (byCompany[cnpj] = {});
      const seen = (read[cnpj] = new Set());
      for (const sku of skus) {
        const known = this.known(cnpj, sku);
        if (!known) continue;
        seen.add(sku);
        if (known.availableMilli !== null) row[sku] = known.availableMilli;
        if (oldest === undefined || known.at < oldest) oldest = known.at;
      }
    }
    const now = this.options.now();
    const takenAt = oldest ?? now;
    return { takenAt, byCompany, read, ageMs: Math.max(0, Date.parse(now) - Date.parse(takenAt)) };
  }
}
