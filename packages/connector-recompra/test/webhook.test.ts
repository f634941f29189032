import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../tests/support/rejection.js';
import { ConfigurationError, WebhookRejectedError } from '@conecta/core';
import { createRecompraConnector } from '../src/index.js';
import { createRecompraFake } from '../src/fake/index.js';
import { connectorFor, headersFor } from './helpers.js';

const NOW = Date.UTC(2025, 0, 15, 10, 0, 0);
const nowSeconds = String(NOW / 1000);

/** The delivery's refusal, for its reason and message. */
const rejection = (promise: Promise<unknown>) => rejectionOf(promise, WebhookRejectedError);

describe('webhook token: fails closed', () => {
  it.each([
    ['missing', {}],
    ['empty', { webhookToken: '' }],
    ['blank', { webhookToken: '   ' }],
  ])('refuses to build a connector when the token is %s', (_, options) => {
    expect(() => createRecompraConnector(options as never)).toThrow(ConfigurationError);
  });

  it('builds a webhook-only connector with just the token', () => {
    const connector = createRecompraConnector({ webhookToken: 'a-webhook-token' });
    expect(connector.capabilities).toEqual({ incrementalPolling: false, webhooks: true, stockPush: false });
  });
});

describe('webhook signature', () => {
  const fake = createRecompraFake({ now: () => NOW });
  const connector = () => connectorFor(fake, { now: () => NOW });

  it('is checked over the raw bytes: the same JSON re-serialised no longer verifies', async () => {
    const [id] = fake.seedOrders(1);
    // Non-ASCII text and pretty-printing: a verifier that decodes and re-encodes the body would get other bytes.
    const payload = { event: 'order.updated', order: { ...JSON.parse(new TextDecoder().decode(fake.delivery('order.updated', id).rawBody)).order, customer: { name: 'João da Conceição' } } };
    const raw = new TextEncoder().encode(JSON.stringify(payload, null, 2));
    const headers = headersFor(raw, nowSeconds, 'dlv-raw-1');

    const event = await connector().parseWebhook!({ rawBody: raw, headers });
    expect(event.orders.map((order) => order.customer.name)).toEqual(['João da Conceição']);
    const asString = await connector().verifyWebhook!({ rawBody: new TextDecoder().decode(raw), headers });
    expect(asString.deliveryId).toBe('dlv-raw-1');

    const compact = JSON.stringify(payload);
    const error = await rejection(connector().verifyWebhook!({ rawBody: compact, headers }));
    expect(error.reason).toBe('bad-signature');
  });

  it('covers the timestamp and the delivery id', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const headers = headersFor(body, nowSeconds, 'dlv-a');
    const movedTime = { ...headers, 'x-recompra-timestamp': String(NOW / 1000 - 1) };
    const movedId = { ...headers, 'x-recompra-delivery': 'dlv-b' };
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: movedTime }))).reason).toBe('bad-signature');
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: movedId }))).reason).toBe('bad-signature');
  });

  it('rejects a delivery signed with another token', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const error = await rejection(connector().verifyWebhook!({ rawBody: body, headers: headersFor(body, nowSeconds, 'dlv-c', 'another-token') }));
    expect(error.reason).toBe('bad-signature');
  });

  it('reads header names in any case, from a record or a Headers object', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const lower = headersFor(body, nowSeconds, 'dlv-d');
    const upper = Object.fromEntries(Object.entries(lower).map(([key, value]) => [key.toUpperCase(), value]));
    expect((await connector().verifyWebhook!({ rawBody: body, headers: upper })).ping).toBe(true);
    expect((await connector().verifyWebhook!({ rawBody: body, headers: new Headers(lower) })).sentAt).toBe(new Date(NOW).toISOString());
  });

  it('reports a ping as a ping, with no orders', async () => {
    const event = await connector().parseWebhook!(fake.delivery('ping'));
    expect(event).toMatchObject({ ping: true, orders: [], rejected: [] });
  });

  it('names a missing signature and missing timestamp or delivery headers', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const headers = headersFor(body, nowSeconds, 'dlv-e');
    const { 'x-recompra-signature': _signature, ...unsigned } = headers;
    const { 'x-recompra-timestamp': _timestamp, ...untimed } = headers;
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: unsigned }))).reason).toBe('missing-signature');
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: untimed }))).reason).toBe('malformed');
  });

  it('turns a signed order it cannot map into a rejected payload, not an exception', async () => {
    const bad = fake.addMalformedOrder();
    const event = await connector().parseWebhook!(fake.delivery('order.created', bad.externalId));
    expect(event.orders).toEqual([]);
    expect(event.rejected[0]).toMatchObject({ externalId: bad.externalId });
    expect(event.rejected[0]!.error.path).toBe('items.0.quantity');
  });
});

