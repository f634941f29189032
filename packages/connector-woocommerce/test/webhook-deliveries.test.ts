import { hmacSha256Base64 } from '@conecta/core/http';
import { WebhookRejectedError, type WebhookInput } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../tests/support/rejection.js';
import { createWooCommerceFake, type WooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

/** A delivery with its headers changed as a proxy or framework would hand them over, re-signed when the body changes. */
function delivery(fake: WooCommerceFake, id: string, change: { headers?: Record<string, string | undefined>; body?: string } = {}): WebhookInput {
  const base = fake.webhooks.valid(id);
  const rawBody = change.body ?? String(base.rawBody);
  const headers: Record<string, string> = { ...(base.headers as Record<string, string>), 'x-wc-webhook-signature': hmacSha256Base64(fake.webhookSecret, rawBody) };
  for (const [name, value] of Object.entries(change.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { rawBody, headers };
}

/** The delivery's refusal, for its reason and message. */
const rejection = (promise: Promise<unknown>) => rejectionOf(promise, WebhookRejectedError);

describe('webhook deliveries as they arrive', () => {
  it('reads the headers whatever their case, as a plain object keeps them', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const base = fake.webhooks.valid(id!);
    const headers = Object.fromEntries(Object.entries(base.headers as Record<string, string>).map(([name, value]) => [name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`), value]));
    expect(Object.keys(headers)).toContain('X-Wc-Webhook-Signature');
    const event = await connectTo(fake).parseWebhook!({ rawBody: base.rawBody, headers });
    expect(event.deliveryId).toBe(headers['X-Wc-Webhook-Delivery-Id']);
    expect(event.orders.map((order) => order.externalId)).toEqual([id]);
  });

  it('reads a body handed over as bytes, for an order and for a ping', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const connector = connectTo(fake);
    const valid = fake.webhooks.valid(id!);
    const event = await connector.parseWebhook!({ ...valid, rawBody: new TextEncoder().encode(String(valid.rawBody)) });
    expect(event.orders.map((order) => order.externalId)).toEqual([id]);
    const ping = fake.webhooks.ping(12);
    await expect(connector.verifyWebhook!({ ...ping, rawBody: new TextEncoder().encode('webhook_id=12') })).resolves.toMatchObject({ ping: true });
    // A relay that ends the form body with a line break.
    await expect(connector.verifyWebhook!({ ...ping, rawBody: 'webhook_id=12\r\n' })).resolves.toMatchObject({ ping: true });
  });

  it('says in each refusal what to check', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const unsigned = await rejection(connectTo(fake).verifyWebhook!(fake.webhooks.unsigned(id!)));
    expect(unsigned.message).toContain('without X-WC-Webhook-Signature');
    const notConfigured = await rejection(connectTo(fake, { webhookSecret: undefined }).verifyWebhook!(fake.webhooks.valid(id!)));
    expect(notConfigured.message).toContain('no webhookSecret is configured');
    const wrongSecret = await rejection(connectTo(fake, { webhookSecret: fake.consumerSecret }).verifyWebhook!(fake.webhooks.valid(id!)));
    expect(wrongSecret.reason).toBe('bad-signature');
    expect(wrongSecret.message).toContain('not the consumer secret');
  });

  it('accepts a signature with the line break a proxy may leave after it', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const base = delivery(fake, id!);
    const signature = (base.headers as Record<string, string>)['x-wc-webhook-signature']!;
    await expect(connectTo(fake).verifyWebhook!(delivery(fake, id!, { headers: { 'x-wc-webhook-signature': `${signature}\n` } }))).resolves.toMatchObject({ ping: false });
  });

  it('without a delivery id, identifies a delivery by webhook and body: the same body twice is one delivery', async () => {
    const fake = createWooCommerceFake();
    const [id, other] = fake.seedOrders(2);
    const connector = connectTo(fake);
    const noId = { 'x-wc-webhook-delivery-id': undefined };
    const first = await connector.verifyWebhook!(delivery(fake, id!, { headers: noId }));
    const again = await connector.verifyWebhook!(delivery(fake, id!, { headers: noId }));
    const second = await connector.verifyWebhook!(delivery(fake, other!, { headers: noId }));
    const otherHook = await connector.verifyWebhook!(delivery(fake, id!, { headers: { ...noId, 'x-wc-webhook-id': '8' } }));
    expect(first.deliveryId).toMatch(/^7:[0-9a-f]{64}$/);
    expect(again.deliveryId).toBe(first.deliveryId);
    expect(second.deliveryId).not.toBe(first.deliveryId);
    expect(otherHook.deliveryId).toMatch(/^8:/);
  });

  it('gives each creation ping its own delivery id, so saving the webhook again is not refused as a replay', async () => {
    const fake = createWooCommerceFake();
    const connector = connectTo(fake);
    const first = await connector.verifyWebhook!(fake.webhooks.ping(12));
    const second = await connector.verifyWebhook!(fake.webhooks.ping(12));
    expect(first.deliveryId).toMatch(/^ping:12:[0-9a-f]{16}$/);
    expect(second.deliveryId).toMatch(/^ping:12:[0-9a-f]{16}$/);
    expect(second.deliveryId).not.toBe(first.deliveryId);
    // A ping that carries a delivery id keeps it.
    const ping = fake.webhooks.ping(12);
    const withId = await connector.verifyWebhook!({ ...ping, headers: { ...(ping.headers as Record<string, string>), 'x-wc-webhook-delivery-id': 'abc123' } });
    expect(withId).toEqual({ deliveryId: 'abc123', ping: true });
  });

  it('refuses an unsigned body that only contains a ping', async () => {
    const fake = createWooCommerceFake();
    const ping = fake.webhooks.ping(7);
    const error = await rejection(connectTo(fake).verifyWebhook!({ ...ping, rawBody: 'x_webhook_id=7' }));
    expect(error.reason).toBe('missing-signature');
  });

  it('tells stores apart by host and path, not by scheme, www, case or trailing slash', async () => {
    const fake = createWooCommerceFake({ baseUrl: 'https://loja.example.test' });
    const [id] = fake.seedOrders(1);
    // A source that is not a URL (no scheme) is compared as its text, trimmed, whatever its case.
    const sameStore = ['https://loja.example.test/', 'https://loja.example.test//', 'http://www.LOJA.example.test', 'https://loja.example.test', ' LOJA.example.test '];
    for (const source of sameStore) {
      await expect(connectTo(fake).verifyWebhook!(delivery(fake, id!, { headers: { 'x-wc-webhook-source': source } })), source).resolves.toMatchObject({ ping: false });
    }
    // A WordPress in a subdirectory is another store.
    for (const source of ['https://loja.example.test/outra/', 'outra-loja']) {
      const error = await rejection(connectTo(fake).verifyWebhook!(delivery(fake, id!, { headers: { 'x-wc-webhook-source': source } })));
      expect(error.reason, source).toBe('wrong-store');
    }
    const error = await rejection(connectTo(fake).verifyWebhook!(delivery(fake, id!, { headers: { 'x-wc-webhook-source': 'https://outra-loja.example/' } })));
    expect(error.message).toContain('outra-loja.example');
    expect(error.message).toContain('loja.example.test');
  });

  it('a store in a subdirectory accepts its own deliveries', async () => {
    const fake = createWooCommerceFake({ baseUrl: 'https://example.test/loja' });
    const [id] = fake.seedOrders(1);
    await expect(connectTo(fake).verifyWebhook!(delivery(fake, id!, { headers: { 'x-wc-webhook-source': 'https://example.test/loja/' } }))).resolves.toMatchObject({ ping: false });
    // Deliveries without a source header (a relay that drops it) are judged by the signature alone.
    await expect(connectTo(fake).verifyWebhook!(delivery(fake, id!, { headers: { 'x-wc-webhook-source': undefined } }))).resolves.toMatchObject({ ping: false });
  });

  it('reads the resource and event from the topic when their own headers are missing', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    fake.modifyOrder(id!, { status: 'trash' });
    const deleted = fake.webhooks.delivery(id!, 'order.deleted');
    const { 'x-wc-webhook-resource': _resource, 'x-wc-webhook-event': _event, ...headers } = deleted.headers as Record<string, string>;
    const event = await connectTo(fake).parseWebhook!({ rawBody: deleted.rawBody, headers });
    expect(event.orders.map((order) => [order.externalId, order.status])).toEqual([[id, 'trash']]);
    // The deleted order is fetched once, asking for the fields the mapping reads (see order-fields.test.ts).
    expect(fake.requests().map((entry) => new URL(entry.url, 'http://store.test').pathname)).toEqual([`/wp-json/wc/v3/orders/${id}`]);
    const product = fake.webhooks.delivery(id!, 'product.updated');
    const { 'x-wc-webhook-resource': _r, ...productHeaders } = product.headers as Record<string, string>;
    expect((await connectTo(fake).parseWebhook!({ rawBody: product.rawBody, headers: productHeaders })).orders).toEqual([]);
  });

  it('an order.deleted for an order the store no longer has gives no order and no rejection', async () => {
    const fake = createWooCommerceFake();
    const deleted = fake.webhooks.delivery('4242', 'order.deleted');
    const event = await connectTo(fake).parseWebhook!(deleted);
    expect(event).toMatchObject({ ping: false, orders: [], rejected: [] });
  });

  it('rejects a signed body that is not JSON, or carries no order id, naming the topic', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const connector = connectTo(fake);
    const notJson = await rejection(connector.parseWebhook!(delivery(fake, id!, { body: '<html>erro</html>' })));
    expect(notJson.reason).toBe('malformed');
    expect(notJson.message).toContain('order.updated');
    const noId = await rejection(connector.parseWebhook!(delivery(fake, id!, { body: '{"status":"processing"}' })));
    expect(noId.reason).toBe('malformed');
    expect(noId.message).toContain('no order id');
    const { 'x-wc-webhook-topic': _topic, ...withoutTopic } = delivery(fake, id!, { body: 'não é JSON' }).headers as Record<string, string>;
    const untitled = await rejection(connector.parseWebhook!({ rawBody: 'não é JSON', headers: withoutTopic }));
    expect(untitled.message).toBe('woocommerce order webhook body is not JSON');
    const nullBody = await rejection(connector.parseWebhook!(delivery(fake, id!, { body: 'null' })));
    expect(nullBody.reason).toBe('malformed');
  });

  it('keeps an order the mapping rejects in the event, with its id, for quarantine', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const body = String(fake.webhooks.valid(id!).rawBody).replace(/"total":"[^"]*"/, '"total":"abc"');
    const event = await connectTo(fake).parseWebhook!(delivery(fake, id!, { body }));
    expect(event.orders).toEqual([]);
    expect(event.rejected.map((entry) => [entry.externalId, entry.error.path])).toEqual([[id, 'total']]);
  });
});
