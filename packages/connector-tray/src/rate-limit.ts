import type { RateLimitPolicy } from '@conecta/core';

/**
 * Tray publishes 180 requests a minute and 10,000 a day per store, and suspends the keys of apps that go over. The
 * core token bucket lets `burst` requests through at once and then refills at `requests / intervalMs`, so any 60 s
 * window can hold up to `burst + requests` calls: with the documented 180/180 that is 360. A burst of 30 on a
 * 150/min refill keeps every window at 180 or below, at the cost of a slower steady rate.
 */
export const TRAY_RATE_LIMIT: RateLimitPolicy = {
  requests: 150,
  intervalMs: 60_000,
  burst: 30,
  perDay: 10_000,
  source: 'Tray partners portal, "Como usar a API": 180 requests/min and 10,000/day per store (paced as 30 burst + 150/min so no minute exceeds 180)',
};
