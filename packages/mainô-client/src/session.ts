import { AuthError, registerSecret } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { login, type CompanyToken, type MainoCredentials } from './auth.js';
import type { AuthenticateEndpoint } from './endpoints.js';

/** Puts one company's credential on a request, and renews it when Mainô says it is no longer valid. */
export interface CompanyCredentials {
  authorize(cnpj: string, headers: Headers): Promise<void>;
  /** After a 401: true when a fresh credential was obtained and the request is worth one more try. */
  renew(cnpj: string): Promise<boolean>;
}

export function apiKeyCredentials(keys: Map<string, string>): CompanyCredentials {
  for (const key of keys.values()) registerSecret(key);
  return {
    async authorize(cnpj, headers) {
      const key = keys.get(cnpj);
      if (key) headers.set('X-Api-Key', key);
    },
    // A static key cannot be renewed: the 401 stands.
    renew: async () => false,
  };
}

/**
 * One login yields a token for every company, so tokens are kept per CNPJ and all renewed together. Concurrent calls
 * share one in-flight login; a token is renewed `marginMs` before its known expiry, and again after a 401.
 */
export function passwordCredentials(
  http: HttpClient,
  endpoint: AuthenticateEndpoint,
  credentials: MainoCredentials,
  marginMs: number,
): CompanyCredentials {
  let tokens = new Map<string, CompanyToken>();
  let inFlight: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    inFlight ??= login(http, endpoint, credentials)
      .then((fresh) => {
        tokens = new Map(fresh.map((token) => [token.cnpj, token]));
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const valid = (cnpj: string): CompanyToken | undefined => {
    const token = tokens.get(cnpj);
    return token && token.expiresAt - marginMs > Date.now() ? token : undefined;
  };

  return {
    async authorize(cnpj, headers) {
      let token = valid(cnpj);
      if (!token) {
        await refresh();
        token = tokens.get(cnpj);
      }
      if (!token) throw new AuthError(`maino: the login has no access to company ${cnpj}`);
      headers.set('Authorization', `Bearer ${token.accessToken}`);
    },
    async renew(cnpj) {
      const stale = tokens.get(cnpj)?.accessToken;
      // Another call may already have renewed it since this request was sent.
      if (inFlight) await inFlight;
      if (tokens.get(cnpj)?.accessToken === stale) await refresh();
      return tokens.has(cnpj);
    },
  };
}
