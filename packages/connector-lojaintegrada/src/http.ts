import { createHttpClient, parseRetryAfter, sha256Hex, type HttpClient } from '@conecta/core/http';
import type { ResolvedOptions } from './options.js';

/** The core HTTP policy with LI's header auth and LI's 429 (no documented Retry-After: a fixed wait instead). */
export function createLojaIntegradaHttp(options: ResolvedOptions): HttpClient {
  const authorization = `chave_api ${options.chaveApi} aplicacao ${options.chaveAplicacao}`;
  return createHttpClient({
    platform: 'lojaintegrada',
    baseUrl: `${options.baseUrl}${options.apiPrefix}`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    rateLimit: options.rateLimit,
    // The limit is per chave_api: every client of one store shares a bucket. Hashed so no key sits in a map.
    rateLimitKey: sha256Hex(options.chaveApi).slice(0, 32),
    policy: options.http,
    secrets: [options.chaveApi, options.chaveAplicacao, options.webhookToken],
    authorize: ({ headers }) => headers.set('authorization', authorization),
    retryAfterFromBody: (_body, response) => parseRetryAfter(response.headers) ?? options.throttleRetryDelayMs,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
}
