import { ConfigurationError, type RateLimitPolicy } from '@conecta/core';
import { requireSecureUrl, resolveRateLimit, type HttpPolicy, type PlatformClientOptions, type RetryEvent } from '@conecta/core/http';

export type WooCommerceAuthMode = 'basic' | 'query';
export type WooCommerceStatusSource = 'static' | 'reports';

export interface WooCommerceConnectorOptions extends Omit<PlatformClientOptions, 'timeZone'> {
  /** The store's home URL, e.g. `https://shop.example.com` (the REST base `/wp-json/wc/v3` is appended). */
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** The secret set on the store's webhooks; without it every signed delivery is rejected. */
  webhookSecret?: string;
  /** Plain http is refused: WooCommerce only accepts keys over HTTPS (http needs OAuth 1.0a, not implemented). */
  allowInsecureHttp?: boolean;
  /** `basic` (default) sends an Authorization header; `query` sends the keys as query parameters for hosts that strip it. */
  authMode?: WooCommerceAuthMode;
  /** Overrides of the assumed client-side limit (WooCommerce core documents none). */
  rateLimit?: Partial<RateLimitPolicy>;
  /** 1 to 100; WooCommerce caps `per_page` at 100. */
  pageSize?: number;
  /** Pages fetched at once once the page count is known. */
  concurrency?: number;
  /** Sent as the `status` filter; absent means WooCommerce's default (`any`). */
  orderStatuses?: string[];
  /** `static` (default) returns the statuses WooCommerce core registers; `reports` reads `/reports/orders/totals`. */
  statusSource?: WooCommerceStatusSource;
  /** Look SKUs up in each variable product's variations when `/products?sku=` misses them (stores older than the variation-aware search). */
  variationSkuFallback?: boolean;
  /** Items per batch call; WooCommerce refuses more than 100 unless a filter raises the limit. */
  batchSize?: number;
}

export interface ResolvedOptions extends Required<Omit<WooCommerceConnectorOptions, 'webhookSecret' | 'fetch' | 'http' | 'rateLimit' | 'orderStatuses' | 'onRetry'>> {
  webhookSecret: string | undefined;
  fetch: typeof fetch | undefined;
  http: Partial<HttpPolicy> | undefined;
  rateLimit: RateLimitPolicy;
  onRetry: ((event: RetryEvent) => void) | undefined;
  orderStatuses: string[] | undefined;
  apiBaseUrl: string;
}

/**
 * Nothing in WooCommerce core limits `wc/v3`, but the store is someone's PHP server (often shared hosting) where each
 * 100-order page costs real CPU; 10 requests per second keeps a sync from degrading the shop.
 */
export const WOOCOMMERCE_RATE_LIMIT: RateLimitPolicy = {
  requests: 10,
  intervalMs: 1_000,
  burst: 10,
  source: 'assumed: WooCommerce core documents no limit for wc/v3 (self-hosted); conservative default',
};

export function resolveOptions(options: WooCommerceConnectorOptions): ResolvedOptions {
  const url = requireSecureUrl(options.storeUrl, { platform: 'woocommerce', field: 'storeUrl', allowInsecureHttp: options.allowInsecureHttp ?? false });
  // Stricter than the SDK's rule: WooCommerce itself takes keys over plain http only with OAuth 1.0a, even on loopback.
  if (url.protocol === 'http:' && !options.allowInsecureHttp) {
    throw new ConfigurationError(
      'woocommerce: storeUrl uses plain http; WooCommerce keys must travel over HTTPS (set allowInsecureHttp only for a local test server)',
    );
  }
  if (!options.consumerKey || !options.consumerSecret) {
    throw new ConfigurationError('woocommerce: consumerKey and consumerSecret are required');
  }
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new ConfigurationError(`woocommerce: pageSize must be an integer from 1 to 100, got ${pageSize}`);
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConfigurationError(`woocommerce: concurrency must be a positive integer, got ${concurrency}`);
  }
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigurationError(`woocommerce: batchSize must be a positive integer, got ${batchSize}`);
  }
  const home = url.toString().replace(/\/+$/, '');
  return {
    storeUrl: home,
    consumerKey: options.consumerKey,
    consumerSecret: options.consumerSecret,
    webhookSecret: options.webhookSecret,
    allowInsecureHttp: options.allowInsecureHttp ?? false,
    authMode: options.authMode ?? 'basic',
    fetch: options.fetch,
    http: options.http,
    rateLimit: resolveRateLimit(WOOCOMMERCE_RATE_LIMIT, options.rateLimit),
    onRetry: options.onRetry,
    pageSize,
    concurrency,
    orderStatuses: options.orderStatuses,
    statusSource: options.statusSource ?? 'static',
    variationSkuFallback: options.variationSkuFallback ?? false,
    batchSize,
    apiBaseUrl: `${home}/wp-json/wc/v3/`,
  };
}
