import { ConfigurationError, type RateLimitPolicy } from '@conecta/core';
import { requireSecureUrl, resolveRateLimit, type HttpPolicy, type PlatformClientOptions, type RetryEvent } from '@conecta/core/http';
import { WOOCOMMERCE_MAPPED_ORDER_FIELDS } from './orders/map-order.js';

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
  /**
   * What each order's `raw` holds, and so what the listing and `getOrder` ask WooCommerce for (WordPress's `_fields`
   * parameter): `'mapped'` (default) the fields the mapping reads, `'all'` the whole order, or a list of fields to keep
   * besides the mapped ones (e.g. `['shipping', 'customer_note']`). Webhook deliveries always carry the whole order.
   */
  orderFields?: 'mapped' | 'all' | readonly string[];
}

export interface ResolvedOptions extends Required<Omit<WooCommerceConnectorOptions, 'webhookSecret' | 'fetch' | 'http' | 'rateLimit' | 'orderStatuses' | 'onRetry' | 'orderFields'>> {
  /** Added to every order read's query: `_fields` with the fields asked for, or nothing for whole orders. */
  orderFieldsQuery: Readonly<Record<string, string>>;
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
    orderFieldsQuery: orderFieldsQuery(options.orderFields),
    apiBaseUrl: `${home}/wp-json/wc/v3/`,
  };
}

/** The query for `orderFields`: `_fields` with the mapped fields and those asked for besides; none for whole orders. */
function orderFieldsQuery(fields: WooCommerceConnectorOptions['orderFields']): Readonly<Record<string, string>> {
  if (fields === undefined || fields === 'mapped') return { _fields: WOOCOMMERCE_MAPPED_ORDER_FIELDS.join(',') };
  if (fields === 'all') return {};
  if (!Array.isArray(fields)) {
    throw new ConfigurationError(`woocommerce: orderFields must be 'mapped', 'all' or a list of field names, got ${JSON.stringify(fields)}`);
  }
  for (const field of fields as unknown[]) {
    // WordPress splits `_fields` on commas and spaces; a dot names a nested field.
    if (typeof field !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(field)) {
      throw new ConfigurationError(`woocommerce: orderFields: ${JSON.stringify(field)} is not a field name (letters, digits, _ and -, with . before a nested field)`);
    }
  }
  return { _fields: [...new Set([...WOOCOMMERCE_MAPPED_ORDER_FIELDS, ...fields])].join(',') };
}
