import { describe, expect, it } from 'vitest';
import { ValidationError, WebhookRejectedError } from '@conecta/core';
import { createVitrineConnector, mapVitrineOrder } from '../src/vitrine-connector.js';
import { VITRINE_FAKE_API_TOKEN, VITRINE_FAKE_WEBHOOK_SECRET, createVitrineFake } from '../src/fake.js';

// What the contract suite does not pin down: Vitrine's own formats and the choices this connector makes.
describe('vitrine connector', () => {
  const connector = (options: { webhookSecret?: string; now?: () => number } = { webhookSecret: VITRINE_FAKE_WEBHOOK_SECRET }) =>
    createVitrineConnector({ apiToken: VITRINE_FAKE_API_TOKEN, ...options });

  it('reads Brazilian decimals exactly: thousands, cents and fractional kilos', async () => {
    const fake = createVitrineFake();
    const id = fake.addOrder([
      { sku: 'CAFE-KG', quantityMilli: 750, unitPriceCents: 8_990 },
      { sku: 'MOEDOR', quantityMilli: 2_000, unitPriceCents: 125_990 },
    ]);
    const raw = JSON.parse(fake.webhooks.valid(id).rawBody as string).pedido as { itens: Array<{ quantidade: string; preco_unitario: string }> };
    expect(raw.itens.map((item) => [item.quantidade, item.preco_unitario])).toEqual([
      ['0,750', '89,90'],
      ['2,000', '1.259,90'],
    ]);
    const order = mapVitrineOrder(raw);
    expect(order.lines.map((line) => [line.quantityMilli, line.unitPriceCents])).toEqual([
      [750, 8_990],
      [2_000, 125_990],
    ]);
    expect(order.totals.totalCents).toBe(fake.expectedOrder(id).totalCents);
    expect(order.customer.document).toBe('12345678909');
  });

  it('a ping is accepted and carries no order', async () => {
    const event = await connector().parseWebhook!(createVitrineFake().webhooks.ping());
    expect(event).toMatchObject({ ping: true, orders: [], rejected: [] });
  });

  it('refuses a delivery signed too long ago', async () => {
    const fake = createVitrineFake({ now: () => Date.now() - 10 * 60_000 });
    const [id] = fake.seedOrders(1);
    const error = await connector().verifyWebhook!(fake.webhooks.valid(id!)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebhookRejectedError);
    expect((error as WebhookRejectedError).reason).toBe('stale');
  });

  it('without a webhook secret it declares no webhooks and has no webhook methods', () => {
    const polling = connector({});
    expect(polling.capabilities.webhooks).toBe(false);
    expect(polling.verifyWebhook).toBeUndefined();
  });

  it('refuses a cursor it did not write, before any request', async () => {
    const iterator = connector().listOrders({ cursor: '2024-05-01T12:00:00Z' })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses plain http except on loopback', () => {
    expect(() => createVitrineConnector({ apiToken: 'vitrine-token-1', baseUrl: 'http://api.vitrine.example/v2' })).toThrow(/https/);
    expect(() => createVitrineConnector({ apiToken: 'vitrine-token-1', baseUrl: 'http://127.0.0.1:8080/v2' })).not.toThrow();
  });
});
