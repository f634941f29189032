export {
  CONNECTOR_SPEC_VERSION,
  type Connector,
  type ConnectorCapabilities,
  type ListOrdersOptions,
  type OrderPage,
  type PlatformStatus,
  type RejectedPayload,
  type StockLevel,
  type StockPushResult,
  type WebhookEvent,
  type WebhookInput,
  type WebhookVerification,
} from './connector.js';
export type { CreateSalesOrderInput, CreateSalesOrderOptions, ErpOrderCharges, ErpPort, ErpProduct, ErpSalesOrder, ErpSalesOrderLine, ErpStockListing } from './erp.js';
export type { RateLimitPolicy } from './rate-limit.js';
export { assertConnector } from './assert-connector.js';
export { createReplayGuard, type ReplayGuard } from './replay-guard.js';
export { compiledSchema, type CompiledSchema } from './compiled-schema.js';
export { parsePlatformOrder } from './parse-platform-order.js';
export { resumeCursor, type ResumeCursor, type ResumeCursorFormat, type ResumePoint } from './resume-cursor.js';
