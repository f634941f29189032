import * as z from 'zod';
import { compiledSchema, decodeHtmlEntities, formatCents, fromZodError, normalizeTaxId, parseCents, parseQuantity, ValidationError, type DecimalParseOptions, type OrderWarning, type PlatformOrderInput } from '@conecta/core';
import { gmtInstant, parseGmt } from './gmt.js';
import { isPlainWooOrder } from './plain-payload.js';
import type { WooLineRef, WooLineResolution } from './resolve-skus.js';

const LineItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  product_id: z.number().int(),
  variation_id: z.number().int(),
  quantity: z.number(),
  subtotal: z.string(),
  total: z.string(),
  // "" when the product has no SKU, null when the product was deleted; a number on some stores (WooCommerce's own
  // app decodes `"sku": 123`), read as its decimal text.
  sku: z.union([z.string(), z.number().int()]).nullable().optional(),
});

const AmountLineSchema = z.object({ total: z.string() });

const AddressSchema = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  company: z.string().optional(),
  email: z.string().nullable().optional(),
  phone: z.string().optional(),
  // Added by the "Brazilian Market on WooCommerce" plugin; absent on stores without it. persontype: F or J.
  persontype: z.string().optional(),
  cpf: z.string().optional(),
  cnpj: z.string().optional(),
});

/**
 * The fields the mapping reads. Unknown keys are dropped from the parsed value instead of copied (copying every key of
 * every order was about half of the schema's cost); the whole payload stays in the order's `raw`.
 */
export const WooCommerceOrderSchema = z.object({
  id: z.number().int().positive(),
  number: z.union([z.string(), z.number()]),
  status: z.string().min(1),
  date_created_gmt: z.string(),
  date_modified_gmt: z.string(),
  discount_total: z.string(),
  shipping_total: z.string(),
  total_tax: z.string().optional(),
  total: z.string(),
  billing: AddressSchema.optional(),
  line_items: z.array(LineItemSchema),
  fee_lines: z.array(AmountLineSchema).optional(),
  refunds: z.array(AmountLineSchema).optional(),
  meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
});
export type WooCommerceOrder = z.output<typeof WooCommerceOrderSchema>;
const wooCommerceOrder = compiledSchema(WooCommerceOrderSchema);

/**
 * The order fields the mapping reads: the schema's keys, so a field the schema gains is asked for too. The listing and
 * `getOrder` ask WooCommerce for these alone (WordPress's `_fields` parameter) unless the `orderFields` option says
 * otherwise; the rest of an order (its `_links`, shipping address and lines, tax lines, payment URL, ...) was more than
 * half of its bytes, built by the store and read by us for nothing.
 */
export const WOOCOMMERCE_MAPPED_ORDER_FIELDS: readonly string[] = Object.freeze(Object.keys(WooCommerceOrderSchema.shape));

/** WooCommerce's REST API writes amounts with "." whatever the store's display separator. */
const DECIMAL = { decimalSeparator: '.' } as const;
const SHIPPING_TOTAL = { field: 'shipping_total', ...DECIMAL };
const DISCOUNT_TOTAL = { field: 'discount_total', ...DECIMAL };
const TOTAL_TAX = { field: 'total_tax', ...DECIMAL };
const TOTAL = { field: 'total', ...DECIMAL };

/** A line's amounts are read with fixed options; the line's index goes into the path only when one fails. */
const LINE_QUANTITY = { field: 'quantity', ...DECIMAL };
const LINE_SUBTOTAL = { field: 'subtotal', ...DECIMAL };

function lineAmount(parse: (input: unknown, options: DecimalParseOptions) => number, input: unknown, options: DecimalParseOptions, index: number): number {
  try {
    return parse(input, options);
  } catch (error) {
    // The decimal readers throw a ValidationError naming `options.field`.
    const { issues } = error as ValidationError;
    throw new ValidationError(issues.map((issue) => ({ ...issue, path: `line_items.${index}.${issue.path}` })));
  }
}

