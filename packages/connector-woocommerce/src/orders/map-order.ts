import * as z from 'zod';
import { customerDocument, fromZodError, parseCents, parseQuantity, type PlatformOrderInput } from '@conecta/core';
import { parseGmt, toInstant } from './gmt.js';

const LineItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  product_id: z.number().int(),
  variation_id: z.number().int(),
  quantity: z.number(),
  subtotal: z.string(),
  total: z.string(),
  // null when the product was deleted; the canonical schema then names the empty SKU.
  sku: z.string().nullable().optional(),
});

const AddressSchema = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  company: z.string().optional(),
  email: z.string().nullable().optional(),
  phone: z.string().optional(),
  // Added by the "Brazilian Market on WooCommerce" plugin; absent on stores without it.
  cpf: z.string().optional(),
  cnpj: z.string().optional(),
});

/**
 * The fields the mapping reads. Unknown keys are dropped from the parsed value instead of copied (copying every key of
 * every order was about half of the schema's cost); the whole payload stays in the order's `raw`.
 */
export const WooOrderSchema = z.object({
  id: z.number().int().positive(),
  number: z.union([z.string(), z.number()]),
  status: z.string().min(1),
  date_created_gmt: z.string(),
  date_modified_gmt: z.string(),
  discount_total: z.string(),
  shipping_total: z.string(),
  total: z.string(),
  billing: AddressSchema.optional(),
  line_items: z.array(LineItemSchema),
  meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
});
export type WooOrder = z.output<typeof WooOrderSchema>;

/** Reads the id and modification instant needed for paging, before (and even when) the full mapping fails. */
export function peekOrder(raw: unknown): { id?: string; modifiedMs?: number } {
  if (!raw || typeof raw !== 'object') return {};
  const record = raw as Record<string, unknown>;
  const id = typeof record['id'] === 'number' || typeof record['id'] === 'string' ? String(record['id']) : undefined;
  let modifiedMs: number | undefined;
  try {
    modifiedMs = parseGmt(record['date_modified_gmt'], 'date_modified_gmt');
  } catch {
    modifiedMs = undefined;
  }
  return { id, modifiedMs };
}

/** Maps one WooCommerce order to the canonical shape; parsePlatformOrder validates the result. */
export function mapWooOrder(raw: unknown, labels: Record<string, string>): PlatformOrderInput {
  const parsed = WooOrderSchema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  const order = parsed.data;
  const lines = order.line_items.map((item, index) => {
    const field = `line_items.${index}`;
    const quantityMilli = parseQuantity(item.quantity, { field: `${field}.quantity`, decimalSeparator: '.' });
    // `subtotal` is the line before coupons; the order's discount is carried in totals.discountCents.
    const subtotalCents = parseCents(item.subtotal, { field: `${field}.subtotal`, decimalSeparator: '.' });
    return {
      lineId: String(item.id),
      sku: item.sku ?? '',
      name: item.name,
      quantityMilli,
      unitPriceCents: quantityMilli > 0 ? divideRounded(subtotalCents * 1000, quantityMilli) : subtotalCents,
      subtotalCents,
    };
  });
  const billing = order.billing ?? {};
  const name = [billing.first_name, billing.last_name].filter(Boolean).join(' ').trim() || billing.company || '';
  const document = customerDocument(billing.cnpj, billing.cpf, metaString(order, '_billing_cnpj'), metaString(order, '_billing_cpf'));
  return {
    externalId: String(order.id),
    number: String(order.number),
    status: order.status,
    ...(labels[order.status] ? { statusLabel: labels[order.status] } : {}),
    customer: {
      name,
      ...(billing.email ? { email: billing.email } : {}),
      ...(document ? { document } : {}),
      ...(billing.phone ? { phone: billing.phone } : {}),
    },
    lines: lines.map(({ subtotalCents: _unused, ...line }) => line),
    totals: {
      itemsCents: lines.reduce((sum, line) => sum + line.subtotalCents, 0),
      shippingCents: parseCents(order.shipping_total, { field: 'shipping_total', decimalSeparator: '.' }),
      discountCents: parseCents(order.discount_total, { field: 'discount_total', decimalSeparator: '.' }),
      totalCents: parseCents(order.total, { field: 'total', decimalSeparator: '.' }),
    },
    createdAt: toInstant(parseGmt(order.date_created_gmt, 'date_created_gmt')),
    updatedAt: toInstant(parseGmt(order.date_modified_gmt, 'date_modified_gmt')),
    raw,
  };
}

/** Integer division rounded half up, so unit prices stay whole cents without floats. */
function divideRounded(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function metaString(order: WooOrder, key: string): string | undefined {
  const value = order.meta_data?.find((entry) => entry.key === key)?.value;
  return typeof value === 'string' ? value : undefined;
}

