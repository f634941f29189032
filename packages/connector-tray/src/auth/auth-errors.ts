/** Tray's 401 `error_code`s that a new token cannot fix: store blocked (1001), inactive (1002), cancelled (1003). */
const STORE_UNAVAILABLE = new Set([1001, 1002, 1003]);

/**
 * Whether a new token can fix this 401, read from the body core's `onUnauthorized` hands over: refreshing for a
 * blocked store would only spend the refresh token.
 */
export function refreshCanHelp(body: unknown): boolean {
  const code = body && typeof body === 'object' ? Number((body as { error_code?: unknown }).error_code) : Number.NaN;
  return Number.isNaN(code) || !STORE_UNAVAILABLE.has(code);
}
