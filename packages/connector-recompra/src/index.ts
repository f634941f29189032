export { createRecompraConnector } from './connector.js';
export { RECOMPRA_RATE_LIMIT, type RecompraConnectorOptions, type RecompraPollingOptions } from './options.js';
export {
  RecompraOrderSchema,
  RecompraWireOrderSchema,
  recompraCentsField,
  type DecimalFieldOptions,
  identifyRecompraOrder,
  recompraQuantityField,
  type RecompraMappedOrder,
  type RecompraOrderIdentify,
  type RecompraOrderMapping,
  type RecompraWireOrder,
} from './schema.js';
export { RECOMPRA_ASSUMED_STATUSES, recompraDefaultStatusDictionary } from './statuses.js';
export { RECOMPRA_DELIVERY_HEADER, RECOMPRA_SIGNATURE_HEADER, RECOMPRA_TIMESTAMP_HEADER, signRecompraDelivery } from './signature.js';
export { decodeRecompraCursor, encodeRecompraCursor, type RecompraCursor } from './cursor.js';
