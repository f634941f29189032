import { ConfigurationError, type IntakeState, type RateLimitPolicy } from '@conecta/core';
import { requireSecureUrl, type HttpPolicy, type PlatformClientOptions, type RetryEvent } from '@conecta/core/http';

export interface LojaIntegradaConnectorOptions extends PlatformClientOptions {
  /** The store's key ("Configurações > Chave para API"). */
  chaveApi: string;
  /** The integrator's application key issued by LI. */
  chaveAplicacao: string;
  /** Default `https://api.awsli.com.br`; requests go to `{baseUrl}{apiPrefix}/...`. */
  baseUrl?: string;
  /** `/v1` (default) or `/api/v1`: clients use both and their equivalence is unconfirmed. */
  apiPrefix?: string;
  /** Bearer token registered with `PUT /webhooks/v1/pedido`. Without it every delivery is rejected. */
  webhookToken?: string;
  /**
   * `fetch` (default): a delivery only names the order, which is read back from the API, since LI's webhook payload
   * shape is unconfirmed and a static token does not sign the body. `payload`: map the delivered body itself.
   */
  webhookOrderSource?: 'fetch' | 'payload';
  /** Client-side limit; defaults to LI's documented 100 requests/min per store (as 90/min with a burst of 10). */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Orders per search page and per emitted page; LI's current spec caps `limit` at 50. */
  pageSize?: number;
  /** LI sends naive local times; the store's zone is assumed to be São Paulo (unconfirmed). */
  timeZone?: string;
  /** Seconds subtracted from `since_atualizado` on resume, because the bound's inclusiveness is undocumented. */
  sinceOverlapSeconds?: number;
  /** Wait after a 429 without `Retry-After` (LI documents none; its Python SDK sleeps 10 s). */
  throttleRetryDelayMs?: number;
  /** Full passes over a search window before giving up when the store keeps changing under the scan. */
  maxScanPasses?: number;
  /**
   * Written with each stock update, since LI's PUT replaces the whole stock row. Absent: the current values are read
   * first and kept. `situacao_em_estoque`: lead days while in stock; `situacao_sem_estoque`: -1 unavailable, 0 keep
   * selling, N days (meanings unconfirmed).
   */
  stockAvailability?: { situacao_em_estoque: number; situacao_sem_estoque: number };
  /** Changes to the default status dictionary, by `codigo`. */
  statusOverrides?: Record<string, IntakeState>;
}

export interface ResolvedOptions extends Required<Omit<LojaIntegradaConnectorOptions, 'webhookToken' | 'fetch' | 'http' | 'onRetry' | 'stockAvailability' | 'rateLimit'>> {
  webhookToken: string | undefined;
  fetch: typeof fetch | undefined;
  http: Partial<HttpPolicy>;
  onRetry: ((event: RetryEvent) => void) | undefined;
  stockAvailability: LojaIntegradaConnectorOptions['stockAvailability'];
  rateLimit: RateLimitPolicy;
}

export const LOJAINTEGRADA_BASE_URL = 'https://api.awsli.com.br';
export const LOJAINTEGRADA_MAX_PAGE_SIZE = 50;

/**
 * LI's limit is 100 requests/min per chave_api. The core bucket allows `burst` at once on top of the steady rate, so
 * the steady rate is 90/min and the burst 10: never more than 100 in any minute.
 */
export const LOJAINTEGRADA_RATE_LIMIT: RateLimitPolicy = {
  requests: 90,
  intervalMs: 60_000,
  burst: 10,
  source: 'LI spec "Limites (Throttling)" as quoted by secondary notes: 100/min per store (code 633), 3000/min per application, 1200/min per IP; unconfirmed',
};

export function resolveOptions(options: LojaIntegradaConnectorOptions): ResolvedOptions {
  if (!options.chaveApi || !options.chaveAplicacao) throw new ConfigurationError('lojaintegrada: chaveApi and chaveAplicacao are required');
  const baseUrl = (options.baseUrl ?? LOJAINTEGRADA_BASE_URL).replace(/\/+$/, '');
  requireSecureUrl(baseUrl, { platform: 'lojaintegrada', field: 'baseUrl' });
  const pageSize = options.pageSize ?? LOJAINTEGRADA_MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new ConfigurationError('lojaintegrada: pageSize must be an integer from 1 to 100');
  return {
    chaveApi: options.chaveApi,
    chaveAplicacao: options.chaveAplicacao,
    baseUrl,
    apiPrefix: `/${(options.apiPrefix ?? '/v1').replace(/^\/+|\/+$/g, '')}`,
    webhookToken: options.webhookToken || undefined,
    webhookOrderSource: options.webhookOrderSource ?? 'fetch',
    fetch: options.fetch,
    http: options.http ?? {},
    onRetry: options.onRetry,
    rateLimit: { ...LOJAINTEGRADA_RATE_LIMIT, ...options.rateLimit },
    pageSize,
    timeZone: options.timeZone ?? 'America/Sao_Paulo',
    sinceOverlapSeconds: options.sinceOverlapSeconds ?? 1,
    throttleRetryDelayMs: options.throttleRetryDelayMs ?? 10_000,
    maxScanPasses: options.maxScanPasses ?? 3,
    stockAvailability: options.stockAvailability,
    statusOverrides: options.statusOverrides ?? {},
  };
}
