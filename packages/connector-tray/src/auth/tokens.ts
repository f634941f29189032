import { AuthError, ValidationError, localDateTimeToInstant, type RateLimitPolicy } from '@conecta/core';
import { createHttpClient, requireSecureUrl, type HttpPolicy } from '@conecta/core/http';
import { TRAY_RATE_LIMIT } from '../rate-limit.js';

/** Tokens of one store, as `/auth` returns them, with expiry dates as ISO instants. */
export interface TrayTokens {
  accessToken: string;
  refreshToken: string;
  /** ISO instant. Tray sends a local "YYYY-MM-DD HH:MM:SS" without a zone. */
  accessTokenExpiresAt?: string;
  refreshTokenExpiresAt?: string;
  /** `api_host`: the store's api_address. */
  apiAddress?: string;
  /** `store_id`: also the `seller_id` of notifications. */
  storeId?: string;
}

export interface TrayAuthRequestOptions {
  apiAddress: string;
  fetch?: typeof fetch;
  http?: Partial<HttpPolicy>;
  rateLimit?: RateLimitPolicy;
  rateLimitKey?: string;
  /** Zone of the expiry dates Tray sends (default America/Sao_Paulo; unconfirmed officially). */
  timeZone?: string;
}

/**
 * Exchanges the per-store `code` from the install callback for tokens: `POST {api_address}/auth` with form fields
 * `consumer_key`, `consumer_secret` and `code`.
 */
export async function exchangeTrayCode(options: TrayAuthRequestOptions & { consumerKey: string; consumerSecret: string; code: string }): Promise<TrayTokens> {
  const client = authClient(options, [options.consumerKey, options.consumerSecret, options.code]);
  const response = await client.request<unknown>({
    method: 'POST',
    path: 'auth',
    // Form fields (application/x-www-form-urlencoded), as Tray's docs send them.
    form: { consumer_key: options.consumerKey, consumer_secret: options.consumerSecret, code: options.code },
  });
  return parseTrayTokenResponse(response.data, options.timeZone);
}

/**
 * Trades the refresh token for new tokens: `GET {api_address}/auth?refresh_token=...`. The refresh token may be
 * single-use (unconfirmed), so always store the returned pair. `sendConsumerKeys` also sends the app's key and secret,
 * as some homologated apps do (unconfirmed whether Tray needs them).
 */
export async function refreshTrayToken(
  options: TrayAuthRequestOptions & { refreshToken: string; consumerKey?: string; consumerSecret?: string; sendConsumerKeys?: boolean },
): Promise<TrayTokens> {
  const client = authClient(options, [options.refreshToken, options.consumerKey, options.consumerSecret]);
  const keys = options.sendConsumerKeys ? { consumer_key: options.consumerKey, consumer_secret: options.consumerSecret } : {};
  const response = await client.get<unknown>('auth', { refresh_token: options.refreshToken, ...keys });
  return parseTrayTokenResponse(response.data, options.timeZone);
}

export function parseTrayTokenResponse(data: unknown, timeZone = 'America/Sao_Paulo'): TrayTokens {
  const body = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const accessToken = body['access_token'];
  const refreshToken = body['refresh_token'];
  if (typeof accessToken !== 'string' || !accessToken || typeof refreshToken !== 'string' || !refreshToken) {
    throw new AuthError('tray: /auth answered without access_token and refresh_token');
  }
  return {
    accessToken,
    refreshToken,
    accessTokenExpiresAt: expiry(body['date_expiration_access_token'], timeZone, 'date_expiration_access_token'),
    refreshTokenExpiresAt: expiry(body['date_expiration_refresh_token'], timeZone, 'date_expiration_refresh_token'),
    apiAddress: typeof body['api_host'] === 'string' ? body['api_host'] : undefined,
    storeId: body['store_id'] === undefined ? undefined : String(body['store_id']),
  };
}

/** Accepts an ISO instant or Tray's zone-less local date-time. */
export function parseTrayExpiry(value: string, timeZone: string, field = 'expiry'): string {
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && value.includes('T')) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new ValidationError([{ path: field, message: `"${value}" is not a date` }]);
    return new Date(at).toISOString();
  }
  return localDateTimeToInstant(value, timeZone, field);
}

function expiry(value: unknown, timeZone: string, field: string): string | undefined {
  return typeof value === 'string' && value && !value.startsWith('0000') ? parseTrayExpiry(value, timeZone, field) : undefined;
}

function authClient(options: TrayAuthRequestOptions, secrets: Array<string | undefined>) {
  // The consumer secret, the code and the refresh token travel in these calls.
  requireSecureUrl(options.apiAddress, { platform: 'tray', field: 'apiAddress' });
  return createHttpClient({
    platform: 'tray',
    baseUrl: options.apiAddress,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    rateLimit: options.rateLimit ?? TRAY_RATE_LIMIT,
    rateLimitKey: options.rateLimitKey,
    policy: options.http,
    secrets,
  });
}
