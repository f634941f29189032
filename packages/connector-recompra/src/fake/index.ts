import type { PlatformFake } from '@conecta/core/fakes';
import { createFakeClock } from './clock.js';
import { buildOrder, expectedOf, type FakeOrder } from './orders.js';
import { renderOrder } from './wire.js';
import { signedDelivery, withoutSignature } from './webhooks.js';

export const RECOMPRA_FAKE_BASE_URL = 'https://api.recompra.fake/v1';
export const RECOMPRA_FAKE_API_TOKEN = 'rcp-fake-api-token-3f9a1c';
export const RECOMPRA_FAKE_WEBHOOK_TOKEN = 'rcp-fake-webhook-token-7d2e5b';

export interface RecompraFakeOptions {
  baseUrl?: string;
  apiToken?: string;
  webhookToken?: string;
  ordersPath?: string;
  /** How many changes share one second of the data clock. Default 3. */
  changesPerSecond?: number;
  /** Largest `per_page` accepted; larger values answer 400. Default 100. */
  maxPageSize?: number;
  /** ISO instant the data clock starts at. Default 2024-05-01 12:00 UTC. */
  startAt?: string;
  /** Clock for webhook timestamps (epoch ms). Default `Date.now`. */
  now?: () => number;
}

export interface RecompraFake extends PlatformFake {
  readonly apiToken: string;
  readonly webhookToken: string;
  /** A delivery for an order with any event name (e.g. `ping`, without an order). */
  delivery(event: string, externalId?: string, options?: { timestampSeconds?: number }): { rawBody: Uint8Array; headers: Record<string, string> };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * Imitation of the assumed Recompra.aí API (see the package README): bearer auth, `GET {ordersPath}` sorted by
 * `updated_at` then `id` with inclusive `updated_since`, `page` and `per_page`, `GET {ordersPath}/{id}`, 429 with
 * Retry-After, injected 5xx, and signed webhook deliveries.
 */
export function createRecompraFake(options: RecompraFakeOptions = {}): RecompraFake {
  const baseUrl = (options.baseUrl ?? RECOMPRA_FAKE_BASE_URL).replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const apiToken = options.apiToken ?? RECOMPRA_FAKE_API_TOKEN;
  const webhookToken = options.webhookToken ?? RECOMPRA_FAKE_WEBHOOK_TOKEN;
  const ordersPath = `/${(options.ordersPath ?? '/orders').replace(/^\/+|\/+$/g, '')}`;
  const maxPageSize = options.maxPageSize ?? 100;
  const now = options.now ?? Date.now;
  const clock = createFakeClock(options.changesPerSecond ?? 3, options.startAt ? Math.floor(Date.parse(options.startAt) / 1000) * 1000 : undefined);

  let orders = new Map<string, FakeOrder>();
  let products = new Map<string, number>();
  let log: Array<{ at: number; method: string; url: string; status: number }> = [];
  let unknown: string[] = [];
  let throttle = { times: 0, seconds: 0 };
  let failures = { times: 0, status: 500 };
  let seq = 0;
  let deliverySeq = 0;

  const addOrder = (status: string, varied = true): FakeOrder => {
    seq += 1;
    const order = buildOrder(seq, status, clock.stamp(), varied);
    orders.set(order.id, order);
    return order;
  };
  const orderOrThrow = (externalId: string): FakeOrder => {
    const order = orders.get(externalId);
    if (!order) throw new Error(`recompra fake: no order ${externalId}`);
    return order;
  };

  const listOrders = (query: URLSearchParams): Response => {
    const page = Number(query.get('page') ?? '1');
    const perPage = Number(query.get('per_page') ?? '20');
    const sinceText = query.get('updated_since');
    const since = sinceText === null ? Number.NEGATIVE_INFINITY : Date.parse(sinceText);
    if (!Number.isInteger(page) || page < 1) return json(400, { error: 'invalid_page' });
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPageSize) return json(400, { error: 'invalid_per_page' });
    if (Number.isNaN(since)) return json(400, { error: 'invalid_updated_since' });
    const matching = [...orders.values()]
      .filter((order) => order.updatedAt >= since)
      .sort((a, b) => a.updatedAt - b.updatedAt || a.id.localeCompare(b.id));
    const start = (page - 1) * perPage;
    return json(200, {
      orders: matching.slice(start, start + perPage).map(renderOrder),
      page,
      per_page: perPage,
      has_more: start + perPage < matching.length,
    });
  };

  const route = (method: string, path: string): ((query: URLSearchParams) => Response) | undefined => {
    if (method !== 'GET' || !path.startsWith(`${basePath}/`)) return undefined;
    const local = path.slice(basePath.length);
    if (local === ordersPath) return listOrders;
    if (local.startsWith(`${ordersPath}/`)) {
      const id = decodeURIComponent(local.slice(ordersPath.length + 1));
      if (id === '' || id.includes('/')) return undefined;
      return () => {
        const order = orders.get(id);
        return order ? json(200, { order: renderOrder(order) }) : json(404, { error: 'order_not_found' });
      };
    }
    return undefined;
  };

