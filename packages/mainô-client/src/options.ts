import { ConfigurationError, normaliseCnpj, type FieldIssue, type RateLimitPolicy } from '@conecta/core';
import type { HttpPolicy, RetryEvent } from '@conecta/core/http';
import type { MainoEndpointOverrides } from './endpoints.js';

export const MAINO_BASE_URL = 'https://api.maino.com.br/api/v2';

/**
 * Nothing is published. Third-party clients pause 200–250 ms between calls; Mainô's own outbound gem allows itself
 * 3 per second per token. Two per second per company token stays under both.
 */
export const MAINO_DEFAULT_RATE_LIMIT: RateLimitPolicy = {
  requests: 2,
  intervalMs: 1000,
  burst: 2,
  source: 'assumed: no published limit; third-party clients pause 200-250 ms between calls',
};

/** Fields of a Mainô answer the client could not read, from one call; the call itself still answered. */
export interface UnreadableReport {
  operation: 'lookup' | 'list' | 'create' | 'stock' | 'invoice';
  /** The company (14 characters) the call was for. */
  cnpj: string;
  /** What was being read, e.g. `reference conecta:tray-1:1042:…` or `product CANECA`. */
  subject: string;
  /** Each unreadable field with its path in the answer, e.g. `page 1: pedidos[0].itens.1.valor_unitario`. */
  issues: FieldIssue[];
}

export type MainoAuth =
  | { kind: 'password'; applicationUid: string; email: string; password: string }
  | { kind: 'api-key'; keys: Record<string, string> };

export type MainoGroup = { cnpjs: readonly string[] } | { companies: ReadonlyArray<{ cnpj: string }> };

export interface MainoClientOptions {
  /** Defaults to https://api.maino.com.br/api/v2. */
  baseUrl?: string;
  /** The companies this client may act for; any other CNPJ is refused before a request is made. */
  group: MainoGroup;
  auth: MainoAuth;
  endpoints?: MainoEndpointOverrides;
  /** Per company token (each token has its own bucket). */
  rateLimit?: RateLimitPolicy;
  fetch?: typeof fetch;
  http?: Partial<HttpPolicy>;
  /** Creates tried in all when each attempt ends ambiguously (timeout, network error, 5xx); default 3. */
  maxCreateAttempts?: number;
  /** Pages of `GET /pedidos` walked when looking an order up by reference; default 10. */
  maxLookupPages?: number;
  /** Renew a token this long before it expires; default 5 minutes. */
  tokenRefreshMarginMs?: number;
  onRetry?: (event: RetryEvent) => void;
  /**
   * Called whenever an answer had fields the client could not read (real Mainô answers differ from the notes). The
   * call still answers; this is where to log or count what it had to leave out.
   */
  onUnreadable?: (report: UnreadableReport) => void;
}

/** The group's CNPJs as 14 digits; a malformed one is a configuration error, not a silent skip. */
export function groupCnpjs(group: MainoGroup): Set<string> {
  const raw = 'cnpjs' in group ? group.cnpjs : group.companies.map((company) => company.cnpj);
  if (raw.length === 0) throw new ConfigurationError('maino: the group has no companies');
  const out = new Set<string>();
  for (const value of raw) {
    const cnpj = normaliseCnpj(value);
    if (!cnpj) throw new ConfigurationError(`maino: "${value}" in the group is not a valid CNPJ`);
    out.add(cnpj);
  }
  return out;
}

/** Keys of an api-key setup, by normalised CNPJ; every company of the group needs one. */
export function apiKeysByCnpj(keys: Record<string, string>, group: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [cnpjText, key] of Object.entries(keys)) {
    const cnpj = normaliseCnpj(cnpjText);
    if (!cnpj) throw new ConfigurationError(`maino: api key configured for "${cnpjText}", which is not a valid CNPJ`);
    if (!key) throw new ConfigurationError(`maino: empty api key for company ${cnpj}`);
    out.set(cnpj, key);
  }
  for (const cnpj of group) {
    if (!out.has(cnpj)) throw new ConfigurationError(`maino: no api key configured for company ${cnpj} of the group`);
  }
  return out;
}

export function requireSecureBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !local) throw new ConfigurationError(`maino: base URL must use https (got ${url.protocol})`);
  return baseUrl;
}
