import type { PlatformOrder } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { collect, setup } from './helpers.js';
import { expectOrderFieldByField, expectedName, payloadNames, readFixture } from './published.js';

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
  { orders: ['pedido-v1-1734788-sandbox.json'], via: 'listOrders', customers: {} },
  { orders: ['pedido-v1-1734788-cnpj-alfanumerico.json'], via: 'getOrder', customers: {} },
];

async function imported(testCase: Case): Promise<{ orders: PlatformOrder[]; customerRequests: number; rejected: unknown[] }> {
  const { fake, connector } = setup();
  const ids = testCase.orders.map((name) => fake.addPublishedOrder(readFixture(name)));
  for (const [id, name] of Object.entries(testCase.customers)) fake.addPublishedCustomer(readFixture(name), Number(id));
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
  it('every published order payload is served by one case and has an expected order', () => {
    const names = payloadNames();
    expect(names).toHaveLength(5);
    expect(CASES.flatMap((testCase) => testCase.orders).sort()).toEqual(names);
    for (const name of names) expect(() => readFixture(expectedName(name)), name).not.toThrow();
  });

  describe.each(CASES.map((testCase) => [testCase.orders.join(' + '), testCase] as const))('%s', (_label, testCase) => {
    it(`${testCase.via} imports each as its expected canonical order`, async () => {
      const { orders, rejected } = await imported(testCase);
      expect(rejected).toEqual([]);
      expect(orders.map((order) => order.externalId)).toEqual(testCase.orders.map((name) => String(readFixture(name)['id'])));
      testCase.orders.forEach((name, index) => {
        expectOrderFieldByField(orders[index]!, readFixture(expectedName(name)), name);
        expect(orders[index]!.raw).toEqual(readFixture(name));
      });
    });
  });

  it('reads the customer the list names once for all its orders', async () => {
    const { customerRequests } = await imported(CASES[0]!);
    expect(customerRequests).toBe(1);
  });
});
