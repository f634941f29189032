import { describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError, type OrderPage } from '@conecta/core';
import { createRecompraConnector } from '../src/index.js';
import { createRecompraFake } from '../src/fake/index.js';
import { connectorFor } from './helpers.js';

async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('polling configuration', () => {
  it('without polling, listOrders and getOrder throw ConfigurationError and the capability says so', async () => {
    const connector = createRecompraConnector({ webhookToken: 'a-webhook-token' });
    expect(connector.capabilities.incrementalPolling).toBe(false);
    expect(() => connector.listOrders()).toThrow(ConfigurationError);
    await expect(connector.getOrder('1')).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('refuses plain http for a remote host, allows it for loopback', () => {
    const build = (baseUrl: string) => () => createRecompraConnector({ webhookToken: 'w-token-recompra', polling: { baseUrl, apiToken: 'a-token-recompra' } });
    expect(build('http://api.example.com')).toThrow(ConfigurationError);
    expect(build('http://127.0.0.1:4000')().capabilities.incrementalPolling).toBe(true);
  });

  it.each(['page=3', '{"page":3}', '{"v":1,"since":"yesterday","seen":[]}'])('rejects a cursor it did not write: %s', async (cursor) => {
    const fake = createRecompraFake();
    await expect(collect(connectorFor(fake).listOrders({ cursor }))).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests()).toEqual([]);
  });
});

describe('cursor over orders sharing one second', () => {
  it('lists more orders than a page that share one instant, each once, and resumes with none repeated', async () => {
    const fake = createRecompraFake({ changesPerSecond: 25 });
    const ids = fake.seedOrders(60);
    const pages = await collect(connectorFor(fake).listOrders());
    const seen = pages.flatMap((page) => page.orders.map((order) => order.externalId));
    expect(seen).toEqual(ids);

    const cursor = pages.at(-1)!.cursor;
    expect(await collect(connectorFor(fake).listOrders({ cursor }))).toEqual([{ orders: [], rejected: [], cursor }]);
    const added = fake.seedOrders(2);
    const after = await collect(connectorFor(fake).listOrders({ cursor }));
    expect(after.flatMap((page) => page.orders.map((order) => order.externalId))).toEqual(added);
  });

  it('starts at `since` on a first run', async () => {
    const fake = createRecompraFake({ changesPerSecond: 1 });
    const ids = fake.seedOrders(5);
    const third = fake.expectedOrder(ids[2]!);
    const all = await collect(connectorFor(fake).listOrders());
    const since = all.flatMap((page) => page.orders).find((order) => order.externalId === third.externalId)!.updatedAt;
    const pages = await collect(connectorFor(fake).listOrders({ since }));
    expect(pages.flatMap((page) => page.orders.map((order) => order.externalId))).toEqual(ids.slice(2));
    expect(fake.requests().at(-1)!.url).toContain(`updated_since=${encodeURIComponent(since)}`);
  });
});

describe('getOrder', () => {
  it('throws the ValidationError of a malformed order instead of returning it', async () => {
    const fake = createRecompraFake();
    const bad = fake.addMalformedOrder();
    const error = await connectorFor(fake).getOrder(bad.externalId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toContain('quantity');
  });
});

describe('fake', () => {
  it('answers 404 to routes it does not serve and records them', async () => {
    const fake = createRecompraFake();
    const response = await fake.handle(new Request(`${fake.baseUrl}/products`, { headers: { authorization: `Bearer ${fake.apiToken}` } }));
    expect(response.status).toBe(404);
    expect(fake.unknownRequests()).toEqual(['GET /v1/products']);
  });
});
