import type { PlatformOrder } from '@conecta/core';
import { expectOrderToMatch, readPublishedPayload, readPublishedPayloads } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURES, collect, setup } from './helpers.js';

/**
 * Real payloads (Mercos documentation examples and a sandbox answer, see SOURCES.md) through the connector's public
 * API: the fake serves the orders and customers verbatim, and each order must equal its hand-checked expected file.
 */
interface Case {
  /** Order payloads served together, as one `GET /v2/pedidos` answer or one `GET /v2/pedidos/{id}` each. */
  orders: string[];
  via: 'listOrders' | 'getOrder';
  /** `cliente_id` -> customer payload served at `/v1/clientes/{id}`; an id not here answers 404. */
  customers: Record<number, string>;
}

const CASES: Case[] = [
  { orders: ['pedido-v2-77-lista.json', 'pedido-v2-78-orcamento-sem-itens.json'], via: 'listOrders', customers: { 14: 'cliente-7318748.json' } },
  { orders: ['pedido-v2-77-por-id.json'], via: 'getOrder', customers: { 14: 'cliente-7318748-cnpj-alfanumerico.json' } },
  { orders: ['pedido-v1-77-lista.json', 'pedido-v1-78-orcamento-sem-itens.json'], via: 'listOrders', customers: { 14: 'cliente-7318748.json' } },
  { orders: ['pedido-v1-1734788-sandbox.json'], via: 'listOrders', customers: {} },
  { orders: ['pedido-v1-1734788-cnpj-alfanumerico.json'], via: 'getOrder', customers: {} },
];

/** Every order payload with its expected order (the customers have none: they are served beside the orders). */
const PUBLISHED = new Map(readPublishedPayloads(FIXTURES, (name) => name.startsWith('pedido-')).map((entry) => [entry.name, entry]));
const published = (name: string) => PUBLISHED.get(name)!;

async function imported(testCase: Case): Promise<{ orders: PlatformOrder[]; customerRequests: number; rejected: unknown[] }> {
  const { fake, connector } = setup();
  const ids = testCase.orders.map((name) => fake.addPublishedOrder(published(name).payload as Record<string, unknown>));
  for (const [id, name] of Object.entries(testCase.customers)) fake.addPublishedCustomer(readPublishedPayload(FIXTURES, name), Number(id));
  let orders: PlatformOrder[] = [];
  let rejected: unknown[] = [];
  if (testCase.via === 'listOrders') {
    const pages = await collect(connector.listOrders());
    orders = pages.flatMap((page) => page.orders);
    rejected = pages.flatMap((page) => page.rejected);
  } else {
    for (const id of ids) {
      const order = await connector.getOrder(id);
      if (order) orders.push(order);
    }
  }
  const customerRequests = fake.requests().filter((entry) => entry.url.startsWith('/v1/clientes/')).length;
  return { orders, customerRequests, rejected };
}

describe('mercos published payloads', () => {
  it('every published order payload has an expected order and is served by one case', () => {
    expect([...PUBLISHED.keys()]).toHaveLength(7);
    expect(CASES.flatMap((testCase) => testCase.orders).sort()).toEqual([...PUBLISHED.keys()]);
  });

  describe.each(CASES.map((testCase) => [testCase.orders.join(' + '), testCase] as const))('%s', (_label, testCase) => {
    it(`${testCase.via} imports each as its expected canonical order`, async () => {
      const { orders, rejected } = await imported(testCase);
      expect(rejected).toEqual([]);
      expect(orders.map((order) => order.externalId)).toEqual(testCase.orders.map((name) => String((published(name).payload as { id: unknown }).id)));
      testCase.orders.forEach((name, index) => {
        expectOrderToMatch(orders[index]!, published(name).expected, name);
        expect(orders[index]!.raw).toEqual(published(name).payload);
      });
    });
  });

  it.each([0, 2])('reads the customer the list names once for all its orders (case %i)', async (index) => {
    const { customerRequests } = await imported(CASES[index]!);
    expect(customerRequests).toBe(1);
  });
});
