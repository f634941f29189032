import {
  ValidationError,
  decodeHtmlEntities,
  localDateTimeToInstant,
  normalizeTaxId,
  parseCents,
  parseQuantity,
  redactValue,
  type OrderWarning,
  type PlatformOrderInput,
} from '@conecta/core';
import type { TrayLineResolution } from './resolve-skus.js';

/** `Order` of `/orders/:id/complete`: every scalar is a string; items are wrapped one by one in `ProductsSold`. */
export type TrayRawOrder = Record<string, unknown>;

export interface TrayMappingContext {
  /** SKUs found for items without `reference`, by item index (see TraySkuResolver). */
  resolutions?: ReadonlyMap<number, TrayLineResolution>;
  /** The order as `GET /orders` listed it: the listing carries `coupon {code, discount}`, the complete order may not. */
  listed?: Record<string, unknown>;
}

const ZERO_DATE = /^0000-00-00/;
/** Tray writes decimals with "." and no grouping ("27027.60"): "1.000" is one unit, never a thousand. */
const DECIMAL = { decimalSeparator: '.' } as const;

/**
 * Amounts Tray sends whose meaning is not documented well enough to place in the breakdown. When one is not zero the
 * order says so (a `field-ignored` warning), and a total that then does not add up warns too.
 */
const UNPLACED_AMOUNTS = ['progressive_discount', 'shipping_progressive_discount', 'cart_additional_values_discount', 'cart_additional_values_increase', 'value_1'];

/**
 * Maps one complete Tray order to a canonical order. The breakdown: `partial_total` (items), `shipment_value`,
 * `discount` plus the coupon's discount (`coupon.discount`, else the value in `discount_coupon` "code/value"),
 * fees = `payment_method_rate` (the payment method's surcharge) + `taxes` ("acréscimo / taxa") + `interest`.
 */
export function mapTrayOrder(raw: unknown, timeZone: string, context: TrayMappingContext = {}): PlatformOrderInput {
  const order = asRecord(raw, 'Order');
  const id = text(order, 'id');
  const modified = text(order, 'modified');
  const updatedAt = localDateTimeToInstant(modified, timeZone, 'modified');
  const warnings: OrderWarning[] = [];
  for (const field of UNPLACED_AMOUNTS) {
    const value = optionalMoney(order, field);
    if (value !== 0) warnings.push({ code: 'field-ignored', field, message: `Tray's ${field} (${order[field] as string}) is not part of the breakdown` });
  }
  return {
    externalId: id,
    // Tray shows the order id to shoppers as the order number; there is no separate number field.
    number: id,
    status: text(order, 'status'),
    statusLabel: optionalText(asOptionalRecord(order['OrderStatus']), 'description') || undefined,
    customer: mapCustomer(order['Customer']),
    lines: items(order).map((item, index) => mapLine(item, index, context.resolutions?.get(index))),
    totals: {
      itemsCents: parseCents(order['partial_total'], { field: 'partial_total', ...DECIMAL }),
      shippingCents: optionalMoney(order, 'shipment_value'),
      discountCents: optionalMoney(order, 'discount') + couponDiscount(order, context.listed),
      feesCents: optionalMoney(order, 'payment_method_rate') + optionalMoney(order, 'taxes') + optionalMoney(order, 'interest'),
      totalCents: parseCents(order['total'], { field: 'total', ...DECIMAL }),
    },
    warnings,
    createdAt: createdAt(order, timeZone) ?? updatedAt,
    updatedAt,
    raw: redactValue(raw),
  };
}

/** The `ProductsSold` records of a complete order (each wrapped in its own `ProductsSold` key). */
export function trayItems(order: Record<string, unknown>): Array<Record<string, unknown>> {
  return items(order);
}

function items(order: Record<string, unknown>): Array<Record<string, unknown>> {
  const list = order['ProductsSold'];
  if (!Array.isArray(list)) throw issue('ProductsSold', 'expected the item list of /orders/:id/complete');
  return list.map((entry, index) => {
    const wrapper = asRecord(entry, `ProductsSold.${index}`);
    return asRecord(wrapper['ProductsSold'] ?? wrapper, `ProductsSold.${index}`);
  });
}

