import type { Company } from '../models/company.js';
import { formatQuantity } from '../money/quantity.js';
import type { LineOutcome, SkipReason } from './types.js';

/**
 * Human sentences for the explanation. Built eagerly from fragments the fill loop already has at hand (plain string
 * concatenation, which V8 keeps as cheap ropes): measured well inside the throughput goal, so no lazy getter is needed
 * and explanations stay plain JSON-friendly objects.
 */

export function describeCompany(company: Company): string {
  return `${company.name} (priority ${company.priority})`;
}

export function chosenFragment(company: Company, quantityMilli: number): string {
  return `${formatQuantity(quantityMilli)} from ${describeCompany(company)}`;
}

export function skippedFragment(company: Company, reason: SkipReason, maxCompanies: number | undefined): string {
  return `${describeCompany(company)}: ${reasonText(reason, maxCompanies)}`;
}

function reasonText(reason: SkipReason, maxCompanies: number | undefined): string {
  switch (reason) {
    case 'inactive':
      return 'inactive';
    case 'no-stock':
      return 'no stock';
    case 'unknown-sku':
      return 'does not list this SKU';
    case 'not-chosen':
      return 'not needed by the smallest split';
    case 'over-company-limit':
      return maxCompanies === undefined ? 'over the company limit' : `over the limit of ${maxCompanies} companies`;
    case 'single-company-short':
      return 'cannot supply the whole order alone';
  }
}

export interface SummaryParts {
  outcome: LineOutcome;
  sku: string;
  requestedMilli: number;
  missingMilli: number;
  /** "2 from Matriz (priority 1), 1 from Filial (priority 2)", or '' */
  chosen: string;
  /** "Filial RJ (priority 3): inactive, …", or '' */
  skipped: string;
  /** True when all-or-nothing held the order: `chosen` is then what could have been taken. */
  held: boolean;
}

export function summarize(parts: SummaryParts): string {
  const { outcome, sku, requestedMilli, missingMilli, chosen, skipped, held } = parts;
  if (requestedMilli === 0) return 'Nothing to allocate: quantity 0.';
  if (outcome === 'unknown-sku') {
    return `Unknown SKU ${sku}: no company in the group lists it; ${formatQuantity(missingMilli)} missing.`;
  }
  let text: string;
  if (held) {
    text = 'Held, nothing allocated: the order cannot be covered in full and the policy is all-or-nothing';
    text += chosen === '' ? `; nothing available for SKU ${sku}` : `; available: ${chosen}`;
  } else {
    text = chosen === '' ? `Nothing available for SKU ${sku}` : chosen;
  }
  if (missingMilli > 0) text += `; ${formatQuantity(missingMilli)} missing`;
  if (skipped !== '') text += `; skipped ${skipped}`;
  return `${text}.`;
}
