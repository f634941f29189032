import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ValidationError, WebhookRejectedError } from '../errors/errors.js';
import { ConectaError } from '../errors/conecta-error.js';
import type { Connector, OrderPage } from '../spec/connector.js';
import { createReplayGuard } from '../spec/replay-guard.js';
import { PlatformOrderSchema, type PlatformOrder } from '../models/order.js';
import type { PlatformFake } from './platform-fake.js';

export type ConnectorContractCase =
  | 'lists-all-pages'
  | 'resumes-from-cursor'
  | 'exact-values'
  | 'get-order'
  | 'auth-error'
  | 'rate-limit'
  | 'server-error'
  | 'malformed-order'
  | 'webhooks'
  | 'push-stock'
  | 'statuses';

export interface ConnectorContractOptions {
  name: string;
  createFake: () => PlatformFake;
  /**
   * Builds the connector against the fake. With `wrongCredentials`, every credential is replaced by a wrong one.
   * Use a fast HTTP policy (small backoff) so the suite runs quickly.
   */
  createConnector: (fake: PlatformFake, options?: { wrongCredentials?: boolean }) => Connector;
  /** Every secret the connector is configured with; none may appear in any error. */
  secrets: string[];
  /** How many orders the first case seeds: enough for three pages or more. */
  orderCount?: number;
  /** Cases that cannot hold for this platform, each with its reason (listed in the connector's README). */
  skip?: Partial<Record<ConnectorContractCase, string>>;
}

