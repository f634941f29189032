import { formatCents, formatQuantity } from '@conecta/core';
import type { FakeClock } from './clock.js';

export interface FakeLine {
  id: string;
  productId: string;
  variantId: string;
  reference: string;
  name: string;
  quantityMilli: number;
  priceCents: number;
}

export interface FakeOrder {
  id: string;
  status: string;
  createdAt: number;
  modifiedAt: number;
  updates: number;
  lines: FakeLine[];
  shippingCents: number;
  discountCents: number;
  customer: { id: string; name: string; email: string; cpf: string; cellphone: string };
  /** Raw field overrides that break the payload on purpose (a malformed order). */
  corrupt?: (order: Record<string, unknown>) => void;
}

export interface FakeStatus {
  id: string;
  status: string;
  type: string;
  default: string;
}

export interface FakeProduct {
  id: string;
  reference: string;
  name: string;
  stock: number;
  variants: Array<{ id: string; reference: string; stock: number }>;
}

/** Default statuses of the fake store; names as in the docs and help center, types as documented (open/closed). */
export const FAKE_STATUSES: FakeStatus[] = [
  { id: '1', status: 'A ENVIAR', type: 'open', default: '0' },
  { id: '2', status: 'AGUARDANDO PAGAMENTO', type: 'open', default: '0' },
  { id: '3', status: 'ENVIADO', type: 'open', default: '0' },
  { id: '4', status: 'ENTREGUE', type: 'closed', default: '0' },
  { id: '69', status: 'FINALIZADO', type: 'closed', default: '0' },
  { id: '5', status: 'CANCELADO', type: 'cancelled', default: '0' },
  { id: '70', status: 'Aguardando Vindi', type: 'open', default: '1' },
  { id: '71', status: 'A Enviar Vindi', type: 'open', default: '1' },
  { id: '72', status: 'Em Monitoramento', type: 'open', default: '1' },
];

export const itemsCents = (order: FakeOrder): number =>
  order.lines.reduce((sum, line) => sum + Math.round((line.quantityMilli * line.priceCents) / 1000), 0);

export const totalCents = (order: FakeOrder): number => itemsCents(order) + order.shippingCents - order.discountCents;

function orderStatus(order: FakeOrder, statuses: FakeStatus[]) {
  const status = statuses.find((entry) => entry.status === order.status) ?? { id: '0', status: order.status, type: 'open', default: '1' };
  return {
    id: status.id,
    default: status.default,
    type: status.type,
    show_backoffice: '1',
    allow_edit_order: '1',
    description: status.status,
    status: status.status,
    show_status_central: '1',
    background: '#ffffff',
  };
}

/** The `Order` of `GET /orders` (list): every scalar a string, items as ids only. */
export function listShape(order: FakeOrder, clock: FakeClock, statuses: FakeStatus[]): Record<string, unknown> {
  const [date] = clock.local(order.createdAt).split(' ');
  const shape: Record<string, unknown> = {
    status: order.status,
    id: order.id,
    date,
    customer_id: order.customer.id,
    partial_total: formatCents(itemsCents(order)),
    taxes: '0.00',
    discount: formatCents(order.discountCents),
    point_sale: 'LOJA VIRTUAL',
    shipment: 'Sedex',
    shipment_value: formatCents(order.shippingCents),
    shipment_date: '',
    store_note: '',
    discount_coupon: '',
    payment_form: 'Pix',
    sending_code: '',
    session_id: `sess${order.id}`,
    total: formatCents(totalCents(order)),
    payment_date: '0000-00-00',
    access_code: `AC${order.id}`,
    shipment_integrator: '',
    modified: clock.local(order.modifiedAt),
    printed: '',
    interest: '0.00',
    id_quotation: '',
    estimated_delivery_date: '0000-00-00',
    external_code: '',
    has_payment: order.status === 'AGUARDANDO PAGAMENTO' ? '0' : '1',
    has_shipment: '0',
    has_invoice: '0',
    coupon: { code: '', discount: '' },
    OrderStatus: orderStatus(order, statuses),
    ProductsSold: order.lines.map((line) => ({ id: line.id })),
    Payment: [],
    OrderInvoice: [],
    MlOrder: [],
    OrderTransactions: [],
    MarketplaceOrder: [],
    Extensions: [],
  };
  return shape;
}

