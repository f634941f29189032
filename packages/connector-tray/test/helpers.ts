import type { TrayConnectorOptions } from '../src/index.js';
import type { TrayFake } from '../src/fake/index.js';

let bucketSeq = 0;

/** Connector options against a fake, served through its handler directly (no network, no msw). */
export function connectorOptions(fake: TrayFake, overrides: Partial<TrayConnectorOptions> = {}): TrayConnectorOptions {
  return {
    apiAddress: fake.baseUrl,
    credentials: {
      accessToken: fake.credentials.accessToken,
      refreshToken: fake.credentials.refreshToken,
      consumerKey: fake.credentials.consumerKey,
      consumerSecret: fake.credentials.consumerSecret,
      storeId: fake.storeId,
    },
    fetch: (input, init) => fake.handle(new Request(input, init)),
    http: { baseDelayMs: 5, maxDelayMs: 20 },
    // Each connector gets its own bucket: tests must not wait on each other's traffic.
    rateLimitKey: `test-${++bucketSeq}`,
    webhook: { pathToken: 'wh-7c3f9a1e5d2b8f40', allowUnsigned: true },
    ...overrides,
  };
}
