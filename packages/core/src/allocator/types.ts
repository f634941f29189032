import type { AllocationStrategy, Company, ShortfallPolicy } from '../models/company.js';
import type { QuantityMilli } from '../money/quantity.js';

/** Available stock per company and SKU, in milli-units: `snapshot[cnpj][sku]`. Missing means unknown (treated as 0). */
export type StockSnapshot = Readonly<Record<string, Readonly<Record<string, QuantityMilli>>>>;

export interface AllocationLineInput {
  sku: string;
  quantityMilli: QuantityMilli;
  unitPriceCents: number;
}

export interface AllocationInput {
  lines: readonly AllocationLineInput[];
}

export interface AllocationPolicyOptions {
  /** The group's companies; inactive ones are skipped (and the explanation says so). */
  companies: readonly Company[];
  strategy: AllocationStrategy;
  shortfall: ShortfallPolicy;
  /** fewest-companies only: the most companies one order may be split across. */
  maxCompanies?: number;
}

/** One line (or part of a line) supplied by one company. */
export interface PlannedMovement {
  lineIndex: number;
  sku: string;
  companyCnpj: string;
  quantityMilli: QuantityMilli;
  unitPriceCents: number;
}

export type SkipReason = 'inactive' | 'no-stock' | 'unknown-sku' | 'not-chosen' | 'over-company-limit' | 'single-company-short';

export interface LineExplanation {
  lineIndex: number;
  sku: string;
  requestedMilli: QuantityMilli;
  chosen: Array<{ companyCnpj: string; quantityMilli: QuantityMilli }>;
  skipped: Array<{ companyCnpj: string; reason: SkipReason; availableMilli: QuantityMilli }>;
  /** One sentence for people, e.g. "2 from Matriz (priority 1); Filial SP skipped: no stock". */
  summary: string;
}

export interface Shortfall {
  lineIndex: number;
  sku: string;
  requestedMilli: QuantityMilli;
  allocatedMilli: QuantityMilli;
  missingMilli: QuantityMilli;
}

export interface AllocationResult {
  movements: PlannedMovement[];
  explanation: LineExplanation[];
  shortfalls: Shortfall[];
  /** True when every line is covered in full. */
  complete: boolean;
}
