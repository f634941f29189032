import { ConfigurationError, type RateLimitPolicy } from '@conecta/core';
import { requireSecureUrl, type PlatformClientOptions } from '@conecta/core/http';
import type { TrayCredentials } from './auth/session.js';
import type { TrayTokens } from './auth/tokens.js';

export interface TrayWebhookOptions {
  /**
   * Secret path segment of the notification URL registered with Tray (e.g. `https://app.example/hooks/tray/<token>`).
   * Tray signs nothing, so this token is the only thing that tells a Tray delivery from anyone else's POST.
   */
  pathToken?: string;
  /** Explicit opt-in to accept unsigned deliveries (all Tray deliveries are). Without it every delivery is rejected. */
  allowUnsigned?: boolean;
}

export interface TrayConnectorOptions extends PlatformClientOptions {
  /** The store's `api_address` (ends in `/web_api`), from the install callback or `/auth`'s `api_host`. */
  apiAddress: string;
  credentials: TrayCredentials;
  /** Called with every refreshed token pair: persist it, the previous refresh token may be spent. */
  onTokens?: (tokens: TrayTokens) => void | Promise<void>;
  /** Overrides of Tray's published limits (e.g. `perDay: 50_000` for corporate stores). */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Clients with the same key share one token bucket; defaults to the api_address (Tray limits per store). */
  rateLimitKey?: string;
  webhook?: TrayWebhookOptions;
  /** Orders per page, 1 to 50 (Tray's maximum `limit`). Default 50. */
  pageSize?: number;
  /** Zone of Tray's zone-less dates. Default America/Sao_Paulo. */
  timeZone?: string;
  /** Refresh the access token this long before it expires. Default 5 minutes. */
  refreshSkewMs?: number;
  /** `/orders/:id/complete` calls in flight at once while building a page. Default 4. */
  concurrency?: number;
  /** Also send consumer_key/consumer_secret on refresh (unconfirmed whether Tray needs them). Default false. */
  sendConsumerKeysOnRefresh?: boolean;
  /**
   * Query that restricts `/orders` to changes within local days `from`..`to` (YYYY-MM-DD). Tray documents the
   * `modified` filter as "[start], [end]" without the exact syntax; the default sends `modified=from,to`.
   */
  modifiedFilter?: (from: string, to: string) => Record<string, string>;
  /**
   * Reads a wait (ms) from a 429 answer. Whether Tray sends `Retry-After` is unconfirmed; the header is read by
   * default and, without it, the core policy backs off exponentially.
   */
  retryAfterFromBody?: (body: unknown, response: { status: number; headers: Headers }) => number | undefined;
  /** `sort` of the order list; a stable id order keeps pages from shifting while orders change. Default `id_asc`. */
  listSort?: string;
  now?: () => number;
}

export interface ResolvedTrayOptions extends Omit<TrayConnectorOptions, 'pageSize' | 'timeZone' | 'concurrency' | 'modifiedFilter' | 'listSort' | 'now'> {
  pageSize: number;
  timeZone: string;
  concurrency: number;
  modifiedFilter: (from: string, to: string) => Record<string, string>;
  listSort: string;
  now: () => number;
}

export const TRAY_MAX_LIMIT = 50;

export function resolveOptions(options: TrayConnectorOptions): ResolvedTrayOptions {
  const pageSize = options.pageSize ?? TRAY_MAX_LIMIT;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > TRAY_MAX_LIMIT) {
    throw new ConfigurationError(`tray: pageSize must be an integer from 1 to ${TRAY_MAX_LIMIT}, got ${pageSize}`);
  }
  // The access token travels in the query string of every call (Tray's API wants it there): https only.
  requireSecureUrl(options.apiAddress, { platform: 'tray', field: 'apiAddress' });
  return {
    ...options,
    apiAddress: options.apiAddress.replace(/\/+$/, ''),
    pageSize,
    timeZone: options.timeZone ?? 'America/Sao_Paulo',
    concurrency: Math.max(1, options.concurrency ?? 4),
    modifiedFilter: options.modifiedFilter ?? ((from, to) => ({ modified: `${from},${to}` })),
    listSort: options.listSort ?? 'id_asc',
    now: options.now ?? Date.now,
  };
}
