import type { RateLimitPolicy } from '../spec/rate-limit.js';
import type { HttpPolicy, RetryEvent } from './http-client.js';

/**
 * The options every platform client shares (the five connectors and the Mainô client extend it), so each is spelt
 * and documented once.
 */
export interface PlatformClientOptions {
  /** Sends requests through this fetch (a test double, another runtime's). Default: Node's, on the shared pool. */
  fetch?: typeof fetch;
  /** Overrides of the core HTTP policy (timeouts, attempts, backoff, longest 429 wait, largest answer). */
  http?: Partial<HttpPolicy>;
  /** Overrides of the client-side limit, merged over the platform's documented default. */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Zone of the platform's zone-less dates. Default America/Sao_Paulo. */
  timeZone?: string;
  /** Told about every retry the HTTP policy makes (attempt, error code, wait). */
  onRetry?: (event: RetryEvent) => void;
}

/** The platform's default limit with the caller's overrides on top. */
export function resolveRateLimit(defaults: RateLimitPolicy, overrides: Partial<RateLimitPolicy> | undefined): RateLimitPolicy {
  return overrides ? { ...defaults, ...overrides } : defaults;
}
