import { describe, expect, it } from 'vitest';
import { collect, connectorFor, fakeWith } from './helpers.js';
import { expectOrderFieldByField, expectedName, payloadNames, readFixture } from './published.js';

/**
 * Real payloads (documentation examples and their published copies, see SOURCES.md) through the connector's public
 * API: the fake serves each one verbatim, and the order must equal the hand-checked expected file.
 */
const NAMES = payloadNames();

describe('lojaintegrada published payloads', () => {
  it('finds the published payloads, each with an expected order', () => {
    expect(NAMES).toEqual([
      'pedido-165-openapi-cnpj-alfanumerico.json',
      'pedido-165-openapi-cnpj.json',
      'pedido-165-openapi.json',
      'pedido-165-sku-numerico.json',
      'pedido-169-efetuado.json',
    ]);
    for (const name of NAMES) expect(() => readFixture(expectedName(name)), name).not.toThrow();
  });

  describe.each(NAMES)('%s', (name) => {
    const payload = readFixture(name);
    const expected = readFixture(expectedName(name));

    it('getOrder imports it as the expected canonical order', async () => {
      const fake = fakeWith();
      const numero = fake.addPublishedOrder(payload);
      const order = await connectorFor(fake).getOrder(numero);
      expect(order, name).not.toBeNull();
      expectOrderFieldByField(order!, expected, name);
      // The payload is kept as received (it carries no secret to redact).
      expect(order!.raw).toEqual(payload);
    });

    it('listOrders finds its summary, reads the detail and imports the same order', async () => {
      const fake = fakeWith();
      fake.addPublishedOrder(payload);
      const pages = await collect(connectorFor(fake).listOrders());
      expect(pages.flatMap((page) => page.rejected)).toEqual([]);
      const orders = pages.flatMap((page) => page.orders);
      expect(orders).toHaveLength(1);
      expectOrderFieldByField(orders[0]!, expected, name);
    });
  });
});
