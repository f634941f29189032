import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ValidationError, WebhookRejectedError } from '../errors/errors.js';
import { ConectaError } from '../errors/conecta-error.js';
import type { Connector, OrderPage } from '../spec/connector.js';
import { createReplayGuard } from '../spec/replay-guard.js';
import { PlatformOrderSchema, type PlatformOrder } from '../models/order.js';
import { resolveStatus } from '../models/status-dictionary.js';
import type { ExpectedOrder, PlatformFake } from './platform-fake.js';
import { expectOrderToMatch } from './expected-order.js';

export type ConnectorContractCase =
  | 'lists-all-pages'
  | 'resumes-from-cursor'
  | 'exact-values'
  | 'get-order'
  | 'auth-error'
  | 'rate-limit'
  | 'server-error'
  | 'malformed-order'
  | 'malformed-fields'
  | 'webhooks'
  | 'push-stock'
  | 'push-stock-meaning'
  | 'push-stock-refused'
  | 'statuses'
  | 'canonical-meaning'
  | 'published-payloads'
  | 'webhook-truncated-signature'
  | 'webhook-other-store'
  | 'listing-economy';

/** A payload the platform published (its docs, its own test fixtures), with the canonical order(s) checked by hand. */
export interface PublishedPayloadCase {
  /** The file name, for messages. */
  name: string;
  payload: unknown;
  /** The expected order without `raw` (as `*.expected.json` keeps it), or an array of them for a listing payload. */
  expected: unknown;
}

