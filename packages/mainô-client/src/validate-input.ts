import { ValidationError, type CreateSalesOrderInput, type FieldIssue } from '@conecta/core';

/** Checked before the first request: a bad order would otherwise reach Mainô half-formed or with float values. */
export function validateCreateInput(input: CreateSalesOrderInput): void {
  const issues: FieldIssue[] = [];
  if (!input.externalReference.trim()) issues.push({ path: 'externalReference', message: 'must not be empty' });
  if (!input.tag.trim()) issues.push({ path: 'tag', message: 'must not be empty' });
  if (Number.isNaN(Date.parse(input.issuedAt))) issues.push({ path: 'issuedAt', message: `"${input.issuedAt}" is not an ISO instant` });
  if (input.lines.length === 0) issues.push({ path: 'lines', message: 'an order needs at least one line' });
  input.lines.forEach((line, index) => {
    if (!line.sku.trim()) issues.push({ path: `lines.${index}.sku`, message: 'must not be empty' });
    if (!Number.isSafeInteger(line.quantityMilli) || line.quantityMilli <= 0) {
      issues.push({ path: `lines.${index}.quantityMilli`, message: 'must be a positive integer of milli-units' });
    }
    if (!Number.isSafeInteger(line.unitPriceCents) || line.unitPriceCents < 0) {
      issues.push({ path: `lines.${index}.unitPriceCents`, message: 'must be a non-negative integer of cents' });
    }
  });
  for (const key of ['shippingCents', 'discountCents', 'otherExpensesCents'] as const) {
    const value = input.charges?.[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) issues.push({ path: `charges.${key}`, message: 'must be a non-negative integer of cents' });
  }
  if (issues.length > 0) throw new ValidationError(issues, { subject: `sales order ${input.externalReference}` });
}
