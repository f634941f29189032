export { createMainoClient, type ListSalesOrdersOptions, type MainoClient, type MainoOrderLookup } from './client.js';
export { authenticate, type AuthenticateOptions, type MainoCompanyAccess, type MainoCredentials } from './auth.js';
export {
  DEFAULT_MAINO_ENDPOINTS,
  buildMainoOrderBody,
  type AuthenticateEndpoint,
  type CreateOrderEndpoint,
  type EndpointConfidence,
  type GetOrderEndpoint,
  type InvoiceEndpoint,
  type MainoEndpointOverrides,
  type MainoEndpointTable,
  type OrdersEndpoint,
  type ProductsEndpoint,
} from './endpoints.js';
export {
  MAINO_BASE_URL,
  MAINO_DEFAULT_RATE_LIMIT,
  type MainoAuth,
  type MainoClientOptions,
  type MainoGroup,
  type UnreadableReport,
} from './options.js';
export type { MainoInvoice, MainoInvoiceState, MainoOrderItem, MainoProduct, MainoSalesOrder } from './read.js';
export type { ListPage } from './pagination.js';
