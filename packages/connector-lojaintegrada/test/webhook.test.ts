import { WebhookRejectedError, createReplayGuard } from '@conecta/core';
import { timingSafeEqualString } from '@conecta/core/http';
import { assertNoSecret } from '@conecta/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { CREDENTIALS, connectorFor, fakeWith } from './helpers.js';

vi.mock('@conecta/core/http', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@conecta/core/http')>();
  return { ...actual, timingSafeEqualString: vi.fn(actual.timingSafeEqualString) };
});

const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('lojaintegrada webhooks', () => {
  it('accepts a valid delivery and reads the order back from the API', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const event = await connectorFor(fake).parseWebhook!(fake.webhooks.valid(id!));
    expect(event.orders.map((order) => order.externalId)).toEqual([id]);
    expect(event.orders[0]!.totals.totalCents).toBe(fake.expectedOrder(id!).totalCents);
    expect(fake.requests().map((entry) => entry.url)).toEqual([`/v1/pedido/${id}`]);
  });

  it('compares the token with timingSafeEqualString', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    vi.mocked(timingSafeEqualString).mockClear();
    await connectorFor(fake).verifyWebhook!(fake.webhooks.valid(id!));
    expect(timingSafeEqualString).toHaveBeenCalledWith(CREDENTIALS.webhookToken, CREDENTIALS.webhookToken);
  });

  it('rejects a missing, wrong or wrongly introduced token, and fails closed without one configured', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const connector = connectorFor(fake);
    const valid = fake.webhooks.valid(id!);
    const sameLength = CREDENTIALS.webhookToken.replace(/.$/, (last) => (last === 'x' ? 'y' : 'x'));
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'missing-signature'],
      [{ authorization: `Bearer ${sameLength}` }, 'bad-signature'],
      [{ authorization: `Basic ${CREDENTIALS.webhookToken}` }, 'bad-signature'],
      [{ authorization: CREDENTIALS.webhookToken }, 'bad-signature'],
    ];
    for (const [headers, reason] of cases) {
      const error = await rejection(connector.verifyWebhook!({ rawBody: valid.rawBody, headers }));
      expect(error, reason).toBeInstanceOf(WebhookRejectedError);
      expect((error as WebhookRejectedError).reason).toBe(reason);
      assertNoSecret(error, [CREDENTIALS.webhookToken, sameLength]);
    }
    const unconfigured = await rejection(connectorFor(fake, { webhookToken: '' }).verifyWebhook!(valid));
    expect((unconfigured as WebhookRejectedError).reason).toBe('not-configured');
    const notJson = await rejection(connector.verifyWebhook!({ ...valid, rawBody: 'numero=1' }));
    expect((notJson as WebhookRejectedError).reason).toBe('malformed');
  });

  it('says in each rejection what is wrong', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const valid = fake.webhooks.valid(id!);
    const message = async (connector: ReturnType<typeof connectorFor>, input: typeof valid) => ((await rejection(connector.verifyWebhook!(input))) as WebhookRejectedError).message;
    expect(await message(connectorFor(fake, { webhookToken: '' }), valid)).toMatch(/no webhookToken is configured/);
    expect(await message(connectorFor(fake), { ...valid, headers: {} })).toMatch(/no Authorization header/);
    expect(await message(connectorFor(fake), { ...valid, headers: { authorization: 'Bearer nope' } })).toMatch(/token does not match/);
    expect(await message(connectorFor(fake), { ...valid, rawBody: '{"numero":' })).toMatch(/not JSON/);
    for (const rawBody of ['{}', '{"numero":"165a"}', '[165]']) {
      const error = (await rejection(connectorFor(fake).verifyWebhook!({ ...valid, rawBody }))) as WebhookRejectedError;
      expect(error.reason, rawBody).toBe('malformed');
      expect(error.message, rawBody).toMatch(/no order numero/);
    }
  });

  it('takes the token after the Bearer scheme, in any case and spacing, and nothing that only contains it', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const connector = connectorFor(fake);
    const { rawBody } = fake.webhooks.valid(id!);
    const token = CREDENTIALS.webhookToken;
    for (const authorization of [`Bearer ${token}`, `bearer ${token}`, `Bearer   ${token}`, `  Bearer ${token}  `, `BEARER\t${token}`]) {
      await expect(connector.verifyWebhook!({ rawBody, headers: { authorization } }), authorization).resolves.toMatchObject({ ping: false });
    }
    for (const authorization of [`NotBearer ${token}`, `Bearer ${token}x`, `Bearer x${token}`, `Bearer${token}`, `Bearer ${token} ${token}`]) {
      const error = await rejection(connector.verifyWebhook!({ rawBody, headers: { authorization } }));
      expect((error as WebhookRejectedError).reason, authorization).toBe('bad-signature');
    }
  });

  it('reads headers given as a Headers object, and a body given as bytes', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const connector = connectorFor(fake);
    const valid = fake.webhooks.valid(id!);
    const asText = await connector.verifyWebhook!(valid);
    const bytes = new TextEncoder().encode(valid.rawBody as string);
    const asBytes = await connector.parseWebhook!({ rawBody: bytes, headers: new Headers(valid.headers as Record<string, string>) });
    expect(asBytes.deliveryId).toBe(asText.deliveryId);
    expect(asBytes.orders.map((order) => order.externalId)).toEqual([id]);
    const unsigned = await rejection(connector.verifyWebhook!({ rawBody: bytes, headers: new Headers({ 'content-type': 'application/json' }) }));
    expect((unsigned as WebhookRejectedError).reason).toBe('missing-signature');
  });

  it('gives a byte-identical duplicate the same delivery id, so core refuses it as a replay', async () => {
    const fake = fakeWith();
    const [id, other] = fake.seedOrders(2);
    const connector = connectorFor(fake);
    const guard = createReplayGuard();
    const delivery = fake.webhooks.valid(id!);
    guard.check((await connector.verifyWebhook!(delivery)).deliveryId);
    const again = await connector.verifyWebhook!(fake.webhooks.valid(id!));
    expect(() => guard.check(again.deliveryId)).toThrowError(WebhookRejectedError);
    const different = await connector.verifyWebhook!(fake.webhooks.valid(other!));
    expect(different.deliveryId).not.toBe(again.deliveryId);
    fake.modifyOrder(id!, { status: 'pedido_enviado' });
    const changed = await connector.verifyWebhook!(fake.webhooks.valid(id!));
    expect(() => guard.check(changed.deliveryId)).not.toThrow();
  });

  it('a body altered under the real token passes the token check but never becomes data in fetch mode', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const connector = connectorFor(fake);
    const tampered = fake.webhooks.alteredBody(id!);
    await expect(connector.verifyWebhook!(tampered)).resolves.toMatchObject({ ping: false });
    const event = await connector.parseWebhook!(tampered);
    expect(event.orders[0]!.totals.totalCents).toBe(fake.expectedOrder(id!).totalCents);
    expect(event.orders[0]!.totals.totalCents).not.toBe(1);
  });

  it('maps the delivered body itself in payload mode (numbers, UTC dates)', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const event = await connectorFor(fake, { webhookOrderSource: 'payload' }).parseWebhook!(fake.webhooks.valid(id!));
    const expected = fake.expectedOrder(id!);
    expect(fake.requests()).toEqual([]);
    expect(event.rejected).toEqual([]);
    expect(event.orders[0]!.totals.totalCents).toBe(expected.totalCents);
    const meaning = ({ sku, quantityMilli, unitPriceCents }: { sku?: string; quantityMilli: number; unitPriceCents: number }) => ({ sku, quantityMilli, unitPriceCents });
    expect(event.orders[0]!.lines.map(meaning)).toEqual(expected.lines.map(meaning));
    expect(event.orders[0]!.updatedAt).toBe('2024-05-01T13:00:01.007Z');
    // The body's `produto_id` / `produto_id_pai` name the same products as the detail's URIs (a variation included).
    expect(event.orders[0]!.lines.map((line) => line.productRef)).toEqual(expected.lines.map((line) => line.productRef));
    expect(expected.lines.some((line) => line.productRef?.variantId !== undefined), 'a variation among the lines').toBe(true);
  });

  describe('payload mode: the items of a body name their products by id', () => {
    /** The fake's delivery for one order, its single line replaced by `item` (on top of the body's own item). */
    async function mapped(item: Record<string, unknown>) {
      const fake = fakeWith();
      const [id] = fake.seedOrders(1);
      const delivery = fake.webhooks.valid(id!);
      const body = JSON.parse(delivery.rawBody as string) as { itens: Array<Record<string, unknown>> };
      body.itens = [{ ...body.itens[0]!, produto_id: null, produto_id_pai: null, ...item }];
      const rawBody = JSON.stringify(body);
      const event = await connectorFor(fake, { webhookOrderSource: 'payload' }).parseWebhook!({ ...delivery, rawBody });
      return { event, body: JSON.parse(rawBody) as unknown };
    }
    const refOf = async (item: Record<string, unknown>) => (await mapped(item)).event.orders[0]!.lines[0]!.productRef;

    it('a variation by its own id under its parent, a simple product by its id', async () => {
      expect(await refOf({ produto_id: 88568855, produto_id_pai: 182904918 })).toEqual({ productId: '182904918', variantId: '88568855' });
      expect(await refOf({ produto_id: 77 })).toEqual({ productId: '77' });
      expect(await refOf({ produto_id_pai: 182904918 })).toEqual({ productId: '182904918' });
      // The same digits written as text.
      expect(await refOf({ produto_id: ' 88568855 ', produto_id_pai: '182904918' })).toEqual({ productId: '182904918', variantId: '88568855' });
    });

    it('0, text that is not an id, or no id names no product; a URI the body also carries is kept when the id names none', async () => {
      for (const produto_id of [0, '0', '', 'abc', '12a', -5, 1.5, null]) expect(await refOf({ produto_id }), String(produto_id)).toBeUndefined();
      expect(await refOf({ produto_id: 0, produto: '/api/v1/produto/55', produto_pai: '/api/v1/produto/44' })).toEqual({ productId: '44', variantId: '55' });
      // The body's own id wins over a URI beside it.
      expect(await refOf({ produto_id: 12, produto: '/api/v1/produto/55' })).toEqual({ productId: '12' });
    });

    it('keeps the body as delivered in `raw`, not the URIs written for the mapping', async () => {
      const { event, body } = await mapped({ produto_id: 77 });
      expect(event.orders[0]!.raw).toEqual(body);
      expect(JSON.stringify(event.orders[0]!.raw)).not.toContain('/api/v1/produto/77');
    });

    it('a body whose items are not a list is refused, naming `itens`', async () => {
      const fake = fakeWith();
      const [id] = fake.seedOrders(1);
      const delivery = fake.webhooks.valid(id!);
      for (const itens of [undefined, { 0: {} }, [null]]) {
        const body = { ...(JSON.parse(delivery.rawBody as string) as object), itens };
        const event = await connectorFor(fake, { webhookOrderSource: 'payload' }).parseWebhook!({ ...delivery, rawBody: JSON.stringify(body) });
        expect(event.orders, JSON.stringify(itens)).toEqual([]);
        expect(event.rejected.map((entry) => [entry.externalId, entry.error.path]), JSON.stringify(itens)).toEqual([[id, Array.isArray(itens) ? 'itens.0' : 'itens']]);
        expect(event.rejected[0]!.error.message).toContain(`lojaintegrada order ${id}`);
      }
    });
  });
});
