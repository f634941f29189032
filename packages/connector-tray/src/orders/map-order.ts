import { ValidationError, customerDocument, localDateTimeToInstant, parseCents, parseQuantity, redactValue, type PlatformOrderInput } from '@conecta/core';

/** `Order` of `/orders/:id/complete`: every scalar is a string; items are wrapped one by one in `ProductsSold`. */
export type TrayRawOrder = Record<string, unknown>;

const ZERO_DATE = /^0000-00-00/;

/**
 * Maps one complete Tray order to a canonical order. Tray writes decimals with "." and no grouping ("27027.60"), so
 * the separator is fixed rather than guessed: "1.000" is one unit, not a thousand.
 */
export function mapTrayOrder(raw: unknown, timeZone: string): PlatformOrderInput {
  const order = asRecord(raw, 'Order');
  const id = text(order, 'id');
  const modified = text(order, 'modified');
  const updatedAt = localDateTimeToInstant(modified, timeZone, 'modified');
  return {
    externalId: id,
    // Tray shows the order id to shoppers as the order number; there is no separate number field.
    number: id,
    status: text(order, 'status'),
    statusLabel: optionalText(asOptionalRecord(order['OrderStatus']), 'description') || undefined,
    customer: mapCustomer(order['Customer']),
    lines: items(order).map((item, index) => mapLine(item, index)),
    totals: {
      itemsCents: money(order, 'partial_total'),
      shippingCents: money(order, 'shipment_value'),
      discountCents: money(order, 'discount'),
      totalCents: money(order, 'total'),
    },
    createdAt: createdAt(order, timeZone) ?? updatedAt,
    updatedAt,
    raw: redactValue(raw),
  };
}

function items(order: Record<string, unknown>): Array<Record<string, unknown>> {
  const list = order['ProductsSold'];
  if (!Array.isArray(list)) throw issue('ProductsSold', 'expected the item list of /orders/:id/complete');
  return list.map((entry, index) => {
    const wrapper = asRecord(entry, `ProductsSold.${index}`);
    return asRecord(wrapper['ProductsSold'] ?? wrapper, `ProductsSold.${index}`);
  });
}

function mapLine(item: Record<string, unknown>, index: number) {
  const field = (name: string) => `ProductsSold.${index}.${name}`;
  const sku = optionalText(item, 'reference').trim();
  if (!sku) throw issue(field('reference'), 'the item has no reference (the SKU); it cannot be matched');
  return {
    lineId: optionalText(item, 'id') || undefined,
    sku,
    name: optionalText(item, 'name'),
    quantityMilli: parseQuantity(item['quantity'], { field: field('quantity'), decimalSeparator: '.' }),
    unitPriceCents: parseCents(item['price'], { field: field('price'), decimalSeparator: '.' }),
  };
}

function mapCustomer(value: unknown) {
  const customer = asOptionalRecord(value);
  if (!customer) throw issue('Customer', 'missing; /orders/:id/complete always carries it');
  const document = customerDocument(optionalText(customer, 'cnpj'), optionalText(customer, 'cpf'));
  const phone = optionalText(customer, 'cellphone') || optionalText(customer, 'phone');
  return {
    name: text(customer, 'name', 'Customer.name'),
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

function money(order: Record<string, unknown>, key: string): number {
  const value = order[key];
  // Absent or empty optional amounts (no shipping, no discount) are zero in Tray's payloads.
  if ((value === undefined || value === '') && key !== 'total' && key !== 'partial_total') return 0;
  return parseCents(value, { field: key, decimalSeparator: '.' });
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
