import { type FakeOrder, type FakeProduct, lineTotalCents, money, orderTotalCents, subtotalCents, wooDate } from './state.js';

/** The order JSON `GET /wc/v3/orders/{id}` returns (the fields connectors read, and the usual neighbours). */
export function renderOrder(order: FakeOrder, storeUrl: string, offsetHours: number): Record<string, unknown> {
  const billing = {
    first_name: order.customer.firstName,
    last_name: order.customer.lastName,
    company: order.customer.company ?? '',
    address_1: 'Rua das Flores, 100',
    address_2: '',
    city: 'São Paulo',
    state: 'SP',
    postcode: '01000-000',
    country: 'BR',
    email: order.customer.email,
    phone: order.customer.phone,
    cpf: order.customer.cpf,
    cnpj: order.customer.cnpj ?? order.customer.staleCnpj ?? '',
    // Newer plugin versions put the person type in the address too; older ones only in the order meta.
    ...((order.id >> 2) % 2 === 0 ? { persontype: order.customer.cnpj ? 'J' : 'F' } : {}),
  };
  // Orders placed before the plugin added its address fields keep the documents only in the meta.
  const metaOnly = order.id % 3 === 1;
  if (metaOnly) {
    billing.cpf = '';
    billing.cnpj = '';
  }
  const { email: _email, phone: _phone, cpf: _cpf, cnpj: _cnpj, ...shipping } = billing;
  const json: Record<string, unknown> = {
    id: order.id,
    parent_id: 0,
    status: order.status,
    currency: 'BRL',
    version: '9.4.2',
    prices_include_tax: false,
    date_created: wooDate(order.createdSec, offsetHours),
    date_modified: wooDate(order.modifiedSec, offsetHours),
    discount_total: money(order.discountCents),
    discount_tax: '0.00',
    shipping_total: money(order.shippingCents),
    shipping_tax: '0.00',
    cart_tax: money(order.taxCents),
    total: money(orderTotalCents(order)),
    total_tax: money(order.taxCents),
    customer_id: 0,
    order_key: `wc_order_${order.id.toString(36)}xyz`,
    billing,
    shipping: { ...shipping, phone: '' },
    payment_method: 'pix',
    payment_method_title: 'Pix',
    transaction_id: '',
    customer_ip_address: '203.0.113.7',
    customer_user_agent: 'Mozilla/5.0',
    created_via: 'checkout',
    customer_note: order.note,
    date_completed: order.status === 'completed' ? wooDate(order.modifiedSec, offsetHours) : null,
    date_paid: ['processing', 'completed'].includes(order.status) ? wooDate(order.createdSec, offsetHours) : null,
    cart_hash: '',
    number: order.number,
    meta_data: [
      ...((order.id >> 2) % 2 === 0 ? [] : [{ id: order.id * 10, key: '_billing_persontype', value: order.customer.cnpj ? '2' : '1' }]),
      ...(metaOnly ? [{ id: order.id * 10 + 5, key: '_billing_cpf', value: order.customer.cpf }, { id: order.id * 10 + 6, key: '_billing_cnpj', value: order.customer.cnpj ?? order.customer.staleCnpj ?? '' }] : []),
    ],
    line_items: order.lines.map((line, index) => ({
      id: line.id,
      name: line.name,
      product_id: line.productId,
      variation_id: line.variationId,
      quantity: line.quantity,
      tax_class: '',
      subtotal: money(subtotalCents(line)),
      subtotal_tax: '0.00',
      total: money(lineTotalCents(order, index)),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
      // A SKU typed with a stray space, as merchants do, on every fifth order's first line.
      sku: line.numericSku ? Number(line.sku) : index === 0 && order.id % 5 === 2 && line.sku ? `${line.sku} ` : line.sku,
      // A JSON number computed as total / quantity, as WooCommerce does: after discounts, not the catalogue price.
      price: lineTotalCents(order, index) / 100 / line.quantity,
      image: { id: 0, src: '' },
      parent_name: null,
    })),
    tax_lines: order.taxCents
      ? [{ id: order.id * 10 + 3, rate_code: 'BR-SP-ICMS-1', rate_id: 1, label: 'ICMS', compound: false, tax_total: money(order.taxCents), shipping_tax_total: '0.00', rate_percent: 18, meta_data: [] }]
      : [],
    shipping_lines: order.shippingCents
      ? [{ id: order.id * 10 + 1, method_title: 'Correios PAC', method_id: 'correios-pac', total: money(order.shippingCents), total_tax: '0.00', taxes: [] }]
      : [],
    fee_lines: order.feeCents
      ? [{ id: order.id * 10 + 4, name: order.feeCents < 0 ? 'Desconto Pix' : 'Taxa de pagamento &ndash; boleto', tax_class: '', tax_status: 'none', amount: money(order.feeCents), total: money(order.feeCents), total_tax: '0.00', taxes: [], meta_data: [] }]
      : [],
    coupon_lines: order.discountCents ? [{ id: order.id * 10 + 2, code: 'desconto10', discount: money(order.discountCents), discount_tax: '0.00' }] : [],
    refunds: [],
    payment_url: `${storeUrl}/checkout/order-pay/${order.id}/`,
    is_editable: ['pending', 'on-hold', 'auto-draft', 'checkout-draft'].includes(order.status),
    needs_payment: order.status === 'pending',
    needs_processing: true,
    date_created_gmt: wooDate(order.createdSec),
    date_modified_gmt: wooDate(order.modifiedSec),
    date_completed_gmt: order.status === 'completed' ? wooDate(order.modifiedSec) : null,
    date_paid_gmt: ['processing', 'completed'].includes(order.status) ? wooDate(order.createdSec) : null,
    currency_symbol: 'R$',
    _links: { self: [{ href: `${storeUrl}/wp-json/wc/v3/orders/${order.id}` }], collection: [{ href: `${storeUrl}/wp-json/wc/v3/orders` }] },
  };
  order.corrupt?.(json);
  return json;
}

export function renderProduct(product: FakeProduct, storeUrl: string): Record<string, unknown> {
  const stockStatus = product.stock === null ? 'instock' : product.stock > 0 ? 'instock' : 'outofstock';
  return {
    id: product.id,
    name: product.name,
    slug: product.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    permalink: `${storeUrl}/produto/${product.id}/`,
    type: product.type,
    status: 'publish',
    sku: product.sku,
    price: money(product.priceCents),
    regular_price: money(product.priceCents),
    sale_price: '',
    parent_id: product.parentId,
    manage_stock: product.manageStock,
    stock_quantity: product.manageStock === true ? product.stock : null,
    stock_status: stockStatus,
    backorders: 'no',
    variations: [],
    _links: { self: [{ href: `${storeUrl}/wp-json/wc/v3/products/${product.id}` }] },
  };
}

export function wooError(code: string, message: string, status: number): Response {
  return Response.json({ code, message, data: { status } }, { status });
}
