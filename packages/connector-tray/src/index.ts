export { createTrayConnector } from './connector.js';
export type { TrayConnectorOptions, TrayWebhookOptions } from './options.js';
export type { TrayCredentials } from './auth/session.js';
export { exchangeTrayCode, refreshTrayToken, parseTrayTokenResponse, type TrayAuthRequestOptions, type TrayTokens } from './auth/tokens.js';
export { TRAY_RATE_LIMIT } from './rate-limit.js';
export { TRAY_DEFAULT_STATUSES, trayDefaultStatusDictionary } from './statuses.js';
export { mapTrayOrder, type TrayRawOrder } from './orders/map-order.js';
export { parseTrayNotification, type TrayNotification } from './webhook.js';