/** The `Order` of `GET /orders/:id`: adds the hour and delivery fields, items still ids only. */
export function detailShape(order: FakeOrder, clock: FakeClock, statuses: FakeStatus[]): Record<string, unknown> {
  const [, hour] = clock.local(order.createdAt).split(' ');
  return {
    ...listShape(order, clock, statuses),
    hour,
    delivered: '0',
    shipping_cancelled: '0',
    customer_note: '',
    partner_id: '0',
    installment: '1',
    sending_date: '0000-00-00',
    billing_address: '0',
    delivery_time: '5',
    payment_method_id: '8',
    payment_method: 'Pix',
    tracking_url: '',
    CustomerAddress: { id: `${order.customer.id}1` },
    ShippingLabel: [],
    payments_notification: { notification: '' },
    partner_name: '',
  };
}

/** The `Order` of `GET /orders/:id/complete`: adds Customer and the full items, each wrapped in `ProductsSold`. */
export function completeShape(order: FakeOrder, clock: FakeClock, statuses: FakeStatus[]): Record<string, unknown> {
  const shape: Record<string, unknown> = {
    ...detailShape(order, clock, statuses),
    payment_method_type: 'pix',
    urls: { payment: '' },
    cost: '0.00',
    OrderInvoiceAmount: [],
    ExtraTabs: [],
    PaymentMethodMessage: '',
    Customer: {
      id: order.customer.id,
      name: order.customer.name,
      email: order.customer.email,
      cpf: order.customer.cpf,
      cnpj: '',
      type: '0',
      phone: '',
      cellphone: order.customer.cellphone,
      CustomerAddresses: [{ CustomerAddress: { id: `${order.customer.id}1`, city: 'São Paulo', state: 'SP', zip_code: '01310100' } }],
    },
    ProductsSold: order.lines.map((line) => ({
      ProductsSold: {
        id: line.id,
        order_id: order.id,
        product_id: line.productId,
        variant_id: line.variantId,
        quantity: formatQuantity(line.quantityMilli),
        price: formatCents(line.priceCents),
        original_price: formatCents(line.priceCents),
        cost_price: '0.00',
        name: line.name,
        original_name: line.name,
        reference: line.reference,
        ean: '',
        Sku: line.variantId === '0' ? [] : [{ type: 'Tamanho', value: 'M' }],
        model: '',
        brand: 'Conecta',
        weight: '300',
        length: '10',
        width: '10',
        height: '10',
        ncm: '',
        additional_information: '',
        is_giveaway: '0',
        Category: [],
        ProductSoldImage: [],
        url: { http: '', https: '' },
        Discount: [],
        Stock: { id: '1', name: 'Principal' },
      },
    })),
  };
  order.corrupt?.(shape);
  return shape;
}

export function productShape(product: FakeProduct): Record<string, unknown> {
  return {
    id: product.id,
    reference: product.reference,
    ean: '',
    name: product.name,
    stock: String(product.stock),
    price: '10.00',
    has_variation: product.variants.length > 0 ? '1' : '0',
    available: '1',
    Variant: product.variants.map((variant) => ({ id: variant.id })),
  };
}

export function variantShape(product: FakeProduct, variant: FakeProduct['variants'][number]): Record<string, unknown> {
  return {
    id: variant.id,
    product_id: product.id,
    ean: '',
    reference: variant.reference,
    stock: String(variant.stock),
    minimum_stock: '0',
    price: '10.00',
    Sku: [{ type: 'Tamanho', value: 'M' }],
  };
}
