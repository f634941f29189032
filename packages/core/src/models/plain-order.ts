import {
  INSTANT_PATTERN,
  UNMATCHED_REASONS,
  addCoreWarnings,
  isCoreWarning,
  type Customer,
  type OrderLine,
  type OrderTotals,
  type OrderWarning,
  type PlatformOrder,
  type ProductRef,
  type UnmatchedLine,
} from './order.js';

/**
 * `PlatformOrderSchema`'s output for an order in the plain form connectors build (every field of its type, no key
 * present with `undefined`), read without zod; `undefined` for anything else, which the caller then parses with the
 * schema (its issues, paths and messages). Every order of every listing passes here: zod's compiled parser cost a
 * closure per optional field in a process that has just started, and a copy the core warnings copied again; this
 * builds the output once, key by key in the schema's order.
 *
 * Property tests pin it to the schema: whenever this returns an order, the schema returns the same one (keys and their
 * order included), and whenever the schema refuses an input, this returns undefined.
 */
export function plainPlatformOrder(input: unknown): PlatformOrder | undefined {
  if (!isRecord(input)) return undefined;
  const externalId = input['externalId'];
  const number = input['number'];
  const status = input['status'];
  const statusLabel = input['statusLabel'];
  if (!nonEmpty(externalId) || !nonEmpty(number) || !nonEmpty(status) || !optionalString(input, 'statusLabel', statusLabel)) return undefined;
  const customer = readCustomer(input['customer']);
  const rawLines = input['lines'];
  if (!customer || !Array.isArray(rawLines)) return undefined;
  const lines: OrderLine[] = [];
  for (let index = 0; index < rawLines.length; index += 1) {
    const line = readLine(rawLines[index]);
    if (!line) return undefined;
    lines.push(line);
  }
  const totals = readTotals(input['totals']);
  if (!totals) return undefined;
  const warnings = readWarnings(input['warnings']);
  const createdAt = input['createdAt'];
  const updatedAt = input['updatedAt'];
  if (!warnings || !isInstant(createdAt) || !isInstant(updatedAt) || !('raw' in input)) return undefined;
  const raw = input['raw'];
  const normalised = addCoreWarnings(customer, lines, totals, warnings);
  return statusLabel === undefined
    ? { externalId, number, status, customer: normalised, lines, totals, warnings, createdAt, updatedAt, raw }
    : { externalId, number, status, statusLabel: statusLabel as string, customer: normalised, lines, totals, warnings, createdAt, updatedAt, raw };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1;
}

/** Absent, or a string; a key present with `undefined` is left to the schema. */
function optionalString(record: Record<string, unknown>, key: string, value: unknown): boolean {
  return value === undefined ? !(key in record) : typeof value === 'string';
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT_PATTERN.test(value);
}

function safeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function readCustomer(value: unknown): Customer | undefined {
  if (!isRecord(value)) return undefined;
  const name = value['name'];
  const email = value['email'];
  const document = value['document'];
  const phone = value['phone'];
  if (typeof name !== 'string' || !optionalString(value, 'email', email) || !optionalString(value, 'document', document) || !optionalString(value, 'phone', phone)) {
    return undefined;
  }
  const customer: Customer = { name };
  if (email !== undefined) customer.email = email as string;
  if (document !== undefined) customer.document = document as string;
  if (phone !== undefined) customer.phone = phone as string;
  return customer;
}

