import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hmacSha256Base64 } from '@conecta/core/http';
import type { WebhookInput } from '@conecta/core';
import type { ExpectedOrder, PlatformFake } from '@conecta/core/fakes';
import { fieldFilter } from './fields.js';
import { renderOrder, renderProduct, wooError } from './render.js';
import { type FakeOrder, type FakeProduct, orderTotalCents, subtotalCents, wpJsonEncode } from './state.js';

export interface WooCommerceFakeOptions {
  baseUrl?: string;
  consumerKey?: string;
  consumerSecret?: string;
  webhookSecret?: string;
  /** Delay before each answer, e.g. 20 to imitate a real store behind a local port. */
  latencyMs?: number;
  /** The site's UTC offset: `date_*` fields and date filters without `dates_are_gmt=true` use it. */
  siteUtcOffsetHours?: number;
  /** Added to ids to make order numbers, as sequential-number plugins do (0: number = id). */
  orderNumberOffset?: number;
  /** Imitates WooCommerce versions whose `?sku=` search skips variations. */
  legacySkuSearch?: boolean;
  /** Items accepted per batch call (`woocommerce_rest_batch_items_limit`). */
  batchLimit?: number;
  /** ISO instant the store clock starts at. Default 2024-05-01 12:00 UTC. */
  startAt?: string;
}

export interface WooCommerceFake extends PlatformFake {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly webhookSecret: string;
  webhooks: NonNullable<PlatformFake['webhooks']> & {
    /** The unsigned form-encoded ping WooCommerce sends when a webhook is saved. */
    ping(webhookId?: number): WebhookInput;
    /** A signed delivery for any topic (`order.deleted` carries only the id). */
    delivery(externalId: string, topic: string): WebhookInput;
  };
  /**
   * Serves an order exactly as WooCommerce (or its documentation) published it: `GET /orders/{id}` answers it verbatim
   * (less the fields a `_fields` parameter leaves out, as WordPress does) and `GET /orders` lists it by its
   * `date_modified_gmt`. Returns its id.
   */
  loadPublishedOrder(order: Record<string, unknown>): string;
  /** A variable product with one variation per SKU; returns the variation ids. */
  seedVariableProduct(parentSku: string, variationSkus: string[]): number[];
  /** Items in each batch call, in order. */
  batchCalls(): Array<{ path: string; items: number }>;
  /** Most requests in flight at once since the last reset. */
  maxInFlight(): number;
  /** Seconds since the epoch on the fake's clock. */
  now(): number;
  /** Registers a webhook as the merchant would in wp-admin; `GET /webhooks` lists it. Returns its id. */
  addWebhook(webhook: { topic: string; deliveryUrl: string; status?: 'active' | 'paused' | 'disabled'; name?: string }): number;
}

const API = '/wp-json/wc/v3';

/** 11.222.333/0001-81 typed with a wrong check digit: not a CNPJ. */
const MISTYPED_CNPJ = '11.222.333/0001-82';
/** A CPF typed with a wrong check digit (the valid one ends in -09): the plugin does not check it, core drops it. */
const MISTYPED_CPF = '123.456.789-00';

/**
 * What each core WooCommerce status means to a merchant, written here by hand (not read from the connector's
 * dictionary) so the contract checks the dictionary against an independent reading: only paid orders are sales.
 */
const STATUS_MEANING: Record<string, 'pending' | 'finalized' | 'cancelled' | 'ignored'> = {
  pending: 'ignored',
  'on-hold': 'ignored',
  failed: 'ignored',
  'checkout-draft': 'ignored',
  processing: 'pending',
  'ready-for-pickup': 'pending',
  completed: 'finalized',
  cancelled: 'cancelled',
  refunded: 'cancelled',
  trash: 'cancelled',
};

/** What listing needs of a published order: its id, status and GMT times in epoch seconds. */
interface PublishedView {
  id: number;
  status: string;
  createdSec: number;
  modifiedSec: number;
}

/** An order as a listing holds it: what filters and sorts it, and how to render it when its page is read. */
interface ListedOrder {
  order: FakeOrder | PublishedView;
  render: () => unknown;
}

