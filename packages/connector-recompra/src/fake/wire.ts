import type { FakeOrder } from './orders.js';
import { itemsCents, statusLabelOf, totalCents } from './orders.js';

/** Integer to decimal text by string work, so the fake shares no parsing or formatting code with the connector. */
export function decimalText(value: number, scale: number): string {
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return value < 0 ? `-${text}` : text;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The same instant written in São Paulo's offset (`2024-05-01T09:00:00-03:00`), as a store in Brazil may send it. */
function isoSaoPaulo(ms: number): string {
  return new Date(ms - 3 * 3_600_000).toISOString().replace('.000Z', '-03:00');
}

/**
 * The order as the assumed API sends it: money as decimal strings, whole quantities as JSON numbers and
 * fractional ones as strings, timestamps with second resolution.
 */
export function renderOrder(order: FakeOrder): Record<string, unknown> {
  const json = wellFormed(order);
  order.corrupt?.(json);
  return json;
}

function wellFormed(order: FakeOrder): Record<string, unknown> {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    status_label: statusLabelOf(order),
    customer: { ...order.customer },
    items: order.lines.map((line, index) => ({
      id: line.lineId,
      // A SKU typed with stray spaces, as merchants do, on some lines.
      // A line without SKU comes blank, or null on some orders (the README: "blank or absent").
      sku: index === 0 && Number(order.id) % 5 === 3 ? ` ${line.sku} ` : line.sku === '' && Number(order.id) % 12 === 7 ? null : line.sku,
      name: line.name,
      quantity:
        order.malformed === 'quantity' && index === 0
          ? 'two'
          : line.quantityMilli % 1000 === 0
            ? line.quantityMilli / 1000
            : decimalText(line.quantityMilli, 3),
      unit_price: decimalText(line.unitPriceCents, 2),
    })),
    subtotal: decimalText(itemsCents(order), 2),
    shipping: decimalText(order.shippingCents, 2),
    discount: decimalText(order.discountCents, 2),
    ...(order.feesCents ? { fees: decimalText(order.feesCents, 2) } : {}),
    ...(order.taxCents ? { tax: decimalText(order.taxCents, 2) } : {}),
    total: decimalText(totalCents(order), 2),
    // Every other order written with São Paulo's offset instead of Z.
    created_at: Number(order.id) % 2 === 0 ? isoSaoPaulo(order.createdAt) : isoSeconds(order.createdAt),
    updated_at: Number(order.id) % 2 === 0 ? isoSaoPaulo(order.updatedAt) : isoSeconds(order.updatedAt),
  };
}
