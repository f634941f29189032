import { formatCents, formatQuantity } from '@conecta/core';
import type { FakeClock } from './clock.js';

export interface FakeLine {
  id: string;
  productId: string;
  variantId: string;
  /** The item's own `reference`; empty for a variant sold under its product's page, as in Tray's published example. */
  reference: string;
  name: string;
  quantityMilli: number;
  priceCents: number;
  /** Rendered as ` reference ` (the connector trims it). */
  paddedReference?: boolean;
}

export interface FakeCustomer {
  id: string;
  name: string;
  email: string;
  cellphone: string;
  /** A landline, for the few who gave no cellphone. */
  phone?: string;
  /** "0" a person (CPF), "1" a company (CNPJ), as Tray's Customer.type. */
  type: '0' | '1';
  cpf: string;
  cnpj: string;
  /** The CNPJ was typed with a wrong check digit: not a CNPJ, so the customer's CPF is the document. */
  cnpjMistyped?: boolean;
  companyName: string;
}

export interface FakeOrder {
  id: string;
  status: string;
  createdAt: number;
  modifiedAt: number;
  updates: number;
  lines: FakeLine[];
  shippingCents: number;
  /** Tray's `discount` field. */
  discountCents: number;
  /** A coupon's discount: `coupon.discount` in the listing, `discount_coupon` "code/value" in both. */
  coupon?: { code: string; discountCents: number };
  /** `payment_method_rate`: the payment method's surcharge. */
  paymentRateCents: number;
  /** `taxes` ("acréscimo / taxa") and `interest` (instalment interest): fees the shopper pays, 0 on most orders. */
  taxesCents?: number;
  interestCents?: number;
  /**
   * Amounts Tray sends without documenting where they belong (a progressive discount, `value_1`, the cart's additional
   * values). Tray's `total` includes them; a connector cannot place them, so the order warns.
   */
  unplaced?: Partial<Record<UnplacedAmount, number>>;
  /**
   * Written the way Tray's older payloads are (2017 and 2018 in its documentation): without `interest` and without the
   * progressive-discount and cart additional-value amounts, which later payloads (2021, 2022) always carry.
   */
  legacy?: boolean;
  /** `date` written "0000-00-00", Tray's way of writing a date it does not have (as `payment_date` on unpaid orders). */
  zeroDate?: boolean;
  customer: FakeCustomer;
  /** Raw field overrides that break the payload on purpose (a malformed order). */
  corrupt?: (order: Record<string, unknown>) => void;
}

export interface FakeStatus {
  id: string;
  status: string;
  type: string;
  default: string;
  /** The merchant's description of the status (Tray's `OrderStatus.description`), empty on most. */
  description?: string;
}

/** Amounts Tray sends whose place in the breakdown it does not document; signs as they count in Tray's `total`. */
export const UNPLACED_AMOUNTS = {
  progressive_discount: -1,
  shipping_progressive_discount: -1,
  cart_additional_values_discount: -1,
  cart_additional_values_increase: 1,
  value_1: 1,
} as const;
export type UnplacedAmount = keyof typeof UNPLACED_AMOUNTS;

export interface FakeVariant {
  id: string;
  reference: string;
  stock: number;
}

export interface FakeProduct {
  id: string;
  reference: string;
  name: string;
  stock: number;
  variants: FakeVariant[];
}

/** Default statuses of the fake store; names as in the docs and help center, types as documented (open/closed). */
export const FAKE_STATUSES: FakeStatus[] = [
  // This store's merchant described the status shoppers see most (the description shows in Tray's order panel).
  { id: '1', status: 'A ENVIAR', type: 'open', default: '0', description: 'Pagamento aprovado: separar e enviar' },
  { id: '2', status: 'AGUARDANDO PAGAMENTO', type: 'open', default: '0' },
  { id: '3', status: 'ENVIADO', type: 'open', default: '0' },
  { id: '4', status: 'ENTREGUE', type: 'closed', default: '0' },
  { id: '69', status: 'FINALIZADO', type: 'closed', default: '0' },
  { id: '5', status: 'CANCELADO', type: 'cancelled', default: '0' },
  { id: '70', status: 'Aguardando Vindi', type: 'open', default: '1' },
  { id: '71', status: 'A Enviar Vindi', type: 'open', default: '1' },
  { id: '72', status: 'Em Monitoramento', type: 'open', default: '1' },
];

