import { assertNoSecret } from '@conecta/core/testing';
import { AuthError, ConfigurationError, UpstreamError, ValidationError, type CreateSalesOrderInput } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { MAINO_DEFAULT_RATE_LIMIT, authenticate } from '../src/index.js';
import { API_KEYS, APPLICATION_UID, COMPANY_A, COMPANY_B, COMPANY_OUTSIDE, EMAIL, PASSWORD, clientFor, useFakeServer } from './setup-fake.js';

const server = useFakeServer();

const order = (reference: string, overrides: Partial<CreateSalesOrderInput> = {}): CreateSalesOrderInput => ({
  externalReference: reference,
  tag: 'Tray',
  orderNumber: '1042',
  customer: { name: 'Maria da Silva', document: '52998224725' },
  lines: [{ sku: 'CANECA', name: 'Caneca', quantityMilli: 1_500, unitPriceCents: 1_990 }],
  issuedAt: '2024-05-01T14:30:00Z',
  ...overrides,
});

const authPosts = () => server.current().requests().filter((entry) => entry.url === 'authentication').length;

describe('authentication', () => {
  it('authenticate() lists every company the login reaches, whichever envelope Mainô uses', async () => {
    for (const authEnvelope of ['bare', 'value'] as const) {
      server.install({ authEnvelope });
      const companies = await authenticate({ applicationUid: APPLICATION_UID, email: EMAIL, password: PASSWORD });
      expect(companies.map((company) => company.cnpj).sort()).toEqual([COMPANY_A, COMPANY_B, COMPANY_OUTSIDE].sort());
      expect(companies.find((company) => company.cnpj === COMPANY_A)).toMatchObject({ companyName: 'Loja Matriz', email: EMAIL });
      expect(JSON.stringify(companies)).not.toContain('access_token');
    }
  });

  it('a wrong password is an AuthError without the password or application uid in it', async () => {
    server.install();
    const error = await authenticate({ applicationUid: APPLICATION_UID, email: EMAIL, password: 'wrong-password-123' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    assertNoSecret(error, ['wrong-password-123', APPLICATION_UID]);
  });

  it('logs in once for concurrent calls on several companies, sending each company its own token', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 3_000 }]);
    fake.addProducts(COMPANY_B, [{ sku: 'CANECA', qtdeMilli: 8_000 }]);
    const client = clientFor();
    const [a, b] = await Promise.all([client.findProduct(COMPANY_A, 'CANECA'), client.findProduct(COMPANY_B, 'CANECA')]);
    expect([a?.availableMilli, b?.availableMilli]).toEqual([3_000, 8_000]);
    expect(authPosts()).toBe(1);
    expect(fake.requests().filter((entry) => entry.url.startsWith('produtos')).map((entry) => entry.cnpj).sort()).toEqual([COMPANY_A, COMPANY_B].sort());
  });

  it('re-authenticates once after a 401 and repeats the call', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 3_000 }]);
    const client = clientFor();
    await client.findProduct(COMPANY_A, 'CANECA');
    fake.revokeTokens();
    expect((await client.findProduct(COMPANY_A, 'CANECA'))?.availableMilli).toBe(3_000);
    expect(fake.requests().map((entry) => entry.status)).toEqual([200, 200, 401, 200, 200]);
    expect(authPosts()).toBe(2);
  });

  it('renews a JWT-shaped token before the expiry its exp claim gives, instead of waiting for a 401', async () => {
    const fake = server.install({ tokenTtlSeconds: 1, tokenFormat: 'jwt' });
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 3_000 }]);
    const client = clientFor({ tokenRefreshMarginMs: 0 });
    await client.findProduct(COMPANY_A, 'CANECA');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await client.findProduct(COMPANY_A, 'CANECA');
    expect(authPosts()).toBe(2);
    expect(fake.requests().some((entry) => entry.status === 401)).toBe(false);
  });

  it('takes an opaque 43-character token (as real ones are) without assuming a JWT: the configured lifetime decides', async () => {
    const fake = server.install({ tokenTtlSeconds: 1 });
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 3_000 }]);
    const tokens: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      if (bearer) tokens.push(bearer);
      return fetch(request);
    };
    const client = clientFor({ fetch: spy, tokenRefreshMarginMs: 0, endpoints: { authenticate: { fallbackTokenTtlMs: 900 } } });
    await client.findProduct(COMPANY_A, 'CANECA');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await client.findProduct(COMPANY_A, 'CANECA'))?.availableMilli).toBe(3_000);
    expect(tokens.map((token) => [token.length, token.includes('.')])).toEqual([[43, false], [43, false]]);
    expect(new Set(tokens).size).toBe(2);
    expect(authPosts()).toBe(2);
    expect(fake.requests().some((entry) => entry.status === 401)).toBe(false);
  });

  it('sends the company key as X-Api-Key and refuses a group company without one at construction', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_B, [{ sku: 'CANECA', qtdeMilli: 2_000 }]);
    const client = clientFor({ auth: { kind: 'api-key', keys: API_KEYS } });
    expect((await client.findProduct(COMPANY_B, 'CANECA'))?.availableMilli).toBe(2_000);
    expect(fake.requests()).toEqual([expect.objectContaining({ cnpj: COMPANY_B, status: 200 })]);
    expect(() => clientFor({ auth: { kind: 'api-key', keys: { [COMPANY_A]: API_KEYS[COMPANY_A] } } })).toThrow(ConfigurationError);
  });

  it('a wrong api key is an AuthError, not retried and without the key in it', async () => {
    server.install();
    const keys = { [COMPANY_A]: 'wrong-key-a-123456', [COMPANY_B]: 'wrong-key-b-123456' };
    const error = await clientFor({ auth: { kind: 'api-key', keys } }).findProduct(COMPANY_A, 'X').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    assertNoSecret(error, Object.values(keys));
    expect(server.current().requests()).toHaveLength(1);
  });
});