describe('webhook timestamp', () => {
  const body = JSON.stringify({ event: 'ping' });
  const at = (offsetSeconds: number) => ({ rawBody: body, headers: headersFor(body, String(NOW / 1000 + offsetSeconds), `dlv-${offsetSeconds}`) });
  const connector = createRecompraConnector({ webhookToken: 'rcp-fake-webhook-token-7d2e5b', now: () => NOW, webhookToleranceSeconds: 300 });

  it('accepts a delivery inside the window, either side of our clock', async () => {
    await expect(connector.verifyWebhook!(at(-299))).resolves.toMatchObject({ ping: true });
    await expect(connector.verifyWebhook!(at(299))).resolves.toMatchObject({ ping: true });
  });

  it('rejects a correctly signed delivery that is too old or too far ahead', async () => {
    expect((await rejection(connector.verifyWebhook!(at(-301)))).reason).toBe('stale');
    expect((await rejection(connector.verifyWebhook!(at(301)))).reason).toBe('stale');
  });
});

describe('webhook rejections an operator can act on', () => {
  const fake = createRecompraFake({ now: () => NOW });
  const connector = () => connectorFor(fake, { now: () => NOW });
  const signed = (body: string, timestamp = nowSeconds, deliveryId = 'dlv-w1') => ({ rawBody: body, headers: headersFor(body, timestamp, deliveryId) });

  it('says which header is missing or wrong, and which delivery failed its signature', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const { 'x-recompra-signature': _signature, ...unsigned } = headersFor(body, nowSeconds, 'dlv-w2');
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: unsigned }))).message).toContain('no x-recompra-signature header');
    const { 'x-recompra-delivery': _delivery, ...unnamed } = headersFor(body, nowSeconds, 'dlv-w3');
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: unnamed }))).message).toContain('x-recompra-timestamp (unix seconds) and x-recompra-delivery are required');
    const forged = await rejection(connector().verifyWebhook!({ rawBody: body, headers: headersFor(body, nowSeconds, 'dlv-w4', 'another-token') }));
    expect(forged.message).toContain('recompra webhook dlv-w4: signature does not match');
    const old = await rejection(connector().verifyWebhook!(signed(body, String(NOW / 1000 - 301), 'dlv-w5')));
    expect(old.message).toContain('recompra webhook dlv-w5: timestamp is outside the 300 s window');
  });

  it('refuses a correctly signed timestamp that is not whole unix seconds', async () => {
    const body = JSON.stringify({ event: 'ping' });
    for (const timestamp of [`x${nowSeconds}`, `${nowSeconds}x`, `${nowSeconds}.5`, '1e9']) {
      const error = await rejection(connector().verifyWebhook!(signed(body, timestamp)));
      expect(error.reason, timestamp).toBe('malformed');
    }
  });

  it('accepts a delivery exactly at the edge of the window', async () => {
    const body = JSON.stringify({ event: 'ping' });
    await expect(connector().verifyWebhook!(signed(body, String(NOW / 1000 - 300)))).resolves.toMatchObject({ ping: true });
    await expect(connector().verifyWebhook!(signed(body, String(NOW / 1000 + 300)))).resolves.toMatchObject({ ping: true });
  });

  it('reads headers a proxy padded with spaces, from a record', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const padded = Object.fromEntries(Object.entries(headersFor(body, nowSeconds, 'dlv-w6')).map(([key, value]) => [key, ` ${value} `]));
    await expect(connector().verifyWebhook!({ rawBody: body, headers: padded })).resolves.toMatchObject({ deliveryId: 'dlv-w6', ping: true });
  });

  it('names a missing header in a Headers object instead of failing on it', async () => {
    const body = JSON.stringify({ event: 'ping' });
    const { 'x-recompra-signature': _signature, ...unsigned } = headersFor(body, nowSeconds, 'dlv-w7');
    expect((await rejection(connector().verifyWebhook!({ rawBody: body, headers: new Headers(unsigned) }))).reason).toBe('missing-signature');
  });

  it('refuses a signed body that is not JSON or names no event, saying which delivery', async () => {
    const notJson = await rejection(connector().verifyWebhook!(signed('event=order.updated', nowSeconds, 'dlv-w8')));
    expect([notJson.reason, notJson.message]).toEqual(['malformed', 'recompra webhook dlv-w8: body is not JSON']);
    const noEvent = await rejection(connector().parseWebhook!(signed(JSON.stringify({ order: { id: '1' } }), nowSeconds, 'dlv-w9')));
    expect([noEvent.reason, noEvent.message]).toEqual(['malformed', 'recompra webhook dlv-w9: body has no "event"']);
  });

  it('tells an order delivery, a rejected one and a ping apart', async () => {
    const [id] = fake.seedOrders(1);
    const delivery = fake.delivery('order.updated', id);
    expect((await connector().verifyWebhook!(delivery)).ping).toBe(false);
    expect(await connector().parseWebhook!(delivery)).toMatchObject({ ping: false, orders: [{ externalId: id }], rejected: [] });
    const bad = fake.addMalformedOrder();
    expect(await connector().parseWebhook!(fake.delivery('order.created', bad.externalId))).toMatchObject({ ping: false, orders: [], rejected: [{ externalId: bad.externalId }] });
    expect(await connector().parseWebhook!(fake.delivery('ping'))).toMatchObject({ ping: true, orders: [], rejected: [] });
    // An event other than ping that carries no order (outside the assumed contract) is not taken for a ping.
    expect(await connector().parseWebhook!(signed(JSON.stringify({ event: 'order.updated' }), nowSeconds, 'dlv-w10'))).toMatchObject({ ping: false, orders: [], rejected: [] });
  });
});