/**
 * What each of the fake's statuses means to a merchant, written here by hand (not read from the connector's
 * dictionary) so the contract checks the dictionary against an independent reading.
 */
export const FAKE_STATUS_MEANING: Record<string, 'pending' | 'finalized' | 'cancelled' | 'ignored'> = {
  'A ENVIAR': 'pending',
  'AGUARDANDO PAGAMENTO': 'ignored',
  ENVIADO: 'finalized',
  ENTREGUE: 'finalized',
  FINALIZADO: 'finalized',
  CANCELADO: 'cancelled',
  'Aguardando Vindi': 'ignored',
  'A Enviar Vindi': 'pending',
  'Em Monitoramento': 'ignored',
};

export const itemsCents = (order: FakeOrder): number =>
  order.lines.reduce((sum, line) => sum + Math.round((line.quantityMilli * line.priceCents) / 1000), 0);

/** Tray's `total`: the breakdown a connector can place, plus the undocumented amounts it cannot. */
export const totalCents = (order: FakeOrder): number => placedTotalCents(order) + unplacedCents(order);

/** What items + shipping + fees - discounts add up to: the total a connector computes from the fields it can place. */
export const placedTotalCents = (order: FakeOrder): number =>
  itemsCents(order) + order.shippingCents + feesCents(order) - order.discountCents - (order.coupon?.discountCents ?? 0);

const unplacedCents = (order: FakeOrder): number =>
  Object.entries(order.unplaced ?? {}).reduce((sum, [field, cents]) => sum + UNPLACED_AMOUNTS[field as UnplacedAmount] * cents, 0);

/** Everything Tray charges the shopper beside items and shipping: the payment rate, `taxes` and `interest`. */
export const feesCents = (order: FakeOrder): number => order.paymentRateCents + (order.taxesCents ?? 0) + (order.interestCents ?? 0);

function orderStatus(order: FakeOrder, statuses: FakeStatus[]) {
  const status = statuses.find((entry) => entry.status === order.status) ?? { id: '0', status: order.status, type: 'open', default: '1' };
  return {
    id: status.id,
    default: status.default,
    type: status.type,
    show_backoffice: '1',
    allow_edit_order: '1',
    description: status.description ?? '',
    status: status.status,
    show_status_central: '',
    background: '#CAFAD1',
  };
}

const discountCoupon = (order: FakeOrder) => (order.coupon ? `${order.coupon.code}/${formatCents(order.coupon.discountCents)}` : '');

/**
 * The `Order` of `GET /orders` (list), with the keys, order and habits of Tray's published listing example: every
 * scalar a string, items as ids only, the coupon as `coupon {code, discount}` and as "code/value" in `discount_coupon`.
 */
