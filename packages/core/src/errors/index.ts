export { ConectaError, MAX_ERROR_BODY_CHARS, type ConectaErrorCode, type ConectaErrorOptions, type HttpRequestDetails, type HttpResponseDetails } from './conecta-error.js';
export {
  AuthError,
  ConfigurationError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ResponseTooLargeError,
  UpstreamError,
  ValidationError,
  WebhookRejectedError,
  toConectaError,
  type FieldIssue,
} from './errors.js';
export { REDACTED, isSecretKey, redactHeaders, redactText, redactUrl, redactValue, registerSecret, registerSecretKey, unregisterSecret } from './redact.js';
export { fromZodError, parseWith } from './zod-errors.js';