function readLine(value: unknown): OrderLine | undefined {
  if (!isRecord(value)) return undefined;
  const lineId = value['lineId'];
  const sku = value['sku'];
  const name = value['name'];
  const quantityMilli = value['quantityMilli'];
  const unitPriceCents = value['unitPriceCents'];
  if (!optionalString(value, 'lineId', lineId) || !optionalString(value, 'sku', sku) || typeof name !== 'string') return undefined;
  if (!safeInteger(quantityMilli) || quantityMilli <= 0 || !safeInteger(unitPriceCents) || unitPriceCents < 0) return undefined;
  const productRef = value['productRef'];
  let ref: ProductRef | undefined;
  if (productRef !== undefined) {
    ref = readProductRef(productRef);
    if (!ref) return undefined;
  } else if ('productRef' in value) return undefined;
  const unmatched = value['unmatched'];
  let why: UnmatchedLine | undefined;
  if (unmatched !== undefined) {
    why = readUnmatched(unmatched);
    if (!why) return undefined;
  } else if ('unmatched' in value) return undefined;
  // The schema drops a blank SKU and marks the line unmatched; a line with a SKU that says it is unmatched is refused.
  const matched = typeof sku === 'string' && sku.trim() !== '';
  if (matched && why) return undefined;
  // Object literals per shape rather than keys added one by one: a quarter of the cost in a process just started.
  let line: OrderLine;
  if (matched) line = lineId !== undefined ? { lineId: lineId as string, sku, name, quantityMilli, unitPriceCents } : { sku, name, quantityMilli, unitPriceCents };
  else line = lineId !== undefined ? { lineId: lineId as string, name, quantityMilli, unitPriceCents } : { name, quantityMilli, unitPriceCents };
  if (ref) line.productRef = ref;
  if (!matched) line.unmatched = why ?? { reason: 'sku-missing' };
  return line;
}

function readProductRef(value: unknown): ProductRef | undefined {
  if (!isRecord(value)) return undefined;
  const productId = value['productId'];
  const variantId = value['variantId'];
  if (productId === undefined ? 'productId' in value : !nonEmpty(productId)) return undefined;
  if (variantId === undefined ? 'variantId' in value : !nonEmpty(variantId)) return undefined;
  const ref: ProductRef = {};
  if (productId !== undefined) ref.productId = productId as string;
  if (variantId !== undefined) ref.variantId = variantId as string;
  return ref;
}

function readUnmatched(value: unknown): UnmatchedLine | undefined {
  if (!isRecord(value)) return undefined;
  const reason = value['reason'];
  const detail = value['detail'];
  if ((reason !== UNMATCHED_REASONS[0] && reason !== UNMATCHED_REASONS[1]) || !optionalString(value, 'detail', detail)) return undefined;
  return detail === undefined ? { reason } : { reason, detail: detail as string };
}

/** The schema's default applies to undefined only (null is refused). */
function orZero(value: unknown): unknown {
  return value === undefined ? 0 : value;
}

function readTotals(value: unknown): OrderTotals | undefined {
  if (!isRecord(value)) return undefined;
  // The schema's defaults: an absent (or undefined) part of the breakdown is 0.
  const itemsCents = value['itemsCents'];
  const shippingCents = orZero(value['shippingCents']);
  const discountCents = orZero(value['discountCents']);
  const feesCents = orZero(value['feesCents']);
  const taxCents = orZero(value['taxCents']);
  const totalCents = value['totalCents'];
  if (!safeInteger(itemsCents) || !safeInteger(shippingCents) || !safeInteger(discountCents) || !safeInteger(feesCents) || !safeInteger(taxCents) || !safeInteger(totalCents)) {
    return undefined;
  }
  return { itemsCents, shippingCents, discountCents, feesCents, taxCents, totalCents };
}

/** The connector's warnings, core's own left out (they are recomputed); undefined when one is not a warning. */
function readWarnings(value: unknown): OrderWarning[] | undefined {
  const warnings: OrderWarning[] = [];
  if (value === undefined) return warnings;
  if (!Array.isArray(value)) return undefined;
  for (let index = 0; index < value.length; index += 1) {
    const warning = readWarning(value[index]);
    if (!warning) return undefined;
    if (!isCoreWarning(warning)) warnings.push(warning);
  }
  return warnings;
}

function readWarning(value: unknown): OrderWarning | undefined {
  if (!isRecord(value)) return undefined;
  const code = value['code'];
  const message = value['message'];
  if (typeof message !== 'string') return undefined;
  if (code === 'field-ignored') {
    const field = value['field'];
    return nonEmpty(field) ? { code, field, message } : undefined;
  }
  if (code === 'line-unmatched') {
    const lineIndex = value['lineIndex'];
    return safeInteger(lineIndex) && lineIndex >= 0 ? { code, lineIndex, message } : undefined;
  }
  if (code === 'totals-mismatch') {
    const expectedCents = value['expectedCents'];
    const computedCents = value['computedCents'];
    return safeInteger(expectedCents) && safeInteger(computedCents) ? { code, expectedCents, computedCents, message } : undefined;
  }
  return undefined;
}