export function listShape(order: FakeOrder, clock: FakeClock, statuses: FakeStatus[]): Record<string, unknown> {
  const [date] = clock.local(order.createdAt).split(' ');
  return {
    status: order.status,
    id: order.id,
    date,
    customer_id: order.customer.id,
    partial_total: formatCents(itemsCents(order)),
    taxes: formatCents(order.taxesCents ?? 0),
    discount: formatCents(order.discountCents),
    point_sale: 'LOJA VIRTUAL',
    shipment: 'Correios Expresso',
    shipment_value: formatCents(order.shippingCents),
    shipment_date: '',
    store_note: '',
    discount_coupon: discountCoupon(order),
    payment_method_rate: formatCents(order.paymentRateCents),
    value_1: formatCents(order.unplaced?.value_1 ?? 0),
    payment_form: 'Boleto - Yapay',
    sending_code: '',
    session_id: `rdlq7ogripa61r33p75bei${order.id}`,
    total: formatCents(totalCents(order)),
    payment_date: '0000-00-00',
    access_code: `DB91EEA5D${order.id}`,
    progressive_discount: formatCents(order.unplaced?.progressive_discount ?? 0),
    shipping_progressive_discount: formatCents(order.unplaced?.shipping_progressive_discount ?? 0),
    shipment_integrator: 'Frete Fácil',
    modified: clock.local(order.modifiedAt),
    printed: '',
    interest: formatCents(order.interestCents ?? 0),
    id_quotation: '3220',
    estimated_delivery_date: '0000-00-00',
    external_code: '',
    has_payment: order.status === 'AGUARDANDO PAGAMENTO' ? '0' : '1',
    has_shipment: '0',
    has_invoice: '0',
    total_comission_user: '0.00',
    total_comission: '0.00',
    coupon: { code: order.coupon?.code ?? '', discount: order.coupon ? formatCents(order.coupon.discountCents) : '' },
    is_traceable: '',
    OrderStatus: orderStatus(order, statuses),
    PickupLocation: [],
    ProductsSold: order.lines.map((line) => ({ id: line.id })),
    Payment: [],
    OrderInvoice: [],
    MlOrder: [],
    OrderTransactions: [],
    MarketplaceOrder: [],
    Extensions: [],
  };
}

/** The `Order` of `GET /orders/:id`: adds the hour and delivery fields, items still ids only. */
export function detailShape(order: FakeOrder, clock: FakeClock, statuses: FakeStatus[]): Record<string, unknown> {
  const [, hour] = clock.local(order.createdAt).split(' ');
  const { coupon: _coupon, progressive_discount: _p, shipping_progressive_discount: _s, payment_form: _f, ...list } = listShape(order, clock, statuses);
  return {
    ...list,
    hour,
    delivered: '',
    shipping_cancelled: '',
    customer_note: '',
    partner_id: '0',
    installment: '1',
    sending_date: '0000-00-00',
    billing_address: '0',
    delivery_time: '3',
    payment_method_id: '80',
    payment_method: 'Boleto - Yapay',
    tracking_url: '',
    CustomerAddress: { id: `${order.customer.id}1` },
    ShippingLabel: [],
    payments_notification: { notification: '' },
    partner_name: '',
  };
}

/**
 * The `Order` of `GET /orders/:id/complete`, with the keys of Tray's published complete example (order 15): adds the
 * Customer and the full items, each wrapped in `ProductsSold`. Like the example it carries no `coupon` object; the
 * coupon shows only in `discount_coupon`.
 */
export function completeShape(order: FakeOrder, clock: FakeClock, statuses: FakeStatus[]): Record<string, unknown> {
  const { customer } = order;
  const shape: Record<string, unknown> = {
    ...detailShape(order, clock, statuses),
    cost: '0',
    urls: { payment: `https://loja-conecta.commercesuite.com.br/loja/pagamento.php?loja=391250&pedido=DB91EEA5D${order.id}` },
    payment_method_type: 'bank_billet',
    Customer: {
      cnpj: customer.cnpj,
      newsletter: '0',
      created: '0000-00-00 00:00:00',
      terms: '0000-00-00 00:00:00',
      id: customer.id,
      name: customer.name,
      registration_date: '2008-10-14',
      rg: '',
      cpf: customer.cpf,
      phone: customer.phone ?? '',
      cellphone: customer.cellphone,
      birth_date: '0000-00-00',
      gender: '0',
      email: customer.email,
      nickname: '',
      token: `0BBB15A404B6B${customer.id}`,
      total_orders: '0',
      observation: '',
      type: customer.type,
      company_name: customer.companyName,
      state_inscription: customer.type === '1' ? 'Isento' : '',
      reseller: '0',
      discount: '0.000',
      blocked: '',
      credit_limit: '0.00',
      indicator_id: '0',
      profile_customer_id: '1',
      last_sending_newsletter: '0000-00-00',
      last_purchase: '0000-00-00',
      last_visit: '0000-00-00',
      last_modification: '0000-00-00 00:00:00',
      address: 'Rua Teste',
      zip_code: '17500-000',
      number: '55',
      complement: '',
      neighborhood: 'Centro',
      city: 'Marília',
      state: 'SP',
      country: 'Brasil',
      modified: clock.local(order.createdAt),
      Extensions: [],
      CustomerAddresses: [
        {
          CustomerAddress: {
            id: `${customer.id}1`,
            customer_id: customer.id,
            address: 'Rua Teste',
            number: '55',
            complement: '',
            neighborhood: 'Centro',
            city: 'Marília',
            state: 'SP',
            zip_code: '17500-000',
            country: 'Brasil',
            type: '1',
            active: '1',
            description: 'Residencial',
            recipient: '',
            type_delivery: '1',
            not_list: '0',
          },
        },
      ],
    },
    ProductsSold: order.lines.map((line) => ({ ProductsSold: itemShape(order, line) })),
    OrderInvoice: [],
    Payment: [],
    MlOrder: [],
    MarketplaceOrder: [],
    OrderTransactions: [],
    OrderInvoiceAmount: [],
    ExtraTabs: [],
    PaymentMethodMessage: { text: '', text_pag: '', text_confirm: '', confirmation: '0' },
  };
  for (const field of Object.keys(UNPLACED_AMOUNTS) as UnplacedAmount[]) shape[field] = formatCents(order.unplaced?.[field] ?? 0);
  if (order.legacy) {
    for (const field of ['interest', 'progressive_discount', 'shipping_progressive_discount', 'cart_additional_values_discount', 'cart_additional_values_increase']) delete shape[field];
  }
  if (order.zeroDate) shape['date'] = '0000-00-00';
  order.corrupt?.(shape);
  return shape;
}

