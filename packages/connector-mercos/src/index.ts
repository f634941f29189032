export { createMercosConnector, type MercosConnector } from './connector.js';
export { MERCOS_HOSTS, MERCOS_RATE_LIMIT, MERCOS_SANDBOX_RATE_LIMIT, type MercosConnectorOptions } from './options.js';
export { MERCOS_EXCLUDED_STATUS, MERCOS_STATUS, MERCOS_STATUSES, mercosDefaultStatusDictionary, mercosCustomStatusCode } from './statuses.js';
export { decodeMercosCursor, encodeMercosCursor, type MercosCursor } from './cursor.js';
export { MERCOS_LIMIT_HEADER, mercosRetryAfter } from './http.js';
export { mapMercosOrder, type MapContext, type ProductRef } from './map-order.js';
export { MERCOS_STOCK_BATCH_SIZE, toMercosNovoSaldo } from './stock.js';
