import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createMainoClient, type MainoClientOptions } from '../src/index.js';
import { createMainoFake, type MainoFake, type MainoFakeOptions } from '../src/fake/index.js';

export const COMPANY_A = '11222333000181';
export const COMPANY_B = '11444777000161';
/** The user reaches this company too, but it is not in the client's group. */
export const COMPANY_OUTSIDE = '45723174000110';
export const EMAIL = 'compras@example.com.br';
export const PASSWORD = 'senha-muito-secreta-42';
export const APPLICATION_UID = 'app-uid-7f3c9e2a1b';
export const API_KEYS = { [COMPANY_A]: 'key-a-5d1e8f0c9b7a', [COMPANY_B]: 'key-b-2c4e6a8b0d1f' };

/** Serves whichever fake is current through msw, and fails a test that sent a request the fake does not know. */
export function useFakeServer(): { current: () => MainoFake; install: (options?: MainoFakeOptions) => MainoFake } {
  let fake = createMainoFake();
  const server = setupServer(http.all('https://api.maino.com.br/api/v2/*', ({ request }) => fake.handle(request)));
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => expect(fake.unknownRequests(), 'requests the fake does not know').toEqual([]));
  afterAll(() => server.close());
  return {
    current: () => fake,
    install(options) {
      fake = createMainoFake({ applicationUid: APPLICATION_UID, ...options });
      seed(fake);
      return fake;
    },
  };
}

function seed(fake: MainoFake): void {
  fake.addCompany(COMPANY_A, 'Loja Matriz');
  fake.addCompany(COMPANY_B, 'Loja Filial');
  fake.addCompany(COMPANY_OUTSIDE, 'Outra Empresa');
  fake.addUser({ email: EMAIL, password: PASSWORD, cnpjs: [COMPANY_A, COMPANY_B, COMPANY_OUTSIDE] });
  for (const [cnpj, key] of Object.entries(API_KEYS)) fake.addApiKey(cnpj, key);
}

/** Fast policy: small backoff and a short attempt timeout so fault cases finish quickly. */
export function clientFor(overrides: Partial<MainoClientOptions> = {}) {
  return createMainoClient({
    group: { cnpjs: [COMPANY_A, COMPANY_B] },
    auth: { kind: 'password', applicationUid: APPLICATION_UID, email: EMAIL, password: PASSWORD },
    rateLimit: { requests: 200, intervalMs: 1000, source: 'test' },
    http: { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 400, deadlineMs: 10_000 },
    ...overrides,
  });
}
