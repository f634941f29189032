import type { RateLimitPolicy } from '@conecta/core';

/**
 * Tray publishes 180 requests a minute and 10,000 a day per store, and suspends the keys of apps that go over. The
 * core limiter never starts more than `requests` calls in any `intervalMs` window (with a small margin for jitter),
 * so the documented figure is used as it is; a burst of 30 keeps a cold start from spending the minute at once.
 */
export const TRAY_RATE_LIMIT: RateLimitPolicy = {
  requests: 180,
  intervalMs: 60_000,
  burst: 30,
  perDay: 10_000,
  source: 'Tray partners portal, "Como usar a API": 180 requests/min and 10,000/day per store',
};