function itemShape(order: FakeOrder, line: FakeLine): Record<string, unknown> {
  return {
    product_kit_id: '0',
    product_kit_id_kit: '0',
    id_campaign: '0',
    product_id: line.productId,
    quantity: formatQuantity(line.quantityMilli),
    id: line.id,
    order_id: order.id,
    name: line.name,
    original_name: line.name,
    virtual_product: '0',
    ean: '',
    Sku: line.variantId === '0' ? [] : [{ type: 'Tamanho', value: 'M' }],
    price: formatCents(line.priceCents),
    cost_price: '0.00',
    original_price: formatCents(line.priceCents),
    weight: '300',
    weight_cubic: '1500',
    brand: 'Conecta',
    model: '',
    // A reference typed with a stray space, as merchants do, on some lines.
    reference: line.paddedReference ? ` ${line.reference} ` : line.reference,
    length: '10',
    width: '10',
    height: '10',
    variant_id: line.variantId,
    additional_information: '',
    text_variant: '',
    warranty: '',
    bought_together_id: '0',
    ncm: '',
    included_items: '',
    release_date: '',
    commissioner_value: '0.00',
    comissao: '0.00',
    ProductSoldImage: [],
    Category: [],
    is_giveaway: '',
    BoughtTogether: [],
    url: { http: '', https: '' },
    Discount: [],
    Stock: { id: '1', name: 'Loja' },
  };
}

/** `GET /products` list entry and `GET /products/:id` (`Product`), with the published example's main keys. */
export function productShape(product: FakeProduct): Record<string, unknown> {
  return {
    id: product.id,
    ean: '',
    name: product.name,
    reference: product.reference,
    price: '10.00',
    cost_price: '0.00',
    stock: String(product.stock),
    minimum_stock: '0',
    has_variation: product.variants.length > 0 ? '1' : '0',
    available: '1',
    Variant: product.variants.map((variant) => ({ id: variant.id })),
  };
}

/** `GET /products/variants` list entry and `GET /products/variants/:id` (`Variant`), keys from the published example. */
export function variantShape(product: FakeProduct, variant: FakeVariant): Record<string, unknown> {
  return {
    id: variant.id,
    ean: '',
    order: '1',
    product_id: product.id,
    price: '10.00',
    cost_price: '0.00',
    stock: String(variant.stock),
    minimum_stock: '0',
    reference: variant.reference,
    available: '1',
    Sku: [{ type: 'Tamanho', value: 'M' }],
  };
}