function publishedView(json: Record<string, unknown>): PublishedView {
  const seconds = (value: unknown) => Date.parse(`${String(value)}Z`) / 1000;
  return { id: Number(json['id']), status: String(json['status']), createdSec: seconds(json['date_created_gmt']), modifiedSec: seconds(json['date_modified_gmt']) };
}
const START_SEC = Date.UTC(2024, 4, 1, 12, 0, 0) / 1000;
const FIRST_NAMES = ['Ana', 'Bruno', 'Carla', 'Diego', 'Elisa', 'Fábio'];

/**
 * A WooCommerce store imitating `wc/v3`: Basic or query-key auth, X-WP-Total paging, GMT date filters at second
 * resolution (several orders share a second), products and variations, 100-item batches, signed webhooks.
 */
export function createWooCommerceFake(options: WooCommerceFakeOptions = {}): WooCommerceFake {
  const baseUrl = (options.baseUrl ?? 'https://loja.example.test').replace(/\/+$/, '');
  const consumerKey = options.consumerKey ?? 'ck_4f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6';
  const consumerSecret = options.consumerSecret ?? 'cs_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b';
  const webhookSecret = options.webhookSecret ?? 'whsecAlnum7Qz3Lp9Rt2';
  const offsetHours = options.siteUtcOffsetHours ?? -3;
  const numberOffset = options.orderNumberOffset ?? 0;
  const batchLimit = options.batchLimit ?? 100;

  const startSec = options.startAt ? Math.floor(Date.parse(options.startAt) / 1000) : START_SEC;
  let clock = startSec;
  let nextOrderId = 1001;
  let nextProductId = 501;
  let nextLineId = 1;
  let seeded = 0;
  const orders = new Map<number, FakeOrder>();
  const registeredWebhooks: Array<{ id: number; name: string; status: string; topic: string; delivery_url: string }> = [];
  const products = new Map<number, FakeProduct>();
  const published = new Map<number, Record<string, unknown>>();
  let log: Array<{ at: number; method: string; url: string; status: number }> = [];
  let unknown: string[] = [];
  let batches: Array<{ path: string; items: number }> = [];
  let throttle = { times: 0, seconds: 0 };
  let failure = { times: 0, status: 500 };
  let inFlight = 0;
  let peak = 0;
  /** Bumped by every change to the orders listed; a listing computed at an older revision is not reused. */
  let revision = 0;
  const listings = new Map<string, ListedOrder[]>();

  const authOk = (request: Request, url: URL): 'ok' | 'missing' | 'wrong' => {
    const header = request.headers.get('authorization');
    let key = url.searchParams.get('consumer_key');
    let secret = url.searchParams.get('consumer_secret');
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      key = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
    if (!key || !secret) return 'missing';
    return key === consumerKey && secret === consumerSecret ? 'ok' : 'wrong';
  };

  const renderOrderJson = (order: FakeOrder) => renderOrder(order, baseUrl, offsetHours);

  async function handle(request: Request): Promise<Response> {
    const at = Date.now();
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    try {
      if (options.latencyMs) await sleep(options.latencyMs);
      const url = new URL(request.url);
      const response = await route(request, url);
      log.push({ at, method: request.method, url: `${url.pathname}${url.search}`, status: response.status });
      response.headers.set('date', new Date(clock * 1000).toUTCString());
      return response;
    } finally {
      inFlight -= 1;
    }
  }

  async function route(request: Request, url: URL): Promise<Response> {
    if (throttle.times > 0) {
      throttle.times -= 1;
      const response = wooError('too_many_requests', 'Too many requests. Please wait and try again.', 429);
      response.headers.set('retry-after', String(throttle.seconds));
      return response;
    }
    if (failure.times > 0) {
      failure.times -= 1;
      return wooError('internal_server_error', 'There has been a critical error on this website.', failure.status);
    }
    const path = url.pathname.replace(/\/+$/, '');
    const rest = path.startsWith(API) ? path.slice(API.length) : undefined;
    const method = request.method;
    const known =
      rest !== undefined &&
      ((method === 'GET' && /^\/(orders(\/\d+)?|reports\/orders\/totals|products(\/\d+)?|products\/\d+\/variations(\/\d+)?|webhooks)$/.test(rest)) ||
        (method === 'POST' && /^\/products(\/\d+\/variations)?\/batch$/.test(rest)));
    if (!known) {
      unknown.push(`${method} ${url.pathname}${url.search}`);
      return wooError('rest_no_route', 'No route was found matching the URL and request method.', 404);
    }
    const auth = authOk(request, url);
    if (auth === 'missing') return wooError('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.', 401);
    if (auth === 'wrong') return wooError('woocommerce_rest_authentication_error', 'Consumer secret is invalid.', 401);

    if (rest === '/orders') return listOrders(url);
    // The webhook object as W-DOCS `_webhooks.md` lists it, trimmed to what a reader needs.
    if (rest === '/webhooks') return page(url, registeredWebhooks, (webhook) => ({ ...webhook, resource: webhook.topic.split('.')[0], event: webhook.topic.split('.')[1] }));
    const orderMatch = /^\/orders\/(\d+)$/.exec(rest!);
    if (orderMatch) {
      const filter = fieldFilter(url.searchParams.get('_fields')) ?? ((value: unknown) => value);
      const publishedOrder = published.get(Number(orderMatch[1]));
      if (publishedOrder) return Response.json(filter(publishedOrder));
      const order = orders.get(Number(orderMatch[1]));
      return order ? Response.json(filter(renderOrderJson(order))) : wooError('woocommerce_rest_shop_order_invalid_id', 'Invalid ID.', 404);
    }
    if (rest === '/reports/orders/totals') {
      const counts = new Map<string, number>();
      for (const order of orders.values()) counts.set(order.status, (counts.get(order.status) ?? 0) + 1);
      const names: Record<string, string> = { pending: 'Pending payment', processing: 'Processing', 'on-hold': 'On hold', completed: 'Completed', cancelled: 'Cancelled', refunded: 'Refunded', failed: 'Failed', 'checkout-draft': 'Draft' };
      return Response.json(Object.entries(names).map(([slug, name]) => ({ slug, name, total: counts.get(slug) ?? 0 })));
    }
    if (rest === '/products') return listProducts(url, undefined);
    const productMatch = /^\/products\/(\d+)$/.exec(rest!);
    if (productMatch) {
      const product = products.get(Number(productMatch[1]));
      return product && product.type !== 'variation'
        ? Response.json(renderProduct(product, baseUrl))
        : wooError('woocommerce_rest_product_invalid_id', 'Invalid ID.', 404);
    }
    const variationMatch = /^\/products\/(\d+)\/variations\/(\d+)$/.exec(rest!);
    if (variationMatch) {
      const variation = products.get(Number(variationMatch[2]));
      return variation && variation.type === 'variation' && variation.parentId === Number(variationMatch[1])
        ? Response.json(renderProduct(variation, baseUrl))
        : wooError('woocommerce_rest_product_variation_invalid_id', 'Invalid ID.', 404);
    }
    const variationsMatch = /^\/products\/(\d+)\/variations$/.exec(rest!);
    if (variationsMatch) return listProducts(url, Number(variationsMatch[1]));
    return batch(rest!, await request.text());
  }

  function page<T>(url: URL, items: T[], render: (item: T) => unknown): Response {
    const perPage = Number(url.searchParams.get('per_page') ?? '10');
    const pageNumber = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return wooError('rest_invalid_param', 'Invalid parameter(s): per_page', 400);
    }
    if (!Number.isInteger(pageNumber) || pageNumber < 1) return wooError('rest_invalid_param', 'Invalid parameter(s): page', 400);
    const totalPages = Math.ceil(items.length / perPage);
    if (pageNumber > totalPages && items.length > 0) {
      return wooError('woocommerce_rest_invalid_page_number', 'The page number requested is larger than the number of pages available.', 400);
    }
    const slice = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
    return Response.json(slice.map(render), { headers: { 'x-wp-total': String(items.length), 'x-wp-totalpages': String(totalPages) } });
  }

  /** Date params carry no zone (suffixes are ignored); without `dates_are_gmt` they are site-local. */
  function dateParam(url: URL, name: string): number | null | 'invalid' {
    const value = url.searchParams.get(name);
    if (value === null) return null;
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(value);
    if (!match) return 'invalid';
    const asUtc = Date.parse(`${match[1]}Z`) / 1000;
    return url.searchParams.get('dates_are_gmt') === 'true' ? asUtc : asUtc - offsetHours * 3600;
  }

  function listOrders(url: URL): Response {
    const after = dateParam(url, 'modified_after');
    const before = dateParam(url, 'modified_before');
    if (after === 'invalid' || before === 'invalid') return wooError('rest_invalid_param', 'Invalid parameter(s): modified_after', 400);
    const statusParam = url.searchParams.get('status');
    const statuses = statusParam && statusParam !== 'any' ? statusParam.split(',') : undefined;
    const orderby = url.searchParams.get('orderby') ?? 'date';
    const direction = url.searchParams.get('order') === 'asc' ? 1 : -1;
    // The pages of one listing share its query: the matching orders are computed once per query and store revision,
    // so each page costs its own orders, not the whole store (a 100,000-order backfill reads 1,000 pages).
    // The sizes and the clock as well: a change that forgets to bump the revision still moves one of them.
    const query = JSON.stringify([after, before, statuses ?? null, orderby, direction, revision, orders.size, published.size, clock]);
    let matching = listings.get(query);
    if (!matching) {
      const key = (order: FakeOrder | PublishedView) => (orderby === 'modified' ? order.modifiedSec : orderby === 'id' ? order.id : order.createdSec);
      const listed: ListedOrder[] = [
        ...[...orders.values()].map((order) => ({ order, render: () => renderOrderJson(order) })),
        ...[...published.values()].map((json) => ({ order: publishedView(json), render: () => json })),
      ];
      matching = listed
        // WP date_query bounds are exclusive.
        .filter(({ order }) => (after === null || order.modifiedSec > after) && (before === null || order.modifiedSec < before))
        .filter(({ order }) => (statuses ? statuses.includes(order.status) : order.status !== 'trash'))
        // WooCommerce extends `orderby` with ID so equal timestamps keep a stable order.
        .sort((a, b) => direction * (key(a.order) - key(b.order) || a.order.id - b.order.id));
      if (listings.size >= 4) listings.delete(listings.keys().next().value!);
      listings.set(query, matching);
    }
    const filter = fieldFilter(url.searchParams.get('_fields'));
    return page(url, matching, filter ? (entry) => filter(entry.render()) : (entry) => entry.render());
  }

  function listProducts(url: URL, parentId: number | undefined): Response {
    const skus = url.searchParams.get('sku')?.split(',').map((sku) => sku.trim());
    const type = url.searchParams.get('type');
    const matching = [...products.values()].filter((product) => {
      if (parentId !== undefined) return product.type === 'variation' && product.parentId === parentId && (!skus || skus.includes(product.sku));
      if (product.type === 'variation' && (!skus || options.legacySkuSearch)) return false;
      if (type && product.type !== type) return false;
      return !skus || skus.includes(product.sku);
    });
    return page(url, matching, (product) => renderProduct(product, baseUrl));
  }

  function batch(rest: string, body: string): Response {
    let payload: { create?: unknown[]; update?: Array<Record<string, unknown>>; delete?: unknown[] };
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      return wooError('rest_invalid_json', 'Invalid JSON body passed.', 400);
    }
    const count = (payload.create?.length ?? 0) + (payload.update?.length ?? 0) + (payload.delete?.length ?? 0);
    batches.push({ path: rest, items: count });
    if (count > batchLimit) {
      return wooError('woocommerce_rest_request_entity_too_large', `Unable to accept more than ${batchLimit} items for this request.`, 413);
    }
    const parentId = /^\/products\/(\d+)\/variations\/batch$/.exec(rest)?.[1];
    const update = (payload.update ?? []).map((item) => {
      const product = products.get(Number(item['id']));
      const wrongRoute = product && (parentId === undefined ? product.type === 'variation' : product.parentId !== Number(parentId));
      if (!product || wrongRoute) {
        const message = product?.type === 'variation' ? 'To manipulate product variations you should use the /products/<product_id>/variations/<id> endpoint.' : 'Invalid ID.';
        return { id: item['id'], error: { code: 'woocommerce_rest_product_invalid_id', message, data: { status: 400 } } };
      }
      if (typeof item['manage_stock'] === 'boolean') product.manageStock = item['manage_stock'];
      if (item['stock_quantity'] !== undefined) {
        // Quantities only stick on products that manage stock; otherwise WooCommerce clears them.
        product.stock = product.manageStock === true ? Math.trunc(Number(item['stock_quantity'])) : null;
      }
      return renderProduct(product, baseUrl);
    });
    return Response.json({ update });
  }

  /** `variety`: lines no store order needs to carry (a deleted product, a numeric SKU), for suites that read mapping. */
  function addOrder(status: string, variety = false): FakeOrder {
    revision += 1;
    // Three orders per second, so a page boundary often falls inside one second.
    if (seeded % 3 === 0) clock += 1;
    seeded += 1;
    const id = nextOrderId++;
    const variant = id % 4;
    const first = FIRST_NAMES[id % FIRST_NAMES.length]!;
    const lines: FakeOrder['lines'] = [
      { id: nextLineId++, productId: 200 + variant, variationId: 0, sku: `WOO-${variant}`, name: `Camiseta ${variant}`, quantity: 1 + (id % 3), unitCents: 4990 + variant * 1000 },
    ];
    if (variant !== 0) lines.push({ id: nextLineId++, productId: 300, variationId: 310 + variant, sku: `WOO-VAR-${variant}`, name: `Caneca &ndash; Cor ${variant}`, quantity: 2, unitCents: 1999 });
    // Every third order sells the variation the way WooCommerce's own `GET /orders/727` example does: `sku: ""` on
    // the line, the SKU only on the product record.
    if (id % 3 === 0 && lines[1]) {
      ensureCatalogue(lines[1]);
      lines[1].sku = '';
    }
    // Some orders sell a product whose SKU is all digits, which some stores send as a JSON number.
    if (variety && id % 10 === 7) lines.push({ id: nextLineId++, productId: 400, variationId: 0, sku: '40123', numericSku: true, name: 'Sabonete Artesanal', quantity: 3, unitCents: 890 });
    // One order in twelve still carries a line of a product the merchant has since deleted: WooCommerce then sends the
    // line with `sku: null` and its product id zeroed.
    if (variety && id % 12 === 11) lines.push({ id: nextLineId++, productId: 0, variationId: 0, sku: null, name: 'Chaveiro Edição Limitada', quantity: 1, unitCents: 1500 });
    const order: FakeOrder = {
      id,
      number: String(id + numberOffset),
      status,
      createdSec: clock,
      modifiedSec: clock,
      // Every fourth order is bought by a company: the plugin's person type J, the CNPJ in its own field.
      customer:
        variant === 1
          ? {
              // Some companies check out with the company field only, no person's name.
              ...(id % 8 === 5 ? { firstName: '', lastName: '', company: 'Comércio Exemplo Ltda' } : { firstName: first, lastName: 'Silva' }),
              email: `${first.toLowerCase()}@example.com`,
              phone: '11999990000',
              cpf: '529.982.247-25',
              // One company typed its CNPJ with a wrong check digit: not a CNPJ, so the CPF it also gave is the document.
              cnpj: id % 16 === 9 ? MISTYPED_CNPJ : '11.222.333/0001-81',
            }
          : {
              firstName: first,
              // A surname typed with a stray space at the end on some orders.
              lastName: id % 7 === 5 ? 'Silva ' : 'Silva',
              email: `${first.toLowerCase()}@example.com`,
              phone: '11999990000',
              // One person in twenty mistyped the CPF (only in the default seeds): with no CNPJ to fall back on, the
              // mapping passes it on and core drops it with a warning.
              cpf: variety && id % 20 === 6 ? MISTYPED_CPF : '123.456.789-09',
              // Some people bought once as a company: the plugin's CNPJ field keeps that CNPJ, the person type says F.
              ...(id % 8 === 4 ? { staleCnpj: '11.444.777/0001-61' } : {}),
            },
      lines,
      shippingCents: variant === 2 ? 0 : 1590,
      discountCents: variant === 3 ? 500 : 0,
      // A boleto surcharge on some orders; on others the Pix discount, which Brazilian stores give as a negative fee.
      feeCents: id % 5 === 0 ? 250 : id % 7 === 3 ? -150 : 0,
      taxCents: id % 7 === 0 ? 899 : 0,
      note: '',
    };
    orders.set(id, order);
    return order;
  }

  /** The product (or variation) behind a line, with the line's SKU, so a line sent without SKU can be looked up. */
  function ensureCatalogue(line: FakeOrder['lines'][number]): void {
    const sku = line.sku ?? '';
    if (line.variationId > 0) {
      if (!products.has(line.productId)) products.set(line.productId, { id: line.productId, parentId: 0, type: 'variable', sku: `WOO-PARENT-${line.productId}`, name: 'Caneca', manageStock: false, stock: null, priceCents: 0 });
      // Sold items manage their stock (at zero until a push), so stockOf knows them.
      if (!products.has(line.variationId)) products.set(line.variationId, { id: line.variationId, parentId: line.productId, type: 'variation', sku, name: line.name, manageStock: true, stock: 0, priceCents: line.unitCents });
    } else if (!products.has(line.productId)) {
      products.set(line.productId, { id: line.productId, parentId: 0, type: 'simple', sku, name: line.name, manageStock: true, stock: 0, priceCents: line.unitCents });
    }
  }

  function catalogueSku(line: FakeOrder['lines'][number]): string {
    const product = products.get(line.variationId > 0 ? line.variationId : line.productId);
    if (!product) throw new Error(`woocommerce fake: line ${line.id} has no SKU and no product`);
    return product.sku;
  }

  function webhookDelivery(externalId: string, topic: string, source = `${baseUrl}/`): { body: string; headers: Record<string, string> } {
    const order = orders.get(Number(externalId));
    const [resource = 'order', event = 'updated'] = topic.split('.');
    const body = event === 'deleted' || !order ? wpJsonEncode({ id: Number(externalId) }) : wpJsonEncode(renderOrderJson(order));
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
        'x-wc-webhook-source': source,
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-resource': resource,
        'x-wc-webhook-event': event,
        'x-wc-webhook-signature': hmacSha256Base64(webhookSecret, body),
        'x-wc-webhook-id': '7',
        'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
      },
    };
  }

  const fake: WooCommerceFake = {
    baseUrl,
    consumerKey,
    consumerSecret,
    webhookSecret,
    handle,

    loadPublishedOrder(order) {
      const json = structuredClone(order);
      const id = Number(json['id']);
      revision += 1;
      published.set(id, json);
      return String(id);
    },

    seedOrders(count, seedOptions) {
      // Orders seeded without a status carry the odd lines too; a caller that asks for a status (a pipeline run, the demo,
      // a benchmark) gets orders that every company can fill.
      return Array.from({ length: count }, () => String(addOrder(seedOptions?.status ?? 'processing', seedOptions?.status === undefined).id));
    },
    modifyOrder(externalId, changes) {
      const order = orders.get(Number(externalId));
      if (!order) throw new Error(`woocommerce fake: no order ${externalId}`);
      revision += 1;
      clock += 1;
      order.modifiedSec = clock;
      if (changes?.status) order.status = changes.status;
      else order.note = `${order.note}edited;`;
    },
    addMalformedOrder() {
      const order = addOrder('processing');
      order.corrupt = (json) => {
        const items = json['line_items'] as Array<Record<string, unknown>>;
        items[0]!['subtotal'] = '49.9O';
      };
      return { externalId: String(order.id), field: 'subtotal' };
    },
    addMalformedOrders() {
      // One order per field the mapping converts, each broken the way a plugin or a schema drift would break it.
      const breaks: Array<[string, (json: Record<string, unknown>) => void]> = [
        ['line_items.0.quantity', (json) => ((json['line_items'] as Array<Record<string, unknown>>)[0]!['quantity'] = 'dois')],
        ['line_items.1.quantity', (json) => ((json['line_items'] as Array<Record<string, unknown>>)[1]!['quantity'] = 1.2345)],
        ['line_items.1.subtotal', (json) => ((json['line_items'] as Array<Record<string, unknown>>)[1]!['subtotal'] = '19,90')],
        ['shipping_total', (json) => (json['shipping_total'] = '15.9O')],
        ['discount_total', (json) => (json['discount_total'] = 'R$ 5')],
        ['total_tax', (json) => (json['total_tax'] = '1.2.3')],
        ['total', (json) => (json['total'] = '')],
        ['fee_lines.0.total', (json) => (json['fee_lines'] = [{ id: 1, name: 'Taxa', total: '2,50' }])],
        ['refunds.0.total', (json) => (json['refunds'] = [{ id: 9, reason: '', total: '-abc' }])],
        ['date_created_gmt', (json) => (json['date_created_gmt'] = '2024-02-30T25:61:00')],
        ['date_modified_gmt', (json) => (json['date_modified_gmt'] = '2024-02-30T25:61:00')],
        // Breaks only the payload's shape catches (the amounts' readers would take them): WooCommerce writes amounts
        // as decimal strings, ids and the phone as they are typed, and every meta entry with its key.
        ['line_items.1.variation_id', (json) => ((json['line_items'] as Array<Record<string, unknown>>)[1]!['variation_id'] = null)],
        ['billing.phone', (json) => ((json['billing'] as Record<string, unknown>)['phone'] = 11999990000)],
        ['fee_lines.0.total', (json) => (json['fee_lines'] = [{ id: 1, name: 'Taxa', total: 2.5 }])],
        ['meta_data.0.key', (json) => (json['meta_data'] = [{ id: 1, value: '1' }, ...(json['meta_data'] as unknown[])])],
        // A line that is not an object, and an id written as text: refused by the schema, the rest of the page mapped, the
        // refused order still named by its id.
        ['line_items.1', (json) => ((json['line_items'] as unknown[])[1] = null)],
        ['id', (json) => (json['id'] = String(json['id']))],
      ];
      return breaks.map(([path, corrupt]) => {
        const order = addOrder('processing');
        if (order.lines.length < 2) order.lines.push({ ...order.lines[0]!, id: nextLineId++ });
        order.corrupt = corrupt;
        return { externalId: String(order.id), path };
      });
    },
    expectedOrder(externalId) {
      const order = orders.get(Number(externalId));
      if (!order) throw new Error(`woocommerce fake: no order ${externalId}`);
      const expected: ExpectedOrder = {
        externalId,
        number: order.number,
        status: order.status,
        totalCents: orderTotalCents(order),
        lines: order.lines.map((line) =>
          line.productId === 0
            ? {
                lineId: String(line.id),
                unmatched: { reason: 'sku-not-found' as const, detail: 'the product was deleted from the store (product_id 0)' },
                quantityMilli: line.quantity * 1000,
                unitPriceCents: line.unitCents,
                productRef: null,
              }
            : {
                lineId: String(line.id),
                sku: (line.sku || catalogueSku(line)).trim(),
                quantityMilli: line.quantity * 1000,
                unitPriceCents: line.unitCents,
                productRef: { productId: String(line.productId), ...(line.variationId > 0 ? { variantId: String(line.variationId) } : {}) },
              },
        ),
        // No refunds and a breakdown that adds up: only a deleted product's line, left without SKU, and a mistyped CPF are warned about.
        warnings: [
          ...(order.customer.cpf === MISTYPED_CPF ? [{ code: 'field-ignored' as const, field: 'customer.document' }] : []),
          ...order.lines.flatMap((line, lineIndex) => (line.productId === 0 ? [{ code: 'line-unmatched' as const, lineIndex }] : [])),
        ],
        // The billing person; the plugin's formatted CPF as its 11 digits.
        customer: {
          name: order.customer.firstName ? `${order.customer.firstName} ${order.customer.lastName}`.trim() : order.customer.company!,
          email: order.customer.email,
          ...(order.customer.cpf === MISTYPED_CPF ? {} : { document: (order.customer.cnpj && order.customer.cnpj !== MISTYPED_CNPJ ? order.customer.cnpj : order.customer.cpf).replace(/\D/g, '') }),
          phone: order.customer.phone,
        },
        ...(STATUS_MEANING[order.status] ? { intakeState: STATUS_MEANING[order.status] } : {}),
        // The `_gmt` fields the fake renders; the local `date_created` carries the store's offset.
        createdAt: new Date(order.createdSec * 1000).toISOString(),
        updatedAt: new Date(order.modifiedSec * 1000).toISOString(),
        totals: {
          itemsCents: order.lines.reduce((sum, line) => sum + subtotalCents(line), 0),
          shippingCents: order.shippingCents,
          discountCents: order.discountCents,
          feesCents: order.feeCents,
          taxCents: order.taxCents,
          totalCents: orderTotalCents(order),
        },
      };
      return expected;
    },

    throttleNext(times, retryAfterSeconds) {
      throttle = { times, seconds: retryAfterSeconds };
    },
    failNext(times, status = 500) {
      failure = { times, status };
    },

    seedVariant(parentSku, variantSku) {
      fake.seedVariableProduct(parentSku, [variantSku]);
    },
    seedProducts(skus) {
      for (const sku of skus) {
        const id = nextProductId++;
        products.set(id, { id, parentId: 0, type: 'simple', sku, name: `Produto ${sku}`, manageStock: false, stock: null, priceCents: 2990 });
      }
    },
    seedVariableProduct(parentSku, variationSkus) {
      const parentId = nextProductId++;
      products.set(parentId, { id: parentId, parentId: 0, type: 'variable', sku: parentSku, name: `Produto ${parentSku}`, manageStock: false, stock: null, priceCents: 0 });
      return variationSkus.map((sku) => {
        const id = nextProductId++;
        products.set(id, { id, parentId, type: 'variation', sku, name: `Produto ${parentSku} - ${sku}`, manageStock: 'parent', stock: null, priceCents: 3990 });
        return id;
      });
    },
    stockOf(sku) {
      const product = [...products.values()].find((candidate) => candidate.sku === sku);
      if (!product) return undefined;
      return product.manageStock === true && product.stock !== null ? product.stock * 1000 : undefined;
    },

    requests: () => [...log],
    unknownRequests: () => [...unknown],
    batchCalls: () => [...batches],
    maxInFlight: () => peak,
    now: () => clock,

    webhooks: {
      valid(externalId) {
        const { body, headers } = webhookDelivery(externalId, 'order.updated');
        return { rawBody: body, headers };
      },
      tampered(externalId) {
        const { body, headers } = webhookDelivery(externalId, 'order.updated');
        return { rawBody: body.replace(/"total":"(\d+)/, (_match, whole: string) => `"total":"${Number(whole) + 1}`), headers };
      },
      truncatedSignature(externalId) {
        const { body, headers } = webhookDelivery(externalId, 'order.updated');
        return { rawBody: body, headers: { ...headers, 'x-wc-webhook-signature': headers['x-wc-webhook-signature']!.slice(0, 12) } };
      },
      otherStore(externalId) {
        const { body, headers } = webhookDelivery(externalId, 'order.updated', 'https://outra-loja.example/');
        return { rawBody: body, headers };
      },
      unsigned(externalId) {
        const { body, headers } = webhookDelivery(externalId, 'order.updated');
        const { 'x-wc-webhook-signature': _signature, ...rest } = headers;
        return { rawBody: body, headers: rest };
      },
      delivery(externalId, topic) {
        const { body, headers } = webhookDelivery(externalId, topic);
        return { rawBody: body, headers };
      },
      ping(webhookId = 7) {
        return {
          rawBody: `webhook_id=${webhookId}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)' },
        };
      },
    },

    addWebhook(webhook) {
      const id = registeredWebhooks.length + 1;
      registeredWebhooks.push({ id, name: webhook.name ?? `Conecta ${webhook.topic}`, status: webhook.status ?? 'active', topic: webhook.topic, delivery_url: webhook.deliveryUrl });
      return id;
    },
    reset() {
      revision += 1;
      listings.clear();
      clock = startSec;
      registeredWebhooks.length = 0;
      nextOrderId = 1001;
      nextProductId = 501;
      nextLineId = 1;
      seeded = 0;
      orders.clear();
      published.clear();
      products.clear();
      log = [];
      unknown = [];
      batches = [];
      throttle = { times: 0, seconds: 0 };
      failure = { times: 0, status: 500 };
      peak = 0;
    },
  };
  return fake;
}
