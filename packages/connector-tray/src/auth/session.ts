import { AuthError, ConectaError, registerSecret } from '@conecta/core';
import { parseTrayExpiry, type TrayTokens } from './tokens.js';

export interface TrayCredentials {
  accessToken: string;
  /** Without it a 401 or an expired token cannot be recovered from. */
  refreshToken?: string;
  /** `date_expiration_access_token` as Tray sends it (local time) or an ISO instant. */
  accessTokenExpiresAt?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** `store_id` from `/auth`; notifications whose `seller_id` differs are rejected. */
  storeId?: string;
}

export interface TokenSessionOptions {
  credentials: TrayCredentials;
  timeZone: string;
  /** Refresh this long before the access token expires (default 5 minutes). */
  refreshSkewMs: number;
  refresh: (refreshToken: string) => Promise<TrayTokens>;
  /** Receives every new pair; persist it, since the old refresh token may no longer work. */
  onTokens?: (tokens: TrayTokens) => void | Promise<void>;
  now: () => number;
}

/**
 * Holds the store's current tokens. Refreshes ahead of expiry and after a 401, one refresh at a time: concurrent calls
 * share the same refresh, since a second one would spend a refresh token that may be single-use.
 */
export class TokenSession {
  private accessToken: string;
  private refreshToken: string | undefined;
  private expiresAt: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: TokenSessionOptions) {
    const { credentials } = options;
    this.accessToken = credentials.accessToken;
    this.refreshToken = credentials.refreshToken;
    this.expiresAt = credentials.accessTokenExpiresAt
      ? Date.parse(parseTrayExpiry(credentials.accessTokenExpiresAt, options.timeZone, 'accessTokenExpiresAt'))
      : undefined;
    for (const secret of [credentials.accessToken, credentials.refreshToken, credentials.consumerKey, credentials.consumerSecret]) registerSecret(secret);
  }

  /** The token to send now, refreshing first when it is about to expire. */
  async current(): Promise<string> {
    if (this.expiresAt !== undefined && this.refreshToken && this.expiresAt - this.options.now() <= this.options.refreshSkewMs) {
      await this.refresh();
    }
    return this.accessToken;
  }

  /** After a 401: true when new tokens were obtained and the call may be repeated. */
  async recover(): Promise<boolean> {
    if (!this.refreshToken) return false;
    // A refresh already under way (started by a concurrent call) yields the token this call needs.
    if (this.inFlight) return this.inFlight.then(
      () => true,
      () => false,
    );
    const before = this.accessToken;
    try {
      await this.refresh();
    } catch (error) {
      // A refused refresh leaves the original 401 to surface as the AuthError.
      if (ConectaError.isConectaError(error) && (error.code === 'AUTH' || error.code === 'VALIDATION')) return false;
      throw error;
    }
    return this.accessToken !== before;
  }

  refresh(): Promise<void> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<void> {
    const refreshToken = this.refreshToken;
    if (!refreshToken) throw new AuthError('tray: the access token expired and no refresh token is configured');
    const tokens = await this.options.refresh(refreshToken);
    registerSecret(tokens.accessToken);
    registerSecret(tokens.refreshToken);
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    this.expiresAt = tokens.accessTokenExpiresAt ? Date.parse(tokens.accessTokenExpiresAt) : undefined;
    await this.options.onTokens?.(tokens);
  }
}