/** Runs the contract every connector passes, ours and partners', against the connector's own fake. */
export function describeConnectorContract(options: ConnectorContractOptions): void {
  const fake = options.createFake();
  const server = setupServer(http.all(`${fake.baseUrl.replace(/\/$/, '')}/*`, ({ request }) => fake.handle(request)));
  const unhandled: string[] = [];
  const orderCount = options.orderCount ?? 120;
  const contractCase = (id: ConnectorContractCase, title: string, body: () => Promise<void>, timeout = 20_000) => {
    const reason = options.skip?.[id];
    if (reason) it.skip(`[${id}] ${title} (skipped: ${reason})`, body);
    else it(`[${id}] ${title}`, body, timeout);
  };
  const connector = () => options.createConnector(fake);

  describe(`connector contract: ${options.name}`, () => {
    beforeAll(() => {
      server.events.on('request:unhandled', ({ request }) => {
        unhandled.push(`${request.method} ${request.url}`);
      });
      server.listen({ onUnhandledFrame: 'error' });
    });
    afterEach(() => {
      const unknown = [...unhandled.splice(0), ...fake.unknownRequests()];
      fake.reset();
      expect(unknown, 'requests the fake does not know').toEqual([]);
    });
    afterAll(() => server.close());

    it('declares spec version 1 and capabilities that match its methods', () => {
      const instance = connector();
      expect(instance.specVersion).toBe(1);
      expect(instance.capabilities.webhooks).toBe(typeof instance.verifyWebhook === 'function' && typeof instance.parseWebhook === 'function');
      expect(instance.capabilities.stockPush).toBe(typeof instance.pushStock === 'function');
      expect(instance.rateLimit.requests).toBeGreaterThan(0);
      expect(instance.defaultStatusDictionary.platform).toBe(instance.platform);
    });

    contractCase('lists-all-pages', 'lists every order across pages, each once, oldest change first', async () => {
      const ids = fake.seedOrders(orderCount);
      const pages = await collect(connector().listOrders());
      expect(pages.length, 'pages').toBeGreaterThanOrEqual(2);
      const seen = pages.flatMap((page) => page.orders.map((order) => order.externalId));
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(new Set(seen).size).toBe(seen.length);
      const updated = pages.flatMap((page) => page.orders.map((order) => Date.parse(order.updatedAt)));
      expect(updated).toEqual([...updated].sort((a, b) => a - b));
      for (const page of pages) expect(page.rejected).toEqual([]);
      assertWithinRateLimit(fake, connector());
    });

    contractCase('resumes-from-cursor', 'resumes from a saved cursor with nothing lost or repeated while orders change', async () => {
      const ids = fake.seedOrders(orderCount);
      const instance = connector();
      const iterator = instance.listOrders()[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      const firstPage = first.value as OrderPage;
      await iterator.return?.();
      const firstIds = firstPage.orders.map((order) => order.externalId);
      expect(firstIds.length).toBeGreaterThan(0);

      // Between pages: one order already read changes, one not yet read changes, new orders arrive.
      const changedSeen = firstIds[0]!;
      const changedUnseen = ids.find((id) => !firstIds.includes(id))!;
      fake.modifyOrder(changedSeen);
      fake.modifyOrder(changedUnseen);
      const added = fake.seedOrders(3);

      const rest = await collect(connector().listOrders({ cursor: firstPage.cursor }));
      const restIds = rest.flatMap((page) => page.orders.map((order) => order.externalId));
      const all = [...firstIds, ...restIds];
      for (const id of [...ids, ...added]) expect(all, `order ${id} lost`).toContain(id);
      const counts = new Map<string, number>();
      for (const id of all) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const [id, count] of counts) {
        const expected = id === changedSeen ? 2 : 1;
        expect(count, `order ${id} seen ${count} times`).toBe(expected);
      }
    });

    contractCase('exact-values', 'maps orders to canonical orders with exact cents and quantities', async () => {
      const ids = fake.seedOrders(12);
      const pages = await collect(connector().listOrders());
      const orders = pages.flatMap((page) => page.orders);
      expect(orders).toHaveLength(ids.length);
      for (const order of orders) {
        expect(PlatformOrderSchema.safeParse(order).success).toBe(true);
        const expected = fake.expectedOrder(order.externalId);
        expect(order.number).toBe(expected.number);
        expect(order.status).toBe(expected.status);
        expect(order.totals.totalCents).toBe(expected.totalCents);
        expect(order.lines.map(({ sku, quantityMilli, unitPriceCents }) => ({ sku, quantityMilli, unitPriceCents }))).toEqual(expected.lines);
        for (const line of order.lines) {
          expect(Number.isInteger(line.quantityMilli) && Number.isInteger(line.unitPriceCents)).toBe(true);
        }
        expect(order.raw).toBeDefined();
      }
      const quantities = orders.flatMap((order) => order.lines.map((line) => line.quantityMilli));
      expect(quantities.some((quantity) => quantity > 1000), 'some line with more than one unit').toBe(true);
    });

    contractCase('get-order', 'gets one order by id, and null for an id the platform does not have', async () => {
      const [id] = fake.seedOrders(2);
      const order = await connector().getOrder(id!);
      expect(order?.externalId).toBe(id);
      expect(order?.lines).toEqual(
        fake.expectedOrder(id!).lines.map((line) => expect.objectContaining(line) as unknown),
      );
      expect(await connector().getOrder('999999991')).toBeNull();
    });

    contractCase('auth-error', 'wrong credentials give an AuthError that carries no secret', async () => {
      fake.seedOrders(1);
      const error = await firstPageError(options.createConnector(fake, { wrongCredentials: true }));
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).retryable).toBe(false);
      assertNoSecret(error, options.secrets);
    });

    contractCase('rate-limit', 'waits out a 429 for the time the platform asks, then goes on', async () => {
      fake.seedOrders(3);
      fake.throttleNext(1, 1);
      const pages = await collect(connector().listOrders());
      expect(pages.flatMap((page) => page.orders)).toHaveLength(3);
      const log = fake.requests();
      const throttled = log.findIndex((entry) => entry.status === 429);
      expect(throttled, 'the fake answered 429').toBeGreaterThanOrEqual(0);
      const next = log[throttled + 1];
      expect(next, 'a request after the 429').toBeDefined();
      expect(next!.at - log[throttled]!.at, 'waited as asked').toBeGreaterThanOrEqual(990);
    });

    contractCase('server-error', 'retries a 5xx and succeeds', async () => {
      fake.seedOrders(3);
      fake.failNext(1, 503);
      const pages = await collect(connector().listOrders());
      expect(pages.flatMap((page) => page.orders)).toHaveLength(3);
      expect(fake.requests().some((entry) => entry.status === 503)).toBe(true);
    });

    contractCase('malformed-order', 'a malformed order is reported with the field named while the rest go through', async () => {
      const good = fake.seedOrders(4);
      const bad = fake.addMalformedOrder();
      const pages = await collect(connector().listOrders());
      const orders = pages.flatMap((page) => page.orders.map((order) => order.externalId));
      const rejected = pages.flatMap((page) => page.rejected);
      expect(orders.sort()).toEqual([...good].sort());
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.externalId).toBe(bad.externalId);
      expect(rejected[0]!.error).toBeInstanceOf(ValidationError);
      expect(rejected[0]!.error.path + rejected[0]!.error.message).toContain(bad.field);
      expect(rejected[0]!.raw).toBeDefined();
    });

    contractCase('statuses', "lists the platform's statuses, each mapped in the default dictionary", async () => {
      const instance = connector();
      const statuses = await instance.statuses();
      expect(statuses.length).toBeGreaterThan(0);
      for (const status of statuses) {
        expect(instance.defaultStatusDictionary.entries, `status ${status.code} (${status.label})`).toHaveProperty([status.code]);
      }
    });

    contractCase('webhooks', 'accepts a valid webhook; rejects tampered, unsigned and replayed ones', async () => {
      const instance = connector();
      if (!instance.capabilities.webhooks) {
        expect(fake.webhooks, 'a fake with webhooks for a connector without them').toBeUndefined();
        return;
      }
      const hooks = fake.webhooks!;
      const [id, other] = fake.seedOrders(2);
      const event = await instance.parseWebhook!(hooks.valid(id!));
      expect(event.orders.map((order) => order.externalId)).toEqual([id]);

      for (const input of [...(hooks.tampered ? [hooks.tampered(id!)] : []), hooks.unsigned(id!)]) {
        const error = await instance.verifyWebhook!(input).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(WebhookRejectedError);
        assertNoSecret(error, options.secrets);
      }

      const guard = createReplayGuard();
      const delivery = hooks.valid(other!);
      const firstCheck = await instance.verifyWebhook!(delivery);
      guard.check(firstCheck.deliveryId, firstCheck.sentAt);
      const replay = await instance.verifyWebhook!(delivery);
      expect(() => guard.check(replay.deliveryId, replay.sentAt)).toThrow(WebhookRejectedError);
      const fresh = await instance.verifyWebhook!(hooks.valid(id!));
      expect(fresh.deliveryId).not.toBe(firstCheck.deliveryId);
    });

    contractCase('push-stock', 'pushStock sets absolute quantities and reports unknown SKUs', async () => {
      const instance = connector();
      if (!instance.capabilities.stockPush) return;
      fake.seedProducts(['CT-SKU-1', 'CT-SKU-2']);
      const result = await instance.pushStock!([
        { sku: 'CT-SKU-1', quantityMilli: 7000 },
        { sku: 'CT-SKU-2', quantityMilli: 0 },
        { sku: 'CT-NOPE', quantityMilli: 1000 },
      ]);
      expect(fake.stockOf('CT-SKU-1')).toBe(7000);
      expect(fake.stockOf('CT-SKU-2')).toBe(0);
      expect([...result.updated].sort()).toEqual(['CT-SKU-1', 'CT-SKU-2']);
      expect(result.notFound).toEqual(['CT-NOPE']);
      await instance.pushStock!([{ sku: 'CT-SKU-1', quantityMilli: 3000 }]);
      expect(fake.stockOf('CT-SKU-1')).toBe(3000);
    });
  });
}

