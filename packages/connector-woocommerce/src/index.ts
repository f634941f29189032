export { createWooCommerceConnector } from './connector.js';
export { WOOCOMMERCE_RATE_LIMIT, type WooCommerceAuthMode, type WooCommerceConnectorOptions, type WooCommerceStatusSource } from './options.js';
export { WOOCOMMERCE_STATUS_LABELS, wooCommerceDefaultStatusDictionary } from './statuses.js';
export { WOOCOMMERCE_BATCH_LIMIT } from './stock/push-stock.js';
export { mapWooCommerceOrder, WOOCOMMERCE_MAPPED_ORDER_FIELDS, WooCommerceOrderSchema, type WooCommerceOrder } from './orders/map-order.js';
