import type { ExpectedOrder } from '@conecta/core/fakes';

/** The fake's own record of an order: integers only, so expected values never depend on the connector's parsing. */
export interface FakeOrder {
  id: string;
  number: string;
  status: string;
  customer: { name: string; email: string; document: string; phone: string };
  lines: Array<{ lineId: string; sku: string; name: string; quantityMilli: number; unitPriceCents: number }>;
  shippingCents: number;
  discountCents: number;
  /** `fees` (a payment surcharge) and `tax`, on some orders. */
  feesCents: number;
  taxCents: number;
  createdAt: number;
  updatedAt: number;
  /** Field the fake breaks when rendering, for `addMalformedOrder`. */
  malformed?: 'quantity';
  /** Changes the rendered order the way a schema drift would, for `addMalformedOrders`. */
  corrupt?: (json: Record<string, unknown>) => void;
}

/** 123.456.789-09 with its last check digit wrong. */
export const MISTYPED_CPF = '123.456.789-00';

/** A deterministic, varied order: 1 to 3 lines, whole and fractional quantities, shipping and discounts on some. */
/** `varied`: the default seeds (no status asked) include a line without SKU; a flow seeded with a status sells SKUs only. */
export function buildOrder(seq: number, status: string, at: number, varied = true): FakeOrder {
  const count = 1 + (seq % 3);
  const lines = Array.from({ length: count }, (_, j) => ({
    lineId: `${seq}-${j + 1}`,
    // A product sold without a SKU (blank), on the last line of some orders: imported unmatched, never dropped.
    sku: varied && seq % 6 === 5 && j === count - 1 ? '' : `RC-${((seq + j) % 7) + 1}`,
    name: `Produto ${((seq + j) % 7) + 1}`,
    quantityMilli: j === 0 && seq % 4 === 0 ? 750 : (1 + ((seq + j) % 3)) * 1000,
    unitPriceCents: 990 + 137 * ((seq * 7 + j) % 11),
  }));
  return {
    id: String(500000 + seq),
    number: `R-${1000 + seq}`,
    status,
    // Some shoppers leave the e-mail blank (sent as ""), some buy as a company, some mistype their CPF (a wrong check
    // digit: the store does not validate it, core drops it with a `field-ignored` warning).
    customer: {
      name: `Cliente ${seq}`,
      email: seq % 4 === 2 ? '' : `cliente${seq}@example.com`,
      document: seq % 3 === 1 ? '11.222.333/0001-81' : varied && seq % 7 === 3 ? MISTYPED_CPF : '123.456.789-09',
      phone: '+55 11 91234-5678',
    },
    lines,
    shippingCents: seq % 2 === 1 ? 1500 : 0,
    discountCents: seq % 5 === 0 ? 500 : 0,
    feesCents: seq % 3 === 2 ? 199 : 0,
    taxCents: seq % 4 === 1 ? 321 : 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** Line totals round half up to the cent, the way a store computes them for fractional quantities. */
export function itemsCents(order: FakeOrder): number {
  return order.lines.reduce((sum, line) => sum + Math.round((line.quantityMilli * line.unitPriceCents) / 1000), 0);
}

export function totalCents(order: FakeOrder): number {
  return itemsCents(order) + order.shippingCents + order.feesCents + order.taxCents - order.discountCents;
}

/** The vendor's label of each assumed status (as the README's example, "paid" -> "Pago"). */
export const STATUS_LABELS: Record<string, string> = {
  pending_payment: 'Aguardando pagamento',
  paid: 'Pago',
  processing: 'Em separação',
  shipped: 'Enviado',
  delivered: 'Entregue',
  cancelled: 'Cancelado',
  refunded: 'Reembolsado',
};

/** Some orders come with a blank `status_label` (an older integration that never filled it). */
export function statusLabelOf(order: FakeOrder): string {
  return Number(order.id) % 5 === 4 ? '' : (STATUS_LABELS[order.status] ?? order.status);
}

export function expectedOf(order: FakeOrder): ExpectedOrder {
  return {
    externalId: order.id,
    number: order.number,
    status: order.status,
    statusLabel: statusLabelOf(order) || null,
    totalCents: totalCents(order),
    lines: order.lines.map(({ lineId, sku, quantityMilli, unitPriceCents }) =>
      sku ? { lineId, sku, quantityMilli, unitPriceCents } : { lineId, unmatched: { reason: 'sku-missing' as const }, quantityMilli, unitPriceCents },
    ),
    // Totals that add up: the only warnings are core's, for a mistyped CPF and for each line without SKU.
    warnings: [
      ...(order.customer.document === MISTYPED_CPF ? [{ code: 'field-ignored' as const, field: 'customer.document' }] : []),
      ...order.lines.flatMap((line, lineIndex) => (line.sku ? [] : [{ code: 'line-unmatched' as const, lineIndex }])),
    ],
    customer: {
      name: order.customer.name,
      ...(order.customer.email ? { email: order.customer.email } : {}),
      ...(order.customer.document === MISTYPED_CPF ? {} : { document: order.customer.document.replace(/[./-]/g, '') }),
      phone: order.customer.phone,
    },
    ...(STATUS_MEANING[order.status] ? { intakeState: STATUS_MEANING[order.status] } : {}),
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
    totals: {
      itemsCents: itemsCents(order),
      shippingCents: order.shippingCents,
      discountCents: order.discountCents,
      feesCents: order.feesCents,
      taxCents: order.taxCents,
      totalCents: totalCents(order),
    },
  };
}

/**
 * What each assumed status means to a merchant, written here by hand (not read from the connector's dictionary) so
 * the contract checks the dictionary against an independent reading.
 */
const STATUS_MEANING: Record<string, 'pending' | 'finalized' | 'cancelled' | 'ignored'> = {
  pending_payment: 'ignored',
  paid: 'pending',
  processing: 'pending',
  shipped: 'finalized',
  delivered: 'finalized',
  cancelled: 'cancelled',
  refunded: 'cancelled',
};
