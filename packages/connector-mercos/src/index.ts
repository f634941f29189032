export { createMercosConnector, type MercosConnector } from './connector.js';
export { MERCOS_HOSTS, MERCOS_RATE_LIMITS, type MercosConnectorOptions } from './options.js';
export { EXCLUDED_STATUS, MERCOS_STATUS, MERCOS_STATUSES, buildStatusDictionary, customStatusCode } from './statuses.js';
export { decodeCursor, encodeCursor, type MercosCursor } from './cursor.js';
export { LIMIT_HEADER, mercosRetryAfter } from './http.js';
export { mapMercosOrder, type MapContext, type ProductRef } from './map-order.js';
export { STOCK_BATCH_SIZE, toNovoSaldo } from './stock.js';
