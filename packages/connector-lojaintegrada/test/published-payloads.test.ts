import { expectOrderToMatch, readPublishedPayloads } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURES, collect, connectorFor, fakeWith } from './helpers.js';

/**
 * Real payloads (documentation examples and their published copies, see SOURCES.md) through the connector's public
 * API: the fake serves each one verbatim, and the order must equal the hand-checked expected file.
 */
const CASES = readPublishedPayloads(FIXTURES);

describe('lojaintegrada published payloads', () => {
  it('finds the published payloads, each with an expected order', () => {
    expect(CASES.map((entry) => entry.name)).toEqual([
      'pedido-165-openapi-cnpj-alfanumerico.json',
      'pedido-165-openapi-cnpj.json',
      'pedido-165-openapi.json',
      'pedido-165-sku-numerico.json',
      'pedido-169-efetuado.json',
    ]);
  });

  describe.each(CASES.map((entry) => [entry.name, entry] as const))('%s', (name, { payload, expected }) => {
    const published = payload as Record<string, unknown>;

    it('getOrder imports it as the expected canonical order', async () => {
      const fake = fakeWith();
      const numero = fake.addPublishedOrder(published);
      const order = await connectorFor(fake).getOrder(numero);
      expect(order, name).not.toBeNull();
      expectOrderToMatch(order!, expected, name);
      // The payload is kept as received (it carries no secret to redact).
      expect(order!.raw).toEqual(published);
    });

    it('listOrders finds its summary, reads the detail and imports the same order', async () => {
      const fake = fakeWith();
      fake.addPublishedOrder(published);
      const pages = await collect(connectorFor(fake).listOrders());
      expect(pages.flatMap((page) => page.rejected)).toEqual([]);
      const orders = pages.flatMap((page) => page.orders);
      expect(orders).toHaveLength(1);
      expectOrderToMatch(orders[0]!, expected, name);
    });
  });
});
