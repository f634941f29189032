export { createWooCommerceConnector } from './connector.js';
export { DEFAULT_RATE_LIMIT, type WooAuthMode, type WooCommerceConnectorOptions, type WooStatusSource } from './options.js';
export { WOO_STATUS_LABELS, wooStatusDictionary } from './statuses.js';
export { WOO_BATCH_LIMIT } from './stock/push-stock.js';
export { mapWooOrder, WooOrderSchema, type WooOrder } from './orders/map-order.js';
