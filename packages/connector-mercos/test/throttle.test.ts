import { RateLimitError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { mercosRetryAfter } from '../src/index.js';
import { FAKE_APPLICATION_TOKEN } from '../src/fake/index.js';
import { collect, setup } from './helpers.js';

/** Time between the 429 and the request after it, as the fake logged them. */
function waitAfter429(requests: Array<{ at: number; status: number }>): number {
  const index = requests.findIndex((entry) => entry.status === 429);
  expect(index, 'a 429 was answered').toBeGreaterThanOrEqual(0);
  expect(requests[index + 1], 'a request after the 429').toBeDefined();
  return requests[index + 1]!.at - requests[index]!.at;
}

describe('429 with tempo_ate_permitir_novamente', () => {
  it('reads the wait from the body, in milliseconds', () => {
    expect(mercosRetryAfter({ tempo_ate_permitir_novamente: 75, limite_de_requisicoes: 30 })).toBe(75_000);
    expect(mercosRetryAfter({ tempo_ate_permitir_novamente: '5' })).toBe(5_000);
    expect(mercosRetryAfter({ tempo_ate_permitir_novamente: 0.5 })).toBe(500);
    expect(mercosRetryAfter({ limite_de_requisicoes: 1 })).toBeUndefined();
    expect(mercosRetryAfter('{"Sem permissao"}')).toBeUndefined();
  });

  it('waits exactly the time asked, makes no call before it, and the fake records no violation', async () => {
    const { fake, connector } = setup();
    fake.seedOrders(3);
    fake.throttleNext(1, 2);
    const orders = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    expect(orders).toHaveLength(3);
    const waited = waitAfter429(fake.requests());
    expect(waited).toBeGreaterThanOrEqual(2_000);
    expect(waited, 'no backoff piled on top of the wait Mercos named').toBeLessThan(2_300);
    expect(fake.violations()).toEqual([]);
  }, 10_000);

  it('holds every call of the same CompanyToken during the wait, across connectors', async () => {
    const { fake, connector, make } = setup({}, { customStatuses: { use: true } });
    fake.seedOrders(2);
    fake.addCustomStatus('Aguardando estoque');
    fake.throttleNext(1, 1);
    const other = make();
    const [pages, statuses] = await Promise.all([collect(connector.listOrders()), other.statuses()]);
    expect(pages.flatMap((page) => page.orders)).toHaveLength(2);
    expect(statuses.map((status) => status.label)).toContain('Aguardando estoque');
    const log = fake.requests();
    const throttledAt = log.find((entry) => entry.status === 429)!.at;
    for (const entry of log.filter((item) => item.at > throttledAt)) expect(entry.at - throttledAt).toBeGreaterThanOrEqual(1_000);
    expect(fake.violations()).toEqual([]);
  }, 10_000);

  it('a wait longer than the policy allows fails with RateLimitError, and the next call still waits it out', async () => {
    const { fake, make } = setup();
    fake.seedOrders(1);
    fake.throttleNext(1, 1);
    const connector = make({ http: { maxRetryAfterMs: 500, baseDelayMs: 5, maxDelayMs: 20 } });
    const error = await collect(connector.listOrders()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1_000);
    expect(await collect(connector.listOrders())).toHaveLength(1);
    expect(waitAfter429(fake.requests())).toBeGreaterThanOrEqual(1_000);
    expect(fake.violations()).toEqual([]);
  }, 10_000);

  it("against a steady account limit, every 429 is waited out and no call lands inside a wait", async () => {
    // 3 requests per second on the account, while the client paces itself far faster than that.
    const { fake, connector } = setup({ limit: { requests: 3, windowSeconds: 1 }, pageSize: { orders: 4 }, recordsPerSecond: 1 });
    const ids = fake.seedOrders(14);
    const orders = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    expect(orders.map((order) => order.externalId)).toEqual(ids);
    expect(fake.requests().filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
    expect(fake.violations()).toEqual([]);
  }, 15_000);

  it('the fake blocks a client that calls during the wait (so the checks above can fail)', async () => {
    const { fake, companyToken } = setup();
    fake.throttleNext(1, 2);
    const call = () =>
      fake.handle(
        new Request(`${fake.baseUrl}/v2/pedidos?alterado_apos=2000-01-01%2000:00:00`, {
          headers: { ApplicationToken: FAKE_APPLICATION_TOKEN, CompanyToken: companyToken },
        }),
      );
    const first = await call();
    expect(first.status).toBe(429);
    expect(await first.json()).toMatchObject({ tempo_ate_permitir_novamente: 2 });
    const early = await call();
    expect(early.status).toBe(429);
    expect(((await early.json()) as { tempo_ate_permitir_novamente: number }).tempo_ate_permitir_novamente).toBeGreaterThan(2);
    expect(fake.violations()).toHaveLength(1);
  });

  it('retries a 5xx with backoff and goes on', async () => {
    const { fake, connector } = setup();
    fake.seedOrders(2);
    fake.failNext(2, 502);
    expect((await collect(connector.listOrders())).flatMap((page) => page.orders)).toHaveLength(2);
    expect(fake.requests().filter((entry) => entry.status === 502)).toHaveLength(2);
  });
});
