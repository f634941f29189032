import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../tests/support/rejection.js';
import { ConfigurationError, WebhookRejectedError } from '@conecta/core';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

const TOKEN = 'wh-7c3f9a1e5d2b8f40';

/** The delivery's refusal, for its reason and message. */
const rejection = (promise: Promise<unknown>) => rejectionOf(promise, WebhookRejectedError);

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

describe('tray notifications: scopes, acts and bodies Tray documents', () => {
  const URL_WITH_TOKEN = `https://app.conecta.example/hooks/tray/${TOKEN}`;
  const setup = () => {
    const fake = createTrayFake();
    const connector = createTrayConnector(connectorOptions(fake));
    const notify = (fields: Record<string, string>, headers: Record<string, string> | Headers = { 'content-type': 'application/x-www-form-urlencoded' }) => ({
      rawBody: new URLSearchParams({ seller_id: fake.storeId, app_code: '718', ...fields }).toString(),
      headers,
      url: URL_WITH_TOKEN,
    });
    return { fake, connector, notify };
  };

  it('accepts a product notification without reading an order, and imports nothing from it', async () => {
    const { fake, connector, notify } = setup();
    const delivery = notify({ scope_name: 'product', scope_id: '4375797', act: 'update' });
    expect(await connector.parseWebhook!(delivery)).toMatchObject({ ping: false, orders: [], rejected: [] });
    expect(fake.requests()).toEqual([]);
  });

  it('accepts the deletion of an order the store no longer has, with nothing to import', async () => {
    const { fake, connector, notify } = setup();
    const event = await connector.parseWebhook!(notify({ scope_name: 'order', scope_id: '99999', act: 'delete' }));
    expect(event).toMatchObject({ ping: false, orders: [], rejected: [] });
    expect(fake.requests().map((entry) => entry.url.split('?')[0])).toEqual(['/web_api/orders/99999/complete']);
    const missing = await rejection(connector.verifyWebhook!(notify({ scope_name: 'order', scope_id: '99999', act: 'update' })));
    expect(missing.message).toContain('names order 99999, which the store does not have');
  });

  it('gives each update of an order its own delivery id, from the order as read back', async () => {
    const { fake, connector } = setup();
    const [id] = fake.seedOrders(1);
    fake.modifyOrder(id!, { status: 'ENVIADO' });
    const first = await connector.verifyWebhook!(fake.webhooks!.valid(id!));
    fake.modifyOrder(id!, { status: 'FINALIZADO' });
    const second = await connector.verifyWebhook!(fake.webhooks!.valid(id!));
    expect(second.deliveryId).not.toBe(first.deliveryId);
  });

  it('reports an order the mapping rejects as rejected, not imported', async () => {
    const { fake, connector } = setup();
    const bad = fake.addMalformedOrder();
    const event = await connector.parseWebhook!(fake.webhooks!.valid(bad.externalId));
    expect(event.orders).toEqual([]);
    expect(event.rejected.map((entry) => entry.externalId)).toEqual([bad.externalId]);
  });

  it('reads a body given as bytes, JSON sent without a JSON content type, and values padded with spaces', async () => {
    const { fake, connector, notify } = setup();
    const [id] = fake.seedOrders(1);
    const form = notify({ scope_name: 'order', scope_id: id!, act: 'update' });
    const bytes = await connector.parseWebhook!({ ...form, rawBody: new TextEncoder().encode(form.rawBody as string) });
    expect(bytes.orders.map((order) => order.externalId)).toEqual([id]);
    const json = `\n${JSON.stringify({ seller_id: Number(fake.storeId), scope_id: Number(id), scope_name: 'order', act: 'update' })}`;
    const plain = await connector.parseWebhook!({ rawBody: json, headers: { 'content-type': 'text/plain' }, url: URL_WITH_TOKEN });
    expect(plain.orders.map((order) => order.externalId)).toEqual([id]);
    const padded = await connector.parseWebhook!({ ...form, rawBody: `seller_id=${fake.storeId}&scope_id=+${id}+&scope_name=order&act=update` });
    expect(padded.orders.map((order) => order.externalId)).toEqual([id]);
  });

  it('reads the content type from a Headers object or a record in any case, and goes by it', async () => {
    const { fake, connector, notify } = setup();
    const [id] = fake.seedOrders(1);
    const form = notify({ scope_name: 'order', scope_id: id!, act: 'update' });
    // A form body announced as JSON is not JSON: refused, whichever way the header is given.
    const announced: Array<Headers | Record<string, string>> = [new Headers({ 'content-type': 'application/json' }), { 'Content-Type': 'application/json' }, { 'content-type': 'application/json' }];
    for (const headers of announced) {
      const error = await rejection(connector.verifyWebhook!({ ...form, headers }));
      expect([error.reason, error.message]).toEqual(['malformed', 'tray: the notification body is not valid JSON']);
    }
    await expect(connector.verifyWebhook!({ ...form, headers: {} })).resolves.toMatchObject({ ping: false });
    // Other headers beside it (a receiver passes them all) do not count as the content type.
    await expect(connector.verifyWebhook!({ ...form, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' } })).resolves.toMatchObject({ ping: false });
    await expect(connector.verifyWebhook!({ ...form, headers: new Headers() })).resolves.toMatchObject({ ping: false });
  });

  it('refuses a notification missing a field, with a blank or non-scalar one, or a scope_id that is not an id', async () => {
    const { connector, notify, fake } = setup();
    const json = (fields: Record<string, unknown>) => ({ rawBody: JSON.stringify(fields), headers: { 'content-type': 'application/json' }, url: URL_WITH_TOKEN });
    const base = { seller_id: Number(fake.storeId), scope_id: 4375797, scope_name: 'order', act: 'update' };
    for (const [fields, field] of [
      [{ ...base, act: undefined }, 'act'],
      [{ ...base, act: '  ' }, 'act'],
      [{ ...base, act: { value: 'update' } }, 'act'],
      [{ ...base, scope_name: null }, 'scope_name'],
    ] as const) {
      const error = await rejection(connector.verifyWebhook!(json(fields)));
      expect([error.reason, error.message]).toEqual(['malformed', `tray: the notification has no ${field}`]);
    }
    expect((await rejection(connector.verifyWebhook!(json(null as never)))).message).toBe('tray: the notification has no scope_name');
    for (const scopeId of ['x4375797', '4375797x', 'abc']) {
      const error = await rejection(connector.verifyWebhook!(notify({ scope_name: 'order', scope_id: scopeId, act: 'update' })));
      expect([error.reason, error.message]).toEqual(['malformed', 'tray: scope_id is not a numeric id']);
    }
    expect(fake.requests()).toEqual([]);
  });

  it('says why a delivery is refused: no URL, no token in it, an unreadable URL, another store, not opted in', async () => {
    const { fake, connector, notify } = setup();
    const delivery = notify({ scope_name: 'order', scope_id: '4375797', act: 'update' });
    const noUrl = await rejection(connector.verifyWebhook!({ ...delivery, url: undefined }));
    expect([noUrl.reason, noUrl.message]).toEqual(['missing-signature', 'tray: the delivery URL is needed to check the secret path token']);
    const noToken = await rejection(connector.verifyWebhook!({ ...delivery, url: 'https://app.conecta.example/hooks/tray' }));
    expect([noToken.reason, noToken.message]).toEqual(['missing-signature', 'tray: the delivery URL does not carry the secret path token']);
    const unreadable = await rejection(connector.verifyWebhook!({ ...delivery, url: `https://app.conecta.example/hooks/%E0%A4%A/${TOKEN}` }));
    expect([unreadable.reason, unreadable.message]).toEqual(['malformed', 'tray: the delivery URL cannot be read']);
    const other = await rejection(connector.verifyWebhook!(fake.webhooks!.tampered!('4375797')));
    expect([other.reason, other.message]).toEqual(['bad-signature', 'tray: notification for seller 999999, not the connected store']);
    const { webhook: _webhook, ...withoutWebhook } = connectorOptions(fake);
    const off = await rejection(createTrayConnector(withoutWebhook).verifyWebhook!(delivery));
    expect([off.reason, off.message]).toEqual(['not-configured', 'tray: notifications are unsigned; set webhook.allowUnsigned and webhook.pathToken to accept them']);
  });

  it('takes a path token of exactly 16 characters, and says how long one must be', () => {
    const fake = createTrayFake();
    expect(() => createTrayConnector(connectorOptions(fake, { webhook: { allowUnsigned: true, pathToken: 'a'.repeat(16) } }))).not.toThrow();
    expect(() => createTrayConnector(connectorOptions(fake, { webhook: { allowUnsigned: true, pathToken: 'a'.repeat(15) } }))).toThrow(
      'tray: webhook.allowUnsigned needs a random webhook.pathToken of at least 16 characters',
    );
  });
});
