import { createMercosConnector, type MercosConnectorOptions } from '../src/index.js';
import { FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, type MercosFake } from '../src/fake/index.js';

/** Fast pacing and backoff for tests; real waits named by a 429 are still obeyed to the millisecond. */
export const TEST_RATE_LIMIT = { requests: 100, intervalMs: 1_000, source: 'test' };
export const TEST_HTTP = { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 5_000 };

export function connectorFor(fake: MercosFake, overrides: Partial<MercosConnectorOptions> = {}) {
  return createMercosConnector({
    applicationToken: FAKE_APPLICATION_TOKEN,
    companyToken: FAKE_COMPANY_TOKEN,
    baseUrl: fake.baseUrl,
    rateLimit: TEST_RATE_LIMIT,
    http: TEST_HTTP,
    ...overrides,
  });
}