export interface PublishedPayloadsOption {
  cases: PublishedPayloadCase[];
  /**
   * Puts the payload into the (reset) fake exactly as published and returns the ids of the orders it holds. The
   * contract then reads them back through `getOrder` and `listOrders` and matches each to its expected order by id.
   */
  load: (fake: PlatformFake, payload: unknown, name: string) => string[];
  /**
   * How each case is read back; default both. A detail payload may carry more than the listing serves, and a listing
   * payload less than a detail: say so per file.
   */
  via?: (name: string) => Array<'getOrder' | 'listOrders'>;
}

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
  /** The connector's published-payload fixtures with their expected canonical orders (`readPublishedPayloads`). */
  publishedPayloads?: PublishedPayloadsOption;
  /**
   * The most requests a full listing of `orders` orders may make (pages plus whatever the platform needs beside
   * them: a token, a status table, SKU lookups). A listing read one page short or one page too many fails.
   * Also the fewest: a bound that is not also a floor lets a connector stop early.
   */
  listingRequests?: (orders: number) => { min: number; max: number };
  /**
   * The step, in milli-units, the platform keeps stock in: 1000 where stock is whole units (the default), 10 where it
   * keeps two decimals. A pushed quantity is floored to it, never rounded up.
   */
  stockStepMilli?: number;
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

    // Cheap cases that check meaning come first and the slow ones (full listings, real Retry-After waits) last: a
    // mutation run stops at the first failing case, so a bug the meaning checks catch costs a fraction of a second.
    contractCase('exact-values', 'maps orders to canonical orders with exact cents and quantities', async () => {
      const ids = fake.seedOrders(12);
      const pages = await collect(connector().listOrders());
      const orders = pages.flatMap((page) => page.orders);
      expect(orders).toHaveLength(ids.length);
      const instance = connector();
      for (const order of orders) {
        expect(PlatformOrderSchema.safeParse(order).success).toBe(true);
        expectMeaning(order, fake.expectedOrder(order.externalId), instance, `listing ${order.externalId}`);
        for (const line of order.lines) {
          expect(Number.isInteger(line.quantityMilli) && Number.isInteger(line.unitPriceCents)).toBe(true);
        }
        expect(order.raw).toBeDefined();
      }
      const quantities = orders.flatMap((order) => order.lines.map((line) => line.quantityMilli));
      expect(quantities.some((quantity) => quantity > 1000), 'some line with more than one unit').toBe(true);
    });

    contractCase('get-order', 'gets one order by id, and null for an id the platform does not have', async () => {
      const ids = fake.seedOrders(6);
      const instance = connector();
      for (const id of ids) {
        const order = await instance.getOrder(id);
        expect(order?.externalId).toBe(id);
        expectMeaning(order!, fake.expectedOrder(id), instance, `getOrder ${id}`);
      }
      expect(await connector().getOrder('999999991')).toBeNull();
    });

    contractCase('canonical-meaning', 'the fake declares what each order means: state, UTC instants, every money field', async () => {
      const ids = fake.seedOrders(3);
      for (const id of ids) {
        const expected = fake.expectedOrder(id);
        const missing = (['intakeState', 'createdAt', 'updatedAt', 'totals'] as const).filter((key) => expected[key] === undefined);
        expect(missing, `expectedOrder(${id}) must declare these (or skip 'canonical-meaning' with a reason)`).toEqual([]);
        expect(expected.createdAt!.endsWith('Z'), `expectedOrder(${id}).createdAt in UTC`).toBe(true);
        expect(expected.updatedAt!.endsWith('Z'), `expectedOrder(${id}).updatedAt in UTC`).toBe(true);
      }
    });

    contractCase('published-payloads', "imports the platform's published payloads to their hand-checked canonical orders", async () => {
      const published = options.publishedPayloads;
      expect(published, "publishedPayloads (or skip 'published-payloads' with a reason)").toBeDefined();
      expect(published!.cases.length, 'published payload cases').toBeGreaterThan(0);
      for (const entry of published!.cases) {
        fake.reset();
        const ids = published!.load(fake, entry.payload, entry.name);
        const want = new Map(((Array.isArray(entry.expected) ? entry.expected : [entry.expected]) as Array<{ externalId: string }>).map((order) => [order.externalId, order]));
        expect([...ids].sort(), `${entry.name}: ids loaded`).toEqual([...want.keys()].sort());
        const instance = connector();
        const via = published!.via?.(entry.name) ?? ['getOrder', 'listOrders'];
        expect(via.length, `${entry.name}: read some way`).toBeGreaterThan(0);
        if (via.includes('getOrder')) {
          for (const id of ids) {
            const order = await instance.getOrder(id);
            expect(order, `${entry.name}: getOrder(${id})`).not.toBeNull();
            expectOrderToMatch(order!, want.get(id), `${entry.name} via getOrder`);
          }
        }
        if (!via.includes('listOrders')) continue;
        const pages = await collect(instance.listOrders());
        expect(pages.flatMap((page) => page.rejected), `${entry.name}: rejected`).toEqual([]);
        const listed = pages.flatMap((page) => page.orders);
        expect(listed.map((order) => order.externalId).sort(), `${entry.name}: listed ids`).toEqual([...ids].sort());
        for (const order of listed) expectOrderToMatch(order, want.get(order.externalId), `${entry.name} via listOrders`);
      }
    }, 60_000);

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
      // An operator reading the quarantine must see which platform and which order the payload came from.
      expect(rejected[0]!.error.message, 'the rejection names the platform').toContain(connector().platform);
      expect(rejected[0]!.error.message, 'the rejection names the order').toContain(bad.externalId);
      expect(rejected[0]!.raw).toBeDefined();
    });

    contractCase('malformed-fields', 'each field a mapping converts, when broken, is named exactly in the rejection', async () => {
      expect(fake.addMalformedOrders, "addMalformedOrders (or skip 'malformed-fields' with a reason)").toBeDefined();
      const good = fake.seedOrders(2);
      const broken = fake.addMalformedOrders!();
      expect(broken.length, 'broken orders').toBeGreaterThan(0);
      const pages = await collect(connector().listOrders());
      expect(pages.flatMap((page) => page.orders.map((order) => order.externalId)).sort()).toEqual([...good].sort());
      const rejected = new Map(pages.flatMap((page) => page.rejected).map((entry) => [entry.externalId, entry]));
      for (const { externalId, path } of broken) {
        const entry = rejected.get(externalId);
        expect(entry, `order ${externalId} (broken ${path}) rejected`).toBeDefined();
        expect(entry!.error).toBeInstanceOf(ValidationError);
        expect(entry!.error.path, `order ${externalId}: the path of the broken field`).toBe(path);
        // An operator reads what is wrong, not only where: every issue says it in words.
        for (const issue of entry!.error.issues) expect(issue.message.trim(), `order ${externalId}: the issue at ${issue.path} explained`).not.toBe('');
      }
      expect(rejected.size, 'only the broken orders rejected').toBe(broken.length);
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
      expectMeaning(event.orders[0]!, fake.expectedOrder(id!), instance, `webhook ${id}`);

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

    contractCase('webhook-truncated-signature', 'refuses a delivery whose correct signature is cut to a prefix', async () => {
      const instance = connector();
      if (!instance.capabilities.webhooks) return;
      const truncated = fake.webhooks?.truncatedSignature;
      expect(truncated, "webhooks.truncatedSignature (or skip 'webhook-truncated-signature' with a reason)").toBeDefined();
      const [id] = fake.seedOrders(1);
      await expectWebhookRejected(instance, truncated!(id!), options.secrets);
    });

    contractCase('webhook-other-store', 'refuses a correctly signed delivery for another store or seller', async () => {
      const instance = connector();
      if (!instance.capabilities.webhooks) return;
      const other = fake.webhooks?.otherStore;
      expect(other, "webhooks.otherStore (or skip 'webhook-other-store' with a reason)").toBeDefined();
      const [id] = fake.seedOrders(1);
      await expectWebhookRejected(instance, other!(id!), options.secrets);
    });

    contractCase('statuses', "lists the platform's statuses, each mapped in the default dictionary", async () => {
      const instance = connector();
      const statuses = await instance.statuses();
      expect(statuses.length).toBeGreaterThan(0);
      for (const status of statuses) {
        expect(instance.defaultStatusDictionary.entries, `status ${status.code} (${status.label})`).toHaveProperty([status.code]);
      }
    });

    contractCase('auth-error', 'wrong credentials give an AuthError that carries no secret', async () => {
      fake.seedOrders(1);
      const error = await firstPageError(options.createConnector(fake, { wrongCredentials: true }));
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).retryable).toBe(false);
      assertNoSecret(error, options.secrets);
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

    contractCase('push-stock-meaning', 'pushStock floors fractions and updates exactly the SKU asked for', async () => {
      const instance = connector();
      if (!instance.capabilities.stockPush) return;
      fake.seedProducts(['CT-PRE', 'CT-PRE-1', 'CT-PRE-10', 'CT-PRE-1-A']);
      const before = new Map(['CT-PRE', 'CT-PRE-10', 'CT-PRE-1-A'].map((sku) => [sku, fake.stockOf(sku)]));
      const step = options.stockStepMilli ?? 1000;
      const floored = (milli: number) => Math.floor(milli / step) * step;
      const result = await instance.pushStock!([{ sku: 'CT-PRE-1', quantityMilli: 7999 }]);
      expect(result.updated).toEqual(['CT-PRE-1']);
      expect(fake.stockOf('CT-PRE-1'), '7.999 units is floored to the platform step, never rounded up').toBe(floored(7999));
      for (const [sku, stock] of before) expect(fake.stockOf(sku), `${sku} shares a prefix and must not change`).toBe(stock);
      await instance.pushStock!([{ sku: 'CT-PRE-10', quantityMilli: step - 1 }]);
      expect(fake.stockOf('CT-PRE-10'), 'less than one step is pushed as 0').toBe(0);
      if (fake.seedVariant) {
        fake.seedVariant('CT-PAI', 'CT-PAI-AZUL');
        const parent = fake.stockOf('CT-PAI');
        const variantPush = await instance.pushStock!([{ sku: 'CT-PAI-AZUL', quantityMilli: 4000 }]);
        expect(variantPush.updated).toEqual(['CT-PAI-AZUL']);
        expect(fake.stockOf('CT-PAI-AZUL'), 'the variant').toBe(4000);
        expect(fake.stockOf('CT-PAI'), 'its parent product is not the variant').toBe(parent);
      }
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

    contractCase('listing-economy', 'a full listing makes a counted, bounded number of requests', async () => {
      expect(options.listingRequests, "listingRequests (or skip 'listing-economy' with a reason)").toBeDefined();
      for (const count of [1, orderCount]) {
        fake.reset();
        fake.seedOrders(count);
        const pages = await collect(connector().listOrders());
        expect(pages.flatMap((page) => page.orders)).toHaveLength(count);
        const made = fake.requests().length;
        const { min, max } = options.listingRequests!(count);
        expect(made, `requests to list ${count} orders`).toBeGreaterThanOrEqual(min);
        expect(made, `requests to list ${count} orders: ${fake.requests().map((entry) => `${entry.method} ${entry.url}`).join(", ")}`).toBeLessThanOrEqual(max);
      }
    }, 30_000);

    contractCase('server-error', 'retries a 5xx and succeeds', async () => {
      fake.seedOrders(3);
      fake.failNext(1, 503);
      const pages = await collect(connector().listOrders());
      expect(pages.flatMap((page) => page.orders)).toHaveLength(3);
      expect(fake.requests().some((entry) => entry.status === 503)).toBe(true);
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

    contractCase('push-stock-refused', 'a push the platform keeps refusing (429, quota) ends in a typed error, not success', async () => {
      const instance = connector();
      if (!instance.capabilities.stockPush) return;
      fake.seedProducts(['CT-Q-1', 'CT-Q-2']);
      // No wait asked: what is checked is how the push ends, and a real wait per retry costs seconds per run.
      fake.throttleNext(1000, 0);
      const outcome = await instance.pushStock!([
        { sku: 'CT-Q-1', quantityMilli: 2000 },
        { sku: 'CT-Q-2', quantityMilli: 3000 },
      ]).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      expect('result' in outcome ? outcome.result : undefined, 'a refused push reported as a result').toBeUndefined();
      expect(ConectaError.isConectaError((outcome as { error: unknown }).error), 'a typed ConectaError').toBe(true);
      assertNoSecret((outcome as { error: unknown }).error, options.secrets);
      expect(fake.stockOf('CT-Q-1')).not.toBe(2000);
    }, 60_000);
  });
}

/**
 * The order means what the fake says: number, status and the state the default dictionary gives it, UTC instants, every
 * line (SKU, milli-units, cents, and its ids where declared; none dropped), every money field, and the customer and
 * warnings where declared.
 */
function expectMeaning(order: PlatformOrder, expected: ExpectedOrder, connector: Connector, label: string): void {
  expect(order.externalId, `${label}: externalId`).toBe(expected.externalId);
  expect(order.number, `${label}: number`).toBe(expected.number);
  expect(order.status, `${label}: status`).toBe(expected.status);
  if (expected.statusLabel !== undefined) expect(order.statusLabel, `${label}: statusLabel`).toBe(expected.statusLabel ?? undefined);
  if (expected.intakeState !== undefined) {
    expect(resolveStatus(connector.defaultStatusDictionary, order.status).state, `${label}: state of status ${order.status}`).toBe(expected.intakeState);
  }
  if (expected.createdAt !== undefined) expect(new Date(order.createdAt).toISOString(), `${label}: createdAt (UTC)`).toBe(new Date(expected.createdAt).toISOString());
  if (expected.updatedAt !== undefined) expect(new Date(order.updatedAt).toISOString(), `${label}: updatedAt (UTC)`).toBe(new Date(expected.updatedAt).toISOString());
  expect(order.totals.totalCents, `${label}: totals.totalCents`).toBe(expected.totalCents);
  if (expected.totals !== undefined) {
    for (const [field, cents] of Object.entries(expected.totals)) {
      expect(order.totals[field as keyof typeof order.totals], `${label}: totals.${field}`).toBe(cents);
    }
  }
  expect(order.lines.length, `${label}: number of lines`).toBe(expected.lines.length);
  expected.lines.forEach((line, index) => {
    const got = order.lines[index]!;
    expect(got.sku, `${label}: lines[${index}].sku`).toBe(line.sku);
    if (line.unmatched === undefined) {
      expect(got.unmatched, `${label}: lines[${index}] matched to ${line.sku}`).toBeUndefined();
    } else {
      expect(got.unmatched?.reason, `${label}: lines[${index}].unmatched.reason`).toBe(line.unmatched.reason);
      if (line.unmatched.detail !== undefined) expect(got.unmatched?.detail, `${label}: lines[${index}].unmatched.detail`).toBe(line.unmatched.detail);
    }
    expect(got.quantityMilli, `${label}: lines[${index}].quantityMilli`).toBe(line.quantityMilli);
    expect(got.unitPriceCents, `${label}: lines[${index}].unitPriceCents`).toBe(line.unitPriceCents);
    if (line.lineId !== undefined) expect(got.lineId, `${label}: lines[${index}].lineId`).toBe(line.lineId);
    if (line.productRef !== undefined) expect(got.productRef, `${label}: lines[${index}].productRef`).toEqual(line.productRef ?? undefined);
  });
  if (expected.warnings !== undefined) {
    const warnings = order.warnings.map((warning) => ({
      code: warning.code,
      ...('field' in warning ? { field: warning.field } : {}),
      ...('lineIndex' in warning ? { lineIndex: warning.lineIndex } : {}),
    }));
    expect(warnings, `${label}: warnings`).toEqual(expected.warnings);
    // A warning is read by a person: each one explains itself.
    for (const warning of order.warnings) expect(warning.message.trim(), `${label}: the ${warning.code} warning explained`).not.toBe('');
  }
  if (expected.customer !== undefined) {
    for (const field of ['name', 'email', 'document', 'phone'] as const) {
      expect(order.customer[field], `${label}: customer.${field}`).toBe(expected.customer[field]);
    }
  }
}

async function expectWebhookRejected(connector: Connector, input: Parameters<NonNullable<Connector['verifyWebhook']>>[0], secrets: readonly string[]): Promise<void> {
  const verified = await connector.verifyWebhook!(input).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(verified, 'verifyWebhook refuses it').toBeInstanceOf(WebhookRejectedError);
  assertNoSecret(verified, secrets);
  const parsed = await connector.parseWebhook!(input).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(parsed, 'parseWebhook refuses it').toBeInstanceOf(WebhookRejectedError);
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
