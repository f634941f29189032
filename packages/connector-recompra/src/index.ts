export { createRecompraConnector } from './connector.js';
export { RECOMPRA_ASSUMED_RATE_LIMIT, type RecompraConnectorOptions, type RecompraPollingOptions } from './options.js';
export {
  RecompraOrderSchema,
  RecompraWireOrderSchema,
  centsField,
  type DecimalFieldOptions,
  identifyRecompraOrder,
  quantityField,
  type RecompraMappedOrder,
  type RecompraOrderIdentify,
  type RecompraOrderMapping,
  type RecompraWireOrder,
} from './schema.js';
export { RECOMPRA_ASSUMED_STATUSES, recompraDefaultStatusDictionary } from './statuses.js';
export { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signRecompraDelivery } from './signature.js';
export { decodeCursor, encodeCursor, type RecompraCursor } from './cursor.js';
