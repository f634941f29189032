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
export { REDACTED, isSecretKey, redactHeaders, redactText, redactUrl, redactValue, registerSecretKey, unregisterSecret } from './redact.js';
export { MIN_SECRET_LENGTH, registerSecret } from './secrets.js';
export { fromZodError, parseWith } from './zod-errors.js';