async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function firstPageError(connector: Connector): Promise<unknown> {
  try {
    for await (const page of connector.listOrders()) {
      void page;
      break;
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

export function assertNoSecret(error: unknown, secrets: readonly string[]): void {
  expect(ConectaError.isConectaError(error), 'a ConectaError').toBe(true);
  const conecta = error as ConectaError;
  const views = [conecta.message, conecta.stack ?? '', JSON.stringify(conecta), String(conecta), JSON.stringify(conecta.cause ?? null, Object.getOwnPropertyNames(conecta.cause ?? {}))];
  for (const secret of secrets) {
    for (const view of views) expect(view.includes(secret), `secret found in: ${view.slice(0, 200)}`).toBe(false);
  }
}

function assertWithinRateLimit(fake: PlatformFake, connector: Connector): void {
  const { requests, intervalMs, burst } = connector.rateLimit;
  // A token bucket running flat out admits its burst plus a refill's worth within one interval.
  const allowed = (burst ?? requests) + requests - 1;
  const times = fake.requests().map((entry) => entry.at);
  for (let start = 0; start < times.length; start += 1) {
    let end = start;
    while (end < times.length && times[end]! - times[start]! < intervalMs) end += 1;
    expect(end - start, 'requests within one rate-limit interval').toBeLessThanOrEqual(allowed);
  }
}

export type { PlatformOrder };
