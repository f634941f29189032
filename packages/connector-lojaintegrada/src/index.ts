export { createLojaIntegradaConnector } from './connector.js';
export {
  LOJAINTEGRADA_BASE_URL,
  LOJAINTEGRADA_MAX_PAGE_SIZE,
  LOJAINTEGRADA_RATE_LIMIT,
  type LojaIntegradaConnectorOptions,
} from './options.js';
export {
  LOJAINTEGRADA_SITUACOES,
  LOJAINTEGRADA_UNCONFIRMED_SITUACOES,
  lojaIntegradaDefaultStatusDictionary,
  type LojaIntegradaSituacao,
} from './statuses.js';
export { mapLojaIntegradaOrder } from './map-order.js';
export { mapLojaIntegradaWebhookBody } from './webhook.js';