function mapLine(item: Record<string, unknown>, index: number, resolution: TrayLineResolution | undefined) {
  const field = (name: string) => `ProductsSold.${index}.${name}`;
  const reference = optionalText(item, 'reference').trim();
  const productId = idOf(item['product_id']);
  const variantId = idOf(item['variant_id']);
  const productRef = productId || variantId ? { ...(productId ? { productId } : {}), ...(variantId ? { variantId } : {}) } : undefined;
  const matched = reference ? { sku: reference } : resolution && 'sku' in resolution ? { sku: resolution.sku } : undefined;
  return {
    lineId: optionalText(item, 'id') || undefined,
    ...(matched ?? {}),
    name: decodeHtmlEntities(optionalText(item, 'name') || optionalText(item, 'original_name')),
    quantityMilli: parseQuantity(item['quantity'], { field: field('quantity'), ...DECIMAL }),
    unitPriceCents: parseCents(item['price'], { field: field('price'), ...DECIMAL }),
    ...(productRef ? { productRef } : {}),
    ...(matched ? {} : { unmatched: resolution && 'unmatched' in resolution ? resolution.unmatched : { reason: 'sku-missing' as const, detail: 'Tray sent the item without reference' } }),
  };
}

/** `variant_id` "0" means the item has no variation. */
function idOf(value: unknown): string | undefined {
  const id = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return id && id !== '0' ? id : undefined;
}

function couponDiscount(order: Record<string, unknown>, listed: Record<string, unknown> | undefined): number {
  for (const source of [order, listed]) {
    const coupon = asOptionalRecord(source?.['coupon']);
    const value = coupon?.['discount'];
    if (typeof value === 'string' && value.trim() !== '') return parseCents(value, { field: 'coupon.discount', ...DECIMAL });
  }
  for (const source of [order, listed]) {
    // "natal25/8999.75": the code, a slash, the discount it gave.
    const written = optionalText(source, 'discount_coupon');
    const slash = written.lastIndexOf('/');
    if (slash > 0 && written.slice(slash + 1).trim() !== '') return parseCents(written.slice(slash + 1), { field: 'discount_coupon', ...DECIMAL });
  }
  return 0;
}

/** Customer.type "1" is a company (docs' Tabela B): its CNPJ comes first; otherwise the CPF does. */
function mapCustomer(value: unknown) {
  const customer = asOptionalRecord(value);
  if (!customer) throw issue('Customer', 'missing; /orders/:id/complete always carries it');
  const cnpj = optionalText(customer, 'cnpj').trim();
  const cpf = optionalText(customer, 'cpf').trim();
  const candidates = optionalText(customer, 'type') === '1' ? [cnpj, cpf] : [cpf, cnpj];
  const written = candidates.filter(Boolean);
  // A document that is neither a CPF nor a CNPJ is still passed on: core drops it with a warning that shows it.
  const document = written.map((candidate) => normalizeTaxId(candidate)?.value).find(Boolean) ?? written[0];
  const phone = optionalText(customer, 'cellphone') || optionalText(customer, 'phone');
  const company = optionalText(customer, 'company_name').trim();
  return {
    name: decodeHtmlEntities(optionalText(customer, 'name').trim() || company),
    email: optionalText(customer, 'email') || undefined,
    document: document || undefined,
    phone: phone || undefined,
  };
}

/** `date` and `hour` are separate local values; an empty or zero date means Tray has none. */
function createdAt(order: Record<string, unknown>, timeZone: string): string | undefined {
  const date = optionalText(order, 'date');
  if (!date || ZERO_DATE.test(date)) return undefined;
  const hour = optionalText(order, 'hour') || '00:00:00';
  return localDateTimeToInstant(`${date} ${hour}`, timeZone, 'date');
}

/** Absent or empty optional amounts (no shipping, no discount) are zero in Tray's payloads. */
function optionalMoney(order: Record<string, unknown>, key: string): number {
  const value = order[key];
  if (value === undefined || value === null || value === '') return 0;
  return parseCents(value, { field: key, ...DECIMAL });
}

function text(record: Record<string, unknown>, key: string, path = key): string {
  const value = record[key];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw issue(path, 'expected a non-empty string');
  return value;
}

function optionalText(record: Record<string, unknown> | undefined, key: string): string {
  const value = record?.[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function asRecord(value: unknown, path: string): Record<string, unknown> {
  const record = asOptionalRecord(value);
  if (!record) throw issue(path, 'expected an object');
  return record;
}

function asOptionalRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function issue(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }]);
}
