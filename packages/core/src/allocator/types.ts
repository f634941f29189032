import type { AllocationStrategy, Company, ShortfallPolicy } from '../models/company.js';
import type { QuantityMilli } from '../money/quantity.js';

/** Available stock per company and SKU, in milli-units: `snapshot[cnpj][sku]`. Missing means unknown (treated as 0). */
export type StockSnapshot = Readonly<Record<string, Readonly<Record<string, QuantityMilli>>>>;

export interface AllocationLineInput {
  /** Absent for a line the platform sent without a SKU and no person has mapped yet: it gets no movement. */
  sku?: string;
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

/**
 * covered: allocated in full (a 0-quantity line is trivially covered). partial: some allocated, the rest missing
 * (partial policy). short: not servable in full and nothing allocated (nothing available, or all-or-nothing held the
 * order). unknown-sku: no company of the group lists the SKU at all. held: the line could be served in full, but the
 * order is short elsewhere and the policy is all-or-nothing, so nothing was allocated. unmatched: the line has no SKU
 * (until a person maps one), so it gets no movement and the order is not complete.
 */
export type LineOutcome = 'covered' | 'partial' | 'short' | 'unknown-sku' | 'held' | 'unmatched';

export interface LineExplanation {
  lineIndex: number;
  outcome: LineOutcome;
  /** Absent only for an unmatched line. */
  sku?: string;
  requestedMilli: QuantityMilli;
  /** Companies that supplied this line, in priority order; empty when nothing was allocated (held lines included). */
  chosen: Array<{ companyCnpj: string; quantityMilli: QuantityMilli }>;
  /**
   * Companies passed over for this line, in priority order: those ranked above the last company used, or every company
   * when the line ends short. Companies below a line that was already covered are not listed: nobody asked them.
   * `availableMilli` is what the company still had for this SKU at that point (earlier lines may have drawn from it).
   */
  skipped: Array<{ companyCnpj: string; reason: SkipReason; availableMilli: QuantityMilli }>;
  /**
   * All-or-nothing held the order: what this line would have taken from each company (for a short line, all that
   * company had), so people can see the stock the order was refused on. Absent when nothing was held.
   */
  held?: Array<{ companyCnpj: string; quantityMilli: QuantityMilli }>;
  /** One sentence for people, e.g. "2 from Matriz (priority 1); Filial SP skipped: no stock". */
  summary: string;
}

/**
 * A line the group cannot serve in full under the chosen strategy. Always `requestedMilli = availableMilli +
 * missingMilli`: `missingMilli` is the stock that has to arrive. `allocatedMilli` equals `availableMilli` under the
 * partial policy and is 0 when all-or-nothing held the order.
 */
export interface Shortfall {
  lineIndex: number;
  sku: string;
  requestedMilli: QuantityMilli;
  allocatedMilli: QuantityMilli;
  /** What the strategy could have supplied for this line. */
  availableMilli: QuantityMilli;
  missingMilli: QuantityMilli;
}

export interface AllocationResult {
  movements: PlannedMovement[];
  explanation: LineExplanation[];
  shortfalls: Shortfall[];
  /** True when every line is covered in full. */
  complete: boolean;
}
