import { UpstreamError, fromZodError, normaliseCnpj, registerSecret } from '@conecta/core';
import { createHttpClient, type HttpClient, type HttpPolicy } from '@conecta/core/http';
import { DEFAULT_MAINO_ENDPOINTS, type AuthenticateEndpoint } from './endpoints.js';
import { MAINO_BASE_URL, requireSecureBaseUrl } from './options.js';
import { MainoCompanyLoginSchema } from './schemas.js';

export interface MainoCredentials {
  applicationUid: string;
  email: string;
  password: string;
}

/** One company a login reaches, without its token (what a sign-in screen shows). */
export interface MainoCompanyAccess {
  cnpj: string;
  companyName: string | undefined;
  userName: string | undefined;
  email: string | undefined;
}

export interface CompanyToken extends MainoCompanyAccess {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Logs in once; the answer carries one token per company the user can access. */
export async function login(
  http: HttpClient,
  endpoint: AuthenticateEndpoint,
  credentials: MainoCredentials,
  signal?: AbortSignal,
): Promise<CompanyToken[]> {
  const response = await http.request<unknown>({
    method: endpoint.method,
    path: endpoint.path,
    json: { application_uid: credentials.applicationUid, email: credentials.email, password: credentials.password },
    // Logging in twice creates nothing, so an ambiguous failure may be retried.
    idempotent: true,
    ...(signal ? { signal } : {}),
  });
  return parseLoginResponse(response.data, Date.now(), endpoint.fallbackTokenTtlMs);
}

export function parseLoginResponse(body: unknown, now: number, fallbackTtlMs: number): CompanyToken[] {
  const map = unwrapEnvelope(body);
  const tokens: CompanyToken[] = [];
  for (const [key, value] of Object.entries(map)) {
    const parsed = MainoCompanyLoginSchema.safeParse(value);
    if (!parsed.success) throw fromZodError(parsed.error, `maino authentication entry ${JSON.stringify(key)}`);
    const entry = parsed.data;
    const cnpj = normaliseCnpj(entry.cnpj ?? key) ?? normaliseCnpj(key);
    if (!cnpj) throw new UpstreamError(`maino: authentication answered an entry for "${key}", which is not a CNPJ`, { retryable: false });
    registerSecret(entry.access_token);
    registerSecret(entry.refresh_token ?? undefined);
    tokens.push({
      cnpj,
      companyName: entry.company_name ?? undefined,
      userName: entry.user_name ?? undefined,
      email: entry.email ?? undefined,
      accessToken: entry.access_token,
      expiresAt: tokenExpiry(entry.access_token, now, fallbackTtlMs, entry.expires_in),
    });
  }
  return tokens;
}

/** The research notes show the CNPJ map both bare and inside `{"value": ...}`; both are accepted. */
function unwrapEnvelope(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new UpstreamError('maino: authentication answer is not a JSON object', { retryable: false });
  }
  const record = body as Record<string, unknown>;
  const inner = record['value'];
  if (Object.keys(record).length === 1 && inner && typeof inner === 'object' && !Array.isArray(inner)) {
    return inner as Record<string, unknown>;
  }
  return record;
}

/**
 * When a token expires: the answer's `expires_in` when it has one, else a JWT's `exp` claim, else the configured
 * lifetime. A working Mainô token seen in real code is a 43-character opaque string, so nothing here assumes a JWT:
 * only a token of three dot-separated parts whose middle one decodes to claims is read as one.
 */
export function tokenExpiry(token: string, now: number, fallbackTtlMs: number, expiresIn?: number | string | null): number {
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return now + seconds * 1000;
  const parts = token.split('.');
  if (parts.length === 3 && parts[1]) {
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
      if (typeof claims.exp === 'number' && Number.isFinite(claims.exp)) return claims.exp * 1000;
    } catch {
      // not a JWT after all: fall through to the configured lifetime
    }
  }
  return now + fallbackTtlMs;
}

export interface AuthenticateOptions extends MainoCredentials {
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: Partial<HttpPolicy>;
  endpoint?: Partial<AuthenticateEndpoint>;
  signal?: AbortSignal;
}

/** The companies (CNPJs) these credentials reach; used by sign-in to let a user pick the group's companies. */
export async function authenticate(options: AuthenticateOptions): Promise<MainoCompanyAccess[]> {
  const http = createAuthHttpClient(options);
  const tokens = await login(http, { ...DEFAULT_MAINO_ENDPOINTS.authenticate, ...options.endpoint }, options, options.signal);
  return tokens.map(({ cnpj, companyName, userName, email }) => ({ cnpj, companyName, userName, email }));
}

export function createAuthHttpClient(options: {
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: Partial<HttpPolicy>;
  applicationUid: string;
}): HttpClient {
  return createHttpClient({
    platform: 'maino',
    baseUrl: requireSecureBaseUrl(options.baseUrl ?? MAINO_BASE_URL),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.http ? { policy: options.http } : {}),
    // Logins are rare; a limit of their own keeps them from queueing behind a company's traffic.
    rateLimit: { requests: 1, intervalMs: 1000, burst: 3, source: 'assumed' },
    // The password is not registered: every sign-in attempt would add one to the process-wide list for good. It
    // travels only in this request's body, which no error quotes.
    secrets: [options.applicationUid],
  });
}