  const respond = (request: Request, url: URL): Response => {
    const handler = route(request.method, url.pathname);
    if (!handler) {
      unknown.push(`${request.method} ${url.pathname}${url.search}`);
      return json(404, { error: 'not_found' });
    }
    if (throttle.times > 0) {
      throttle.times -= 1;
      return json(429, { error: 'rate_limited' }, { 'retry-after': String(throttle.seconds) });
    }
    if (failures.times > 0) {
      failures.times -= 1;
      return json(failures.status, { error: 'internal_error' });
    }
    if (request.headers.get('authorization') !== `Bearer ${apiToken}`) return json(401, { error: 'invalid_token' });
    return handler(url.searchParams);
  };

  const delivery: RecompraFake['delivery'] = (event, externalId, deliveryOptions = {}) => {
    deliverySeq += 1;
    const body = JSON.stringify(externalId === undefined ? { event } : { event, order: renderOrder(orderOrThrow(externalId)) });
    const timestamp = deliveryOptions.timestampSeconds ?? Math.floor(now() / 1000);
    const { rawBody, headers } = signedDelivery(webhookToken, body, `dlv_${String(deliverySeq).padStart(6, '0')}`, timestamp);
    return { rawBody, headers };
  };

  return {
    baseUrl,
    apiToken,
    webhookToken,
    delivery,
    async handle(request) {
      const url = new URL(request.url);
      const response = respond(request, url);
      log.push({ at: Date.now(), method: request.method, url: `${url.pathname}${url.search}`, status: response.status });
      return response;
    },
    seedOrders(count, seedOptions) {
      return Array.from({ length: count }, () => addOrder(seedOptions?.status ?? 'paid', seedOptions?.status === undefined).id);
    },
    modifyOrder(externalId, changes) {
      const order = orderOrThrow(externalId);
      order.updatedAt = clock.stamp(order.updatedAt);
      order.status = changes?.status ?? (order.status === 'paid' ? 'processing' : 'shipped');
    },
    addMalformedOrder() {
      const order = addOrder('paid');
      order.malformed = 'quantity';
      return { externalId: order.id, field: 'quantity' };
    },
    addMalformedOrders() {
      // One order per field the mapping converts, each broken the way a schema drift or a bad import would break it:
      // the assumed API writes "." decimal strings (or JSON numbers) and ISO instants with an offset.
      const item = (json: Record<string, unknown>, index: number) => (json['items'] as Array<Record<string, unknown>>)[index]!;
      const breaks: Array<[string, (json: Record<string, unknown>) => void]> = [
        ['items.0.quantity', (json) => (item(json, 0)['quantity'] = 'dois')],
        ['items.1.quantity', (json) => (item(json, 1)['quantity'] = '1.2345')],
        ['items.1.unit_price', (json) => (item(json, 1)['unit_price'] = '19,90')],
        ['items.1.sku', (json) => (item(json, 1)['sku'] = -7)],
        ['items', (json) => (json['items'] = [])],
        ['subtotal', (json) => (json['subtotal'] = 'abc')],
        ['shipping', (json) => (json['shipping'] = '15.9O')],
        ['discount', (json) => (json['discount'] = 'R$ 5')],
        ['fees', (json) => (json['fees'] = '1.99.1')],
        ['tax', (json) => (json['tax'] = '3,21')],
        ['total', (json) => (json['total'] = '')],
        ['created_at', (json) => (json['created_at'] = '2024-05-01 09:00:00')],
        ['updated_at', (json) => (json['updated_at'] = '2024-02-30T12:00:00Z')],
        ['customer.name', (json) => (json['customer'] = { ...(json['customer'] as object), name: null })],
        ['status', (json) => (json['status'] = '')],
      ];
      return breaks.map(([path, corrupt]) => {
        const order = addOrder('paid');
        if (order.lines.length < 2) order.lines.push({ ...order.lines[0]!, lineId: `${order.id}-2` });
        order.corrupt = corrupt;
        return { externalId: order.id, path };
      });
    },
    expectedOrder(externalId) {
      return expectedOf(orderOrThrow(externalId));
    },
    throttleNext(times, retryAfterSeconds) {
      throttle = { times, seconds: retryAfterSeconds };
    },
    failNext(times, status = 500) {
      failures = { times, status };
    },
    seedProducts(skus) {
      for (const sku of skus) products.set(sku, 0);
    },
    stockOf(sku) {
      return products.get(sku);
    },
    requests() {
      return [...log];
    },
    unknownRequests() {
      return [...unknown];
    },
    webhooks: {
      valid: (externalId) => delivery('order.updated', externalId),
      tampered(externalId) {
        const signed = delivery('order.updated', externalId);
        // Changed after signing: a doubled total, as an attacker inflating an order would.
        const text = new TextDecoder().decode(signed.rawBody).replace(/"total":"(\d+)\./, '"total":"$1$1.');
        return { ...signed, rawBody: new TextEncoder().encode(text) };
      },
      unsigned: (externalId) => withoutSignature(delivery('order.updated', externalId)),
      truncatedSignature(externalId) {
        const signed = delivery('order.updated', externalId);
        const headers = signed.headers as Record<string, string>;
        return { ...signed, headers: { ...headers, 'X-Recompra-Signature': headers['X-Recompra-Signature']!.slice(0, 'sha256='.length + 16) } };
      },
    },
    reset() {
      orders = new Map();
      products = new Map();
      log = [];
      unknown = [];
      throttle = { times: 0, seconds: 0 };
      failures = { times: 0, status: 500 };
      seq = 0;
      deliverySeq = 0;
      clock.reset();
    },
  };
}