describe('sales orders', () => {
  it('sends the order with its tag, reference, dd/mm/aaaa date and exact decimals', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    const { order: created } = await clientFor().createSalesOrder(COMPANY_A, order('ref-body'));
    expect(created.totalCents).toBe(2_985);
    const [stored] = fake.orders(COMPANY_A);
    expect(stored).toMatchObject({
      referencia_externa: 'ref-body',
      tags: ['Tray'],
      numero_pedido_ecommerce: '1042',
      data_emissao: '01/05/2024',
      cliente: { razao_social: 'Maria da Silva', cpf_cnpj: '52998224725' },
      itens: [{ codigo: 'CANECA', qtdeMilli: 1_500, valorUnitarioCents: 1_990 }],
    });
  });

  it('refuses float quantities and prices before any request', async () => {
    const fake = server.install();
    const bad = order('ref-bad', { lines: [{ sku: 'CANECA', name: 'Caneca', quantityMilli: 1.5, unitPriceCents: 19.9 }] });
    const error = await clientFor().createSalesOrder(COMPANY_A, bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['lines.0.quantityMilli', 'lines.0.unitPriceCents']);
    expect(fake.requests()).toEqual([]);
  });

  it('gives up after the bounded number of ambiguous creates, having created nothing twice', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    fake.inject({ kind: 'status', status: 502, times: 10, route: { method: 'POST', path: 'pedidos' } });
    const error = await clientFor({ maxCreateAttempts: 3 }).createSalesOrder(COMPANY_A, order('ref-bound')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryable).toBe(true);
    const posts = fake.requests().filter((entry) => entry.method === 'POST' && entry.url === 'pedidos');
    expect(posts).toHaveLength(3);
    expect(fake.countByReference(COMPANY_A, 'ref-bound')).toBe(0);
  });

  it('waits out a 429 on the create as Retry-After asks, then creates once', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    fake.inject({ kind: 'rate-limit', retryAfterSeconds: 1, route: { method: 'POST', path: 'pedidos' } });
    await clientFor().createSalesOrder(COMPANY_A, order('ref-429'));
    const posts = fake.requests().filter((entry) => entry.method === 'POST' && entry.url === 'pedidos');
    expect(posts.map((entry) => entry.status)).toEqual([429, 201]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(fake.countByReference(COMPANY_A, 'ref-429')).toBe(1);
  });

  it('finds an order by reference even when Mainô ignores the reference filter', async () => {
    const fake = server.install({ honourReferenceFilter: false, maxPerPage: { pedidos: 2 } });
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 100_000 }]);
    const client = clientFor();
    for (let index = 0; index < 5; index += 1) await client.createSalesOrder(COMPANY_A, order(`ref-${index}`));
    expect(fake.orders(COMPANY_A)).toHaveLength(5);
    expect((await client.findSalesOrderByReference(COMPANY_A, 'ref-4'))?.externalReference).toBe('ref-4');
    expect(await client.findSalesOrderByReference(COMPANY_A, 'ref-none')).toBeNull();
  });

  it('lists orders page by page with the date range in dd/mm/aaaa', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 100_000 }]);
    const client = clientFor({ endpoints: { orders: { perPage: 2 } } });
    await client.createSalesOrder(COMPANY_A, order('old', { issuedAt: '2024-03-10T12:00:00Z' }));
    for (const day of ['02', '03', '04']) await client.createSalesOrder(COMPANY_A, order(`may-${day}`, { issuedAt: `2024-05-${day}T12:00:00Z` }));
    fake.reset();
    const pages = [];
    for await (const page of client.listSalesOrders(COMPANY_A, { from: '2024-05-01T12:00:00Z', to: '2024-05-31T12:00:00Z' })) pages.push(page);
    expect(pages.map((page) => page.items.map((item) => item.externalReference))).toEqual([['may-02', 'may-03'], ['may-04']]);
    expect(pages.map((page) => page.nextPage)).toEqual([2, null]);
    expect(fake.requests().map((entry) => decodeURIComponent(entry.url))).toEqual([
      'pedidos?per_page=2&data_inicio=01/05/2024&data_fim=31/05/2024&page=1',
      'pedidos?per_page=2&data_inicio=01/05/2024&data_fim=31/05/2024&page=2',
    ]);
  });
});

describe('rate limit', () => {
  it('paces calls per company token by the conservative default', async () => {
    expect(MAINO_DEFAULT_RATE_LIMIT).toMatchObject({ requests: 2, intervalMs: 1000 });
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'A', qtdeMilli: 1_000 }, { sku: 'B', qtdeMilli: 2_000 }, { sku: 'C', qtdeMilli: 3_000 }]);
    const client = clientFor({ rateLimit: MAINO_DEFAULT_RATE_LIMIT });
    const stock = await client.getStock(COMPANY_A, ['A', 'B', 'C']);
    expect(Object.fromEntries(stock)).toEqual({ A: 1_000, B: 2_000, C: 3_000 });
    const times = fake.requests().filter((entry) => entry.url.startsWith('produtos')).map((entry) => entry.at);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(450);
  });
});