/** Reads the id and modification instant needed for paging, before (and even when) the full mapping fails. */
export function peekOrder(raw: unknown): { id?: string; modifiedMs?: number } {
  if (!raw || typeof raw !== 'object') return {};
  const record = raw as Record<string, unknown>;
  const id = typeof record['id'] === 'number' || typeof record['id'] === 'string' ? String(record['id']) : undefined;
  const written = record['date_modified_gmt'];
  let modifiedMs: number | undefined;
  try {
    // Stryker disable next-line StringLiteral: equivalent, the label only names the field in an error the catch discards
    modifiedMs = parseGmt(written, 'date_modified_gmt');
  } catch {
    // An unreadable modification date: the listing pages this order by its id, and the mapping names the field.
  }
  return { id, modifiedMs };
}

/**
 * The line items that need a SKU lookup, by index. Read without the schema (a listing parses every order once already);
 * a line too broken to look up is skipped and the mapping reports it.
 */
export function linesToResolve(raw: unknown): ReadonlyArray<{ index: number; line: WooLineRef }> {
  const items = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['line_items'] : undefined;
  if (!Array.isArray(items)) return NO_LINES;
  let out: Array<{ index: number; line: WooLineRef }> | undefined;
  for (let index = 0; index < items.length; index += 1) {
    const item: unknown = items[index];
    if (!item || typeof item !== 'object') continue;
    const { sku, product_id: productId, variation_id: variationId } = item as Record<string, unknown>;
    if ((typeof sku === 'string' && sku.trim() !== '') || typeof sku === 'number') continue;
    if (!Number.isInteger(productId) || !Number.isInteger(variationId)) continue;
    // The line's SKU is blank or absent here, which the resolver reads as none either way: it is not passed on.
    (out ??= []).push({ index, line: { product_id: productId as number, variation_id: variationId as number } });
  }
  return out ?? NO_LINES;
}

const NO_LINES: ReadonlyArray<{ index: number; line: WooLineRef }> = [];

/**
 * Maps one WooCommerce order to the canonical shape; parsePlatformOrder validates the result. The breakdown: items =
 * the lines' `subtotal` (before coupons), `shipping_total`, `discount_total`, fees = the `fee_lines`, taxes =
 * `total_tax`; refunds do not change WooCommerce's `total` and are reported, not subtracted.
 */
export function mapWooCommerceOrder(raw: unknown, labels: Record<string, string>, resolutions: ReadonlyMap<number, WooLineResolution> = new Map()): PlatformOrderInput {
  // The schema has no transforms or defaults, so a payload it accepts is read as it came (unknown keys are ignored).
  const order = isPlainWooOrder(raw) || wooCommerceOrder.validate(raw) ? (raw as WooCommerceOrder) : rejectInvalid(raw);
  const warnings: OrderWarning[] = [];
  // Plain loops and one object per line: every order of a listing passes here, in a process that has just started.
  const items = order.line_items;
  const lines: PlatformOrderInput['lines'] = [];
  let itemsCents = 0;
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index]!;
    const quantityMilli = lineAmount(parseQuantity, item.quantity, LINE_QUANTITY, index);
    // `subtotal` is the line before coupons; the order's discount is carried in totals.discountCents.
    const subtotalCents = lineAmount(parseCents, item.subtotal, LINE_SUBTOTAL, index);
    itemsCents += subtotalCents;
    const ownSku = typeof item.sku === 'number' ? String(item.sku) : item.sku?.trim();
    const resolution = resolutions.get(index);
    const sku = ownSku || (resolution && 'sku' in resolution ? resolution.sku : undefined);
    const line: PlatformOrderInput['lines'][number] = {
      lineId: String(item.id),
      name: decodeHtmlEntities(item.name),
      quantityMilli,
      unitPriceCents: quantityMilli > 0 ? divideRounded(subtotalCents * 1000, quantityMilli) : subtotalCents,
    };
    if (sku) line.sku = sku;
    const productRef = productRefOf(item.product_id, item.variation_id);
    if (productRef) line.productRef = productRef;
    if (!sku) {
      line.unmatched = resolution && 'unmatched' in resolution ? resolution.unmatched : { reason: 'sku-missing', detail: 'WooCommerce sent the line without SKU' };
    }
    lines.push(line);
  }
  let refunded = 0;
  const refunds = order.refunds ?? [];
  for (let index = 0; index < refunds.length; index += 1) {
    refunded += parseCents(refunds[index]!.total, { field: `refunds.${index}.total`, ...DECIMAL, allowNegative: true });
  }
  if (refunded !== 0) {
    warnings.push({ code: 'field-ignored', field: 'refunds', message: `WooCommerce reports ${formatCents(-refunded)} refunded; the order's total does not subtract refunds` });
  }
  const billing = order.billing ?? {};
  // An absent or empty part adds only a space at an end, which the trim removes.
  const name = decodeHtmlEntities(`${billing.first_name ?? ''} ${billing.last_name ?? ''}`.trim() || billing.company || '');
  const document = customerDocument(order);
  const customer: PlatformOrderInput['customer'] = { name };
  if (billing.email) customer.email = billing.email;
  if (document) customer.document = document;
  if (billing.phone) customer.phone = billing.phone;
  const shippingCents = parseCents(order.shipping_total, SHIPPING_TOTAL);
  const discountCents = parseCents(order.discount_total, DISCOUNT_TOTAL);
  let feesCents = 0;
  const fees = order.fee_lines ?? [];
  for (let index = 0; index < fees.length; index += 1) {
    // A fee may be negative: Brazilian stores often give the Pix discount as a negative fee line.
    feesCents += parseCents(fees[index]!.total, { field: `fee_lines.${index}.total`, ...DECIMAL, allowNegative: true });
  }
  const taxCents = order.total_tax === undefined ? 0 : parseCents(order.total_tax, TOTAL_TAX);
  const totalCents = parseCents(order.total, TOTAL);
  const mapped: PlatformOrderInput = {
    externalId: String(order.id),
    number: String(order.number),
    status: order.status,
    customer,
    lines,
    totals: { itemsCents, shippingCents, discountCents, feesCents, taxCents, totalCents },
    warnings,
    createdAt: gmtInstant(order.date_created_gmt, 'date_created_gmt'),
    updatedAt: gmtInstant(order.date_modified_gmt, 'date_modified_gmt'),
    raw,
  };
  const statusLabel = labels[order.status];
  if (statusLabel) mapped.statusLabel = statusLabel;
  return mapped;
}

