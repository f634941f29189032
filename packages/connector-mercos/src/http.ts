import { ConfigurationError } from '@conecta/core';
import { createHttpClient, requireSecureUrl, sha256Hex, type HttpClient } from '@conecta/core/http';
import type { ResolvedOptions } from './options.js';

/** Header Mercos sets when it cut the list short; the next call continues from the last `ultima_alteracao`. */
export const MERCOS_LIMIT_HEADER = 'MEUSPEDIDOS_LIMITOU_REGISTROS';

/**
 * Reads Mercos' 429 body. The wait it names is obeyed to the millisecond: Mercos may block for good a client that
 * calls before it ends, so no backoff or jitter replaces it.
 */
export function mercosRetryAfter(body: unknown): number | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const raw = (body as Record<string, unknown>)['tempo_ate_permitir_novamente'];
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

export function createMercosHttp(options: ResolvedOptions): HttpClient {
  if (!options.applicationToken || !options.companyToken) {
    throw new ConfigurationError('mercos: applicationToken and companyToken are both required');
  }
  requireSecureUrl(options.baseUrl, { platform: 'mercos', field: 'baseUrl' });
  // Mercos throttles per CompanyToken across every route, so every client of one company shares one bucket and one
  // request lane, and a 429 pauses all of them. The key is a hash so the token is not kept in one more place.
  const account = sha256Hex(`${options.baseUrl}|${options.companyToken}`);
  return createHttpClient({
    platform: 'mercos',
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // One request in flight per CompanyToken, and a 429 holds the lane for the wait it names: a request that passed
    // the bucket before the 429 arrived would otherwise reach Mercos during the wait, and Mercos may block for good a
    // client that calls during it.
    maxConcurrency: 1,
    rateLimit: options.rateLimit,
    rateLimitKey: account,
    policy: options.http,
    secrets: [options.applicationToken, options.companyToken],
    authorize: ({ headers }) => {
      headers.set('ApplicationToken', options.applicationToken);
      headers.set('CompanyToken', options.companyToken);
    },
    retryAfterFromBody: (body) => mercosRetryAfter(body),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
}
