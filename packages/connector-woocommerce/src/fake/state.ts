/** The fake store's data, kept in the units the store itself uses (whole units of stock, cents for prices). */
export interface FakeLine {
  id: number;
  productId: number;
  variationId: number;
  sku: string | null;
  /** The SKU sent as a JSON number (`"sku": 40123`), as some stores do (WooCommerce's own app decodes it). */
  numericSku?: boolean;
  name: string;
  quantity: number;
  unitCents: number;
}

export interface FakeOrder {
  id: number;
  number: string;
  status: string;
  createdSec: number;
  modifiedSec: number;
  /**
   * `staleCnpj`: a CNPJ left in the plugin's field by an earlier purchase as a company, on a person (type F) buying with
   * a CPF: the person type says the CPF is the document.
   */
  customer: { firstName: string; lastName: string; email: string; phone: string; cpf: string; cnpj?: string; staleCnpj?: string; company?: string };
  lines: FakeLine[];
  shippingCents: number;
  /** Coupon discount, taken from the first line. */
  discountCents: number;
  /** A fee line (e.g. a payment surcharge), `fee_lines[0].total`. */
  feeCents: number;
  /** Tax on the order (`total_tax`, one `tax_lines` entry). */
  taxCents: number;
  note: string;
  /** Overrides applied to the rendered JSON, to break the connector's schema on purpose. */
  corrupt?: (json: Record<string, unknown>) => void;
}

export interface FakeProduct {
  id: number;
  parentId: number;
  type: 'simple' | 'variable' | 'variation';
  sku: string;
  name: string;
  manageStock: boolean | 'parent';
  stock: number | null;
  priceCents: number;
}

export function subtotalCents(line: FakeLine): number {
  return line.unitCents * line.quantity;
}

export function lineTotalCents(order: FakeOrder, index: number): number {
  const line = order.lines[index]!;
  return subtotalCents(line) - (index === 0 ? order.discountCents : 0);
}

export function orderTotalCents(order: FakeOrder): number {
  return order.lines.reduce((sum, line) => sum + subtotalCents(line), 0) - order.discountCents + order.shippingCents + order.feeCents + order.taxCents;
}

export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** WooCommerce's `YYYY-MM-DDTHH:MM:SS`, no zone. */
export function wooDate(epochSec: number, offsetHours = 0): string {
  return new Date((epochSec + offsetHours * 3600) * 1000).toISOString().slice(0, 19);
}

/** `wp_json_encode` escapes slashes, so a re-serialised body never matches the signed bytes. */
export function wpJsonEncode(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}