/** The platform's product and variation ids, when set (0 means none: a simple product, or a deleted one). */
function productRefOf(productId: number, variationId: number): { productId?: string; variantId?: string } | undefined {
  if (productId > 0) return variationId > 0 ? { productId: String(productId), variantId: String(variationId) } : { productId: String(productId) };
  return variationId > 0 ? { variantId: String(variationId) } : undefined;
}

/**
 * The Brazilian Market plugin puts the document in `billing.cpf` / `billing.cnpj` (with `persontype` F or J) and in
 * the order meta `_billing_cpf` / `_billing_cnpj` (`_billing_persontype` 1 or 2). The person type picks which comes
 * first; a document that is neither a CPF nor a CNPJ is passed on for core to drop with a warning.
 */
function customerDocument(order: WooCommerceOrder): string | undefined {
  const billing = order.billing ?? {};
  const cpf = billing.cpf?.trim() || metaString(order, '_billing_cpf')?.trim() || '';
  const cnpj = billing.cnpj?.trim() || metaString(order, '_billing_cnpj')?.trim() || '';
  const type = billing.persontype?.trim().toUpperCase() || metaString(order, '_billing_persontype')?.trim();
  const company = type === 'J' || type === '2';
  const first = company ? cnpj : cpf;
  const second = company ? cpf : cnpj;
  // The second is read only when the first is not a document: core then finds the one chosen already normalised.
  const taxId = (first ? normalizeTaxId(first) : undefined) ?? (second ? normalizeTaxId(second) : undefined);
  return taxId ? taxId.value : first || second || undefined;
}

/** Called only when `validate` said no, so `safeParse` fails too: the issues are the schema's own, with their paths. */
function rejectInvalid(raw: unknown): never {
  throw fromZodError(wooCommerceOrder.safeParse(raw).error!);
}

/** Integer division rounded half up, so unit prices stay whole cents without floats. */
function divideRounded(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function metaString(order: WooCommerceOrder, key: string): string | undefined {
  const meta = order.meta_data;
  if (!meta) return undefined;
  for (let index = 0; index < meta.length; index += 1) {
    const entry = meta[index]!;
    if (entry.key === key) return typeof entry.value === 'string' ? entry.value : undefined;
  }
  return undefined;
}
