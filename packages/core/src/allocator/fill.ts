import { atLeast, type AllocationContext } from './context.js';
import type { Selection } from './select.js';
import { chosenFragment, skippedFragment, summarize } from './summary.js';
import type { AllocationLineInput, LineExplanation, PlannedMovement, Shortfall, SkipReason } from './types.js';

/** The fill of every line within the selected companies, before the shortfall policy is applied. */
export interface Fill {
  movements: PlannedMovement[];
  explanation: LineExplanation[];
  /** In partial form: `allocatedMilli === availableMilli`. */
  shortfalls: Shortfall[];
  complete: boolean;
  /** Per line, the sentence fragments, kept so a held order can be re-worded without refilling. */
  chosenText: string[];
  skippedText: string[];
}

let remainingBuf = new Float64Array(256);

/**
 * Lines are filled in order, each from the allowed companies in priority order, drawing down one shared
 * company × SKU balance so repeated SKUs never take more than exists.
 */
export function fillLines(
  ctx: AllocationContext,
  lines: readonly AllocationLineInput[],
  selection: Selection,
  maxCompanies: number | undefined,
): Fill {
  const { companies, companyCount, skuCount, skus, lineSku, listed, listedAnywhere } = ctx;
  const { allowed, outsideReason } = selection;
  const cells = companyCount * skuCount;
  remainingBuf = atLeast(remainingBuf, cells, Float64Array);
  const remaining = remainingBuf;
  const stock = ctx.stock;
  for (let k = 0; k < cells; k++) remaining[k] = stock[k]!;

  const movements: PlannedMovement[] = [];
  const explanation: LineExplanation[] = [];
  const shortfalls: Shortfall[] = [];
  const chosenText: string[] = [];
  const skippedText: string[] = [];
  let complete = true;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const s = lineSku[i]!;
    const sku = skus[s]!;
    const requested = line.quantityMilli;
    let need = requested;
    const chosen: LineExplanation['chosen'] = [];
    const skipped: LineExplanation['skipped'] = [];
    let chosenFragments = '';
    let skippedFragments = '';

    // Stopping once the line is covered is what makes `skipped` list only companies ranked above the last one used.
    for (let c = 0; c < companyCount && need > 0; c++) {
      const company = companies[c]!;
      const cell = c * skuCount + s;
      const have = remaining[cell]!;
      let reason: SkipReason;
      if (!company.active) {
        reason = 'inactive';
      } else if (allowed[c] === 1 && have > 0) {
        const take = have < need ? have : need;
        remaining[cell] = have - take;
        need -= take;
        chosen.push({ companyCnpj: company.cnpj, quantityMilli: take });
        movements.push({ lineIndex: i, sku, companyCnpj: company.cnpj, quantityMilli: take, unitPriceCents: line.unitPriceCents });
        chosenFragments += (chosenFragments === '' ? '' : ', ') + chosenFragment(company, take);
        continue;
      } else if (have > 0) {
        reason = outsideReason;
      } else {
        reason = listed[cell] === 1 ? 'no-stock' : 'unknown-sku';
      }
      skipped.push({ companyCnpj: company.cnpj, reason, availableMilli: have });
      skippedFragments += (skippedFragments === '' ? '' : ', ') + skippedFragment(company, reason, maxCompanies);
    }

    const allocated = requested - need;
    const outcome = need === 0 ? 'covered' : listedAnywhere[s] === 0 ? 'unknown-sku' : allocated > 0 ? 'partial' : 'short';
    if (need > 0) {
      complete = false;
      shortfalls.push({ lineIndex: i, sku, requestedMilli: requested, allocatedMilli: allocated, availableMilli: allocated, missingMilli: need });
    }
    const summary = summarize({ outcome, sku, requestedMilli: requested, missingMilli: need, chosen: chosenFragments, skipped: skippedFragments, held: false });
    explanation.push({ lineIndex: i, outcome, sku, requestedMilli: requested, chosen, skipped, summary });
    chosenText.push(chosenFragments);
    skippedText.push(skippedFragments);
  }

  return { movements, explanation, shortfalls, complete, chosenText, skippedText };
}
