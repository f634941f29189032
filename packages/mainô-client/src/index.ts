export { createMainoClient, type ListSalesOrdersOptions, type MainoClient } from './client.js';
export { authenticate, type AuthenticateOptions, type MainoCompanyAccess, type MainoCredentials } from './auth.js';
export {
  DEFAULT_MAINO_ENDPOINTS,
  buildMainoOrderBody,
  type AuthenticateEndpoint,
  type CreateOrderEndpoint,
  type EndpointConfidence,
  type GetOrderEndpoint,
  type MainoEndpointOverrides,
  type MainoEndpointTable,
  type OrdersEndpoint,
  type ProductsEndpoint,
} from './endpoints.js';
export { MAINO_BASE_URL, MAINO_DEFAULT_RATE_LIMIT, type MainoAuth, type MainoClientOptions, type MainoGroup } from './options.js';
export type { ListPage } from './pagination.js';
