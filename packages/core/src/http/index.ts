export {
  DEFAULT_HTTP_POLICY,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpPolicy,
  type HttpRequest,
  type HttpResponse,
  type QueryValue,
  type RetryEvent,
} from './http-client.js';
export { resetSharedDispatcher } from './dispatcher.js';
export { parseJsonBytes } from './json-bytes.js';
export { resolveRateLimit, type PlatformClientOptions } from './client-options.js';
export { isLoopbackHost, requireSecureUrl, type SecureUrlOptions } from './secure-url.js';
export { backoffDelay, parseRetryAfter } from './retry-after.js';
export { createTokenBucket, sharedTokenBucket, type TokenBucket } from './token-bucket.js';
export { shareRateLimits, type SharedRateLimiter } from './shared-limiter.js';
export { hmacSha256Base64, hmacSha256Hex, sha256Hex, timingSafeEqualString } from './crypto.js';
