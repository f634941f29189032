import { WebhookRejectedError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

describe('webhooks', () => {
  it('verifies the signature over the raw bytes, not over re-serialised JSON', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const delivery = fake.webhooks.valid(id!);
    const connector = connectTo(fake);
    expect(String(delivery.rawBody)).toContain('\\/'); // wp_json_encode escapes slashes
    await expect(connector.verifyWebhook!(delivery)).resolves.toMatchObject({ ping: false });
    const reserialised = { ...delivery, rawBody: JSON.stringify(JSON.parse(String(delivery.rawBody))) };
    await expect(connector.verifyWebhook!(reserialised)).rejects.toMatchObject({ reason: 'bad-signature' });
    await expect(connector.verifyWebhook!({ ...delivery, rawBody: new TextEncoder().encode(String(delivery.rawBody)) })).resolves.toBeDefined();
  });

  it('uses X-WC-Webhook-Delivery-ID as the delivery id', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const delivery = fake.webhooks.valid(id!);
    const headers = delivery.headers as Record<string, string>;
    const result = await connectTo(fake).verifyWebhook!({ ...delivery, headers: new Headers(headers) });
    expect(result.deliveryId).toBe(headers['x-wc-webhook-delivery-id']);
  });

  it('accepts the unsigned creation ping and flags it, with no orders', async () => {
    const fake = createWooCommerceFake();
    const connector = connectTo(fake);
    const verification = await connector.verifyWebhook!(fake.webhooks.ping(12));
    expect(verification.ping).toBe(true);
    const event = await connector.parseWebhook!(fake.webhooks.ping(12));
    expect(event).toMatchObject({ ping: true, orders: [], rejected: [] });
    expect(fake.requests()).toEqual([]);
  });

  it('rejects an unsigned body that is not a ping', async () => {
    const fake = createWooCommerceFake();
    const ping = fake.webhooks.ping();
    await expect(connectTo(fake).verifyWebhook!({ ...ping, rawBody: 'webhook_id=7&extra=1' })).rejects.toMatchObject({ reason: 'missing-signature' });
  });

  it('rejects signed deliveries when no webhook secret is configured', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const error = await connectTo(fake, { webhookSecret: undefined }).verifyWebhook!(fake.webhooks.valid(id!)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebhookRejectedError);
    expect((error as WebhookRejectedError).reason).toBe('not-configured');
  });

  it('maps the order carried by order.updated without calling the store', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const event = await connectTo(fake).parseWebhook!(fake.webhooks.delivery(id!, 'order.updated'));
    expect(event.orders[0]).toMatchObject({ externalId: id, status: 'processing', totals: { totalCents: fake.expectedOrder(id!).totalCents } });
    expect(fake.requests()).toEqual([]);
  });

  it('fetches the order back for order.deleted, whose body holds only the id', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    fake.modifyOrder(id!, { status: 'trash' });
    const delivery = fake.webhooks.delivery(id!, 'order.deleted');
    expect(JSON.parse(String(delivery.rawBody))).toEqual({ id: Number(id) });
    const event = await connectTo(fake).parseWebhook!(delivery);
    expect(event.orders.map((order) => [order.externalId, order.status])).toEqual([[id, 'trash']]);
  });

  it('returns no orders for product topics', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const event = await connectTo(fake).parseWebhook!(fake.webhooks.delivery(id!, 'product.updated'));
    expect(event.orders).toEqual([]);
  });
});
