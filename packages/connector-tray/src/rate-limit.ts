import type { RateLimitPolicy } from '@conecta/core';

/** Tray's published limits per store: 180 requests a minute and 10,000 a day (50,000 for large "corporate" stores). */
export const TRAY_RATE_LIMIT: RateLimitPolicy = {
  requests: 180,
  intervalMs: 60_000,
  perDay: 10_000,
  source: 'Tray partners portal, "Como usar a API": 180 requests/min and 10,000 requests/day per store',
};
