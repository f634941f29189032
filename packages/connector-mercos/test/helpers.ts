import { fileURLToPath } from 'node:url';
import { createMercosConnector, type MercosConnectorOptions } from '../src/index.js';
import { FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, createMercosFake, type MercosFake, type MercosFakeOptions } from '../src/fake/index.js';

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

let accounts = 0;

/**
 * A fake and a connector wired by `fetch` (no msw), on a company token of their own: Mercos throttles per
 * CompanyToken, so a fresh token keeps one test's 429 pause out of the next test.
 */
export function setup(fakeOptions: MercosFakeOptions = {}, overrides: Partial<MercosConnectorOptions> = {}) {
  accounts += 1;
  const companyToken = `${FAKE_COMPANY_TOKEN}-${accounts}-${Date.now()}`;
  const fake = createMercosFake({ companyToken, ...fakeOptions });
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => fake.handle(new Request(input, init))) as typeof globalThis.fetch;
  const make = (more: Partial<MercosConnectorOptions> = {}) => connectorFor(fake, { companyToken, fetch, ...overrides, ...more });
  return { fake, companyToken, fetch, connector: make(), make };
}

export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** `alterado_apos` of each logged list request to `path`. */
export function alteradoAposOf(fake: MercosFake, path: string): string[] {
  return fake
    .requests()
    .filter((entry) => entry.url.startsWith(`${path}?`))
    .map((entry) => new URLSearchParams(entry.url.slice(path.length + 1)).get('alterado_apos') ?? '');
}

/** `tests/fixtures/platforms/mercos/`: published payloads, each order beside its hand-checked expected order. */
export const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/platforms/mercos/', import.meta.url));
