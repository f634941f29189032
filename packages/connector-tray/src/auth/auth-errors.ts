/** Tray's 401 `error_code`s that a new token cannot fix: store blocked (1001), inactive (1002), cancelled (1003). */
const STORE_UNAVAILABLE = new Set([1001, 1002, 1003]);

/**
 * The core HTTP client's `onUnauthorized` hook sees no response, so this fetch wrapper notes the `error_code` of the
 * last 401. Refreshing for a blocked store would only spend the refresh token.
 */
export function watchAuthErrors(base?: typeof fetch): { fetch: typeof fetch; refreshCanHelp: () => boolean } {
  let lastCode: number | undefined;
  const wrapped: typeof fetch = async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    if (response.status === 401) {
      const body = (await response.clone().json().catch(() => undefined)) as { error_code?: unknown } | undefined;
      lastCode = Number(body?.error_code);
    }
    return response;
  };
  return { fetch: wrapped, refreshCanHelp: () => lastCode === undefined || !STORE_UNAVAILABLE.has(lastCode) };
}
