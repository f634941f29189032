export { ConectaError, type ConectaErrorCode, type ConectaErrorOptions } from './conecta-error.js';
export {
  AuthError,
  ConfigurationError,
  ConflictError,
  InsufficientStockError,
  NotFoundError,
  RateLimitError,
  StockShortfallError,
  UpstreamError,
  ValidationError,
  WebhookRejectedError,
  toConectaError,
  type FieldIssue,
} from './errors.js';
export { REDACTED, isSecretKey, redactHeaders, redactText, redactUrl, redactValue, registerSecret, registerSecretKey, unregisterSecret } from './redact.js';
export { fromZodError, parseWith } from './zod-errors.js';
