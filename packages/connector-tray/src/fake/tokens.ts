import type { FakeClock } from './clock.js';
import { trayError } from './responses.js';

export interface FakeAuthConfig {
  accessToken: string;
  refreshToken: string;
  consumerKey: string;
  consumerSecret: string;
  authorizationCode: string;
  storeId: string;
  apiHost: string;
  lifetimeMs: number;
}

/**
 * The store's token state. Each refresh or code exchange issues a new pair and retires the old one, refresh token
 * included: single use is unconfirmed for Tray, and being strict here keeps the connector from relying on reuse.
 */
export class FakeTokens {
  private access = '';
  private refresh = '';
  private expiresAt = 0;
  private expired = false;
  private generation = 0;
  private codeUsed = false;
  private storeState: 'active' | 'blocked' | 'inactive' | 'cancelled' = 'active';

  constructor(
    private readonly config: FakeAuthConfig,
    private readonly clock: FakeClock,
  ) {
    this.reset();
  }

  current(): { accessToken: string; refreshToken: string } {
    return { accessToken: this.access, refreshToken: this.refresh };
  }

  expire(): void {
    this.expired = true;
  }

  setStoreState(state: FakeTokens['storeState']): void {
    this.storeState = state;
  }

  /** Tray's 401s carry `error_code`: 1000 expired, 1099 invalid. */
  authorize(url: URL): Response | undefined {
    const unavailable = { blocked: 1001, inactive: 1002, cancelled: 1003 } as const;
    if (this.storeState !== 'active') return trayError(401, 'Unauthorized', [`Loja ${this.storeState}`], { error_code: unavailable[this.storeState] });
    const given = url.searchParams.get('access_token');
    if (!given) return trayError(401, 'Unauthorized', ['Access token não informado'], { error_code: 1099 });
    if (given !== this.access) return trayError(401, 'Unauthorized', ['Token inválido'], { error_code: 1099 });
    if (this.expired || Date.now() >= this.expiresAt) return trayError(401, 'Unauthorized', ['Token expirado'], { error_code: 1000 });
    return undefined;
  }

  /** `POST /auth` with form fields. */
  exchange(form: URLSearchParams): Response {
    if (form.get('consumer_key') !== this.config.consumerKey || form.get('consumer_secret') !== this.config.consumerSecret) {
      return trayError(401, 'Unauthorized', ['Chave de acesso inválida'], { error_code: 1099 });
    }
    if (form.get('code') !== this.config.authorizationCode || this.codeUsed) {
      return trayError(401, 'Unauthorized', ['Código de autorização inválido'], { error_code: 1099 });
    }
    this.codeUsed = true;
    return this.issue('Created tokens');
  }

  /** `GET /auth?refresh_token=`. */
  refreshWith(refreshToken: string | null): Response {
    if (refreshToken !== this.refresh) return trayError(401, 'Unauthorized', ['Refresh token inválido'], { error_code: 1099 });
    return this.issue('Refreshed tokens');
  }

  reset(): void {
    this.access = this.config.accessToken;
    this.refresh = this.config.refreshToken;
    this.expiresAt = Date.now() + this.config.lifetimeMs;
    this.expired = false;
    this.generation = 0;
    this.codeUsed = false;
    this.storeState = 'active';
  }

  private issue(message: string): Response {
    this.generation += 1;
    const suffix = `${this.generation}-${Math.random().toString(36).slice(2, 10)}`;
    this.access = `${this.config.accessToken}-r${suffix}`;
    this.refresh = `${this.config.refreshToken}-r${suffix}`;
    this.expiresAt = Date.now() + this.config.lifetimeMs;
    this.expired = false;
    const local = (at: number) => this.clock.local(at);
    // Tray's example answer: every value a string, dates local and zone-less.
    return new Response(
      JSON.stringify({
        message,
        code: '200',
        access_token: this.access,
        refresh_token: this.refresh,
        date_expiration_access_token: local(this.expiresAt),
        date_expiration_refresh_token: local(Date.now() + 30 * 86_400_000),
        date_activated: local(Date.now()),
        api_host: this.config.apiHost,
        store_id: this.config.storeId,
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    );
  }
}
