import { describe, expect, it } from 'vitest';
import { ConfigurationError, WebhookRejectedError } from '@conecta/core';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

const TOKEN = 'wh-7c3f9a1e5d2b8f40';

async function rejection(promise: Promise<unknown>): Promise<WebhookRejectedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookRejectedError);
  return error as WebhookRejectedError;
}

describe('tray notifications', () => {
  it('rejects every delivery unless the integration opted in', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake, { webhook: { pathToken: TOKEN } }));
    expect((await rejection(connector.verifyWebhook!(fake.webhooks!.valid(id!)))).reason).toBe('not-configured');
    expect(fake.requests()).toEqual([]);
  });

  it('refuses to opt in without a long secret path token and the store id', () => {
    const fake = createTrayFake();
    expect(() => createTrayConnector(connectorOptions(fake, { webhook: { allowUnsigned: true } }))).toThrow(ConfigurationError);
    expect(() => createTrayConnector(connectorOptions(fake, { webhook: { allowUnsigned: true, pathToken: 'short' } }))).toThrow(ConfigurationError);
    const { storeId: _storeId, ...withoutStore } = connectorOptions(fake).credentials;
    expect(() => createTrayConnector(connectorOptions(fake, { credentials: withoutStore }))).toThrow(/storeId/);
  });

  it("rejects a notification for another store that installed the same app", async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    const error = await rejection(connector.verifyWebhook!(fake.webhooks!.tampered!(id!)));
    expect(error.message).toContain('seller 999999');
    expect(fake.requests()).toEqual([]);
  });

  it('accepts the token only as a whole path segment', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    const valid = fake.webhooks!.valid(id!);
    for (const url of [`https://app.conecta.example/hooks/tray?token=${TOKEN}`, `https://app.conecta.example/hooks/tray/${TOKEN}x`, `https://app.conecta.example/hooks/tray/${TOKEN.slice(0, -1)}`, undefined]) {
      const error = await rejection(connector.verifyWebhook!({ ...valid, url }));
      expect(error.message).not.toContain(TOKEN);
    }
    await expect(connector.verifyWebhook!(valid)).resolves.toMatchObject({ ping: false });
  });

  it('reads JSON bodies as well as form posts, and fetches the order the notification names', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    const valid = fake.webhooks!.valid(id!);
    const asJson = { ...valid, rawBody: JSON.stringify(Object.fromEntries(new URLSearchParams(valid.rawBody as string))), headers: { 'Content-Type': 'application/json' } };
    const event = await connector.parseWebhook!(asJson);
    expect(event.orders.map((order) => order.externalId)).toEqual([id]);
    expect(event.orders[0]!.lines).toEqual(fake.expectedOrder(id!).lines.map((line) => expect.objectContaining(line) as unknown));
    expect(fake.requests().map((entry) => entry.url.split('?')[0])).toEqual([`/web_api/orders/${id}/complete`]);
  });

  it('rejects a notification for an order the store does not have', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    const valid = fake.webhooks!.valid(id!);
    const forged = { ...valid, rawBody: (valid.rawBody as string).replace(`scope_id=${id}`, 'scope_id=99999') };
    expect((await rejection(connector.verifyWebhook!(forged))).reason).toBe('malformed');
  });

  it('gives a repeated notification a new delivery id only when the order changed', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    const first = await connector.verifyWebhook!(fake.webhooks!.valid(id!));
    fake.modifyOrder(id!, { status: 'ENVIADO' });
    const update = await connector.verifyWebhook!(fake.webhooks!.valid(id!));
    const repeat = await connector.verifyWebhook!(fake.webhooks!.valid(id!));
    expect(update.deliveryId).not.toBe(first.deliveryId);
    expect(repeat.deliveryId).toBe(update.deliveryId);
  });
});
