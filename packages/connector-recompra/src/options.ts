import { ConfigurationError, type RateLimitPolicy, type StatusDictionary } from '@conecta/core';
import { requireSecureUrl, resolveRateLimit, type HttpPolicy, type PlatformClientOptions, type RetryEvent } from '@conecta/core/http';
import { identifyRecompraOrder, RecompraOrderSchema, type RecompraOrderIdentify, type RecompraOrderMapping } from './schema.js';
import { recompraDefaultStatusDictionary } from './statuses.js';

/**
 * Recompra.aí documents no limit. One request per second with a small burst is a conservative guess that any API
 * serving integrations should tolerate; override it with `rateLimit` once the real limit is known.
 */
export const RECOMPRA_RATE_LIMIT: RateLimitPolicy = {
  requests: 60,
  intervalMs: 60_000,
  burst: 10,
  source: 'assumed: Recompra.aí publishes no rate limit (60 requests/min, burst 10)',
};

export interface RecompraPollingOptions {
  /** API root, e.g. `https://api.example.com/v1`. Must be https (plain http only for loopback). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiToken>`. */
  apiToken: string;
  /** Orders collection, relative to `baseUrl`. Default `/orders`; one order lives at `{ordersPath}/{id}`. */
  ordersPath?: string;
  /** `per_page` sent with each listing request. Default 50, at most 100. */
  pageSize?: number;
}

export interface RecompraConnectorOptions extends Omit<PlatformClientOptions, 'timeZone'> {
  /** The integration's token: the HMAC key of webhook deliveries. Required; the connector refuses to start without it. */
  webhookToken: string;
  /** Pull orders as well as receiving them by webhook. Without it `listOrders` and `getOrder` throw ConfigurationError. */
  polling?: RecompraPollingOptions;
  /** Replaces the field mapping (see `RecompraOrderSchema`) once the vendor's real order format is known. */
  schema?: RecompraOrderMapping;
  /** Reads id and `updated_at` of a raw order the mapping rejects. Default: the assumed `id` and `updated_at`. */
  identify?: RecompraOrderIdentify;
  /** Replaces the default status dictionary (and so the list `statuses()` returns). */
  statusDictionary?: StatusDictionary;
  /** How far a delivery's timestamp may be from our clock, either way. Default 300 s. */
  webhookToleranceSeconds?: number;
  /** Overrides the assumed rate limit. */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Overrides of the shared HTTP policy (timeouts, retries, backoff). */
  http?: Partial<HttpPolicy> & { onRetry?: (event: RetryEvent) => void };
  fetch?: typeof fetch;
  /** Clock for webhook timestamps, in epoch ms. */
  now?: () => number;
}

export interface ResolvedPolling {
  baseUrl: string;
  apiToken: string;
  ordersPath: string;
  pageSize: number;
}

export interface ResolvedOptions {
  webhookToken: string;
  polling: ResolvedPolling | undefined;
  schema: RecompraOrderMapping;
  identify: RecompraOrderIdentify;
  statusDictionary: StatusDictionary;
  toleranceMs: number;
  rateLimit: RateLimitPolicy;
  now: () => number;
}

/** Checks options up front: a connector that would fail open or fail later refuses to start instead. */
export function resolveOptions(options: RecompraConnectorOptions): ResolvedOptions {
  if (typeof options?.webhookToken !== 'string' || options.webhookToken.trim() === '') {
    throw new ConfigurationError('recompra: webhookToken is required; webhook deliveries cannot be verified without it');
  }
  const tolerance = options.webhookToleranceSeconds ?? 300;
  if (!Number.isFinite(tolerance) || tolerance <= 0) {
    throw new ConfigurationError('recompra: webhookToleranceSeconds must be a positive number');
  }
  return {
    webhookToken: options.webhookToken,
    polling: options.polling ? resolvePolling(options.polling) : undefined,
    schema: options.schema ?? RecompraOrderSchema,
    identify: options.identify ?? identifyRecompraOrder,
    statusDictionary: options.statusDictionary ?? recompraDefaultStatusDictionary(),
    toleranceMs: tolerance * 1000,
    rateLimit: resolveRateLimit(RECOMPRA_RATE_LIMIT, options.rateLimit),
    now: options.now ?? Date.now,
  };
}

function resolvePolling(polling: RecompraPollingOptions): ResolvedPolling {
  if (typeof polling.apiToken !== 'string' || polling.apiToken.trim() === '') {
    throw new ConfigurationError('recompra: polling.apiToken is required when polling is configured');
  }
  requireSecureUrl(polling.baseUrl, { platform: 'recompra', field: 'polling.baseUrl' });
  const pageSize = polling.pageSize ?? 50;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new ConfigurationError('recompra: polling.pageSize must be an integer from 1 to 100');
  }
  const ordersPath = `/${(polling.ordersPath ?? '/orders').replace(/^\/+|\/+$/g, '')}`;
  return { baseUrl: polling.baseUrl, apiToken: polling.apiToken, ordersPath, pageSize };
}
