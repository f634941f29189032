import type { ExpectedOrder, PlatformFake } from '@conecta/core/fakes';
import type { WebhookInput } from '@conecta/core';
import { FakeClock } from './clock.js';
import { FakeLimits } from './limits.js';
import { json, listEnvelope, trayError as error } from './responses.js';
import { FakeTokens } from './tokens.js';
import { FAKE_STATUSES, FAKE_STATUS_MEANING, UNPLACED_AMOUNTS, feesCents, itemsCents, completeShape, detailShape, listShape, placedTotalCents, productShape, totalCents, variantShape, type FakeCustomer, type FakeOrder, type FakeProduct, type FakeStatus, type UnplacedAmount } from './data.js';
import { PublishedOrders } from './published.js';

export interface TrayFakeOptions {
  /** The store's api_address. */
  apiAddress?: string;
  storeId?: string;
  accessToken?: string;
  refreshToken?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** The `code` the install callback would hand over, exchangeable once at `POST /auth`. */
  authorizationCode?: string;
  timeZone?: string;
  /** ISO instant the store clock starts at. Default: yesterday 23:59:30 store time. */
  startAt?: string;
  /** Requests per day before Tray's daily quota answers 429 (default 10,000). */
  dailyLimit?: number;
  /** Requests per rolling minute before 429 (default 180). */
  minuteLimit?: number;
  /** Lifetime of issued access tokens in ms (default 3 h, as Tray documents). */
  accessTokenLifetimeMs?: number;
  /** The app's notification URL registered with Tray, without the secret segment. */
  webhookUrl?: string;
  webhookPathToken?: string;
}

export interface TrayFake extends PlatformFake {
  readonly storeId: string;
  readonly credentials: { accessToken: string; refreshToken: string; consumerKey: string; consumerSecret: string; authorizationCode: string };
  /** Tokens the store currently accepts (they change on every refresh). */
  tokens(): { accessToken: string; refreshToken: string };
  /** The current access token stops working with Tray's "expired" error (401, error_code 1000). */
  expireAccessToken(): void;
  /** A store that is not active answers every call 401 with error_code 1001 (blocked), 1002 (inactive) or 1003 (cancelled). */
  setStoreState(state: 'active' | 'blocked' | 'inactive' | 'cancelled'): void;
  /** Adds a product with variants; each variant reference is a sellable SKU. */
  seedProductWithVariants(reference: string, variantReferences: string[]): void;
  /** Adds an order with exactly these lines (quantities and prices as Tray writes them), sharing the current second. */
  addOrder(lines: Array<{ reference: string; quantity: string; price: string; productId?: string; variantId?: string }>, options?: { status?: string; shipping?: string; discount?: string; partialTotal?: string; total?: string; id?: string }): string;
  /**
   * Serves an order exactly as Tray published it (`{ Order }` of `/orders/:id/complete`, or one `Order` of a `GET
   * /orders` page). A listing record lacks the customer and the items; `/complete` then adds the fake's placeholders
   * for what Tray did not publish (a nameless customer, items with no reference and no product).
   */
  loadPublishedOrder(record: Record<string, unknown>): string;
  /** Serves a variant or product exactly as Tray published it (`{ Variant }` or `{ Product }`). */
  loadPublishedCatalogue(record: Record<string, unknown>): void;
  /** Advances the store clock. */
  advanceClock(seconds: number): void;
  /** Every status of the store, as `/orders/statuses` lists them. */
  statusNames(): string[];
  /** The merchant fixes an order added by `addMalformedOrder`: its payload is valid again and its modified time moves on. */
  repairMalformedOrder(externalId: string): void;
}

const DEFAULTS = {
  apiAddress: 'https://loja-conecta.commercesuite.com.br/web_api',
  storeId: '391250',
  accessToken: 'APP_ID-4084-STORE_ID-391250-9f2c1d7e5b3a4c6d8e0f',
  refreshToken: 'RT-4084-391250-7a6b5c4d3e2f1a0b9c8d',
  consumerKey: 'ck-conecta-4084-2f8e1b',
  consumerSecret: 'cs-conecta-4084-77d2a9c3',
  authorizationCode: 'code-4084-391250-5e1f0a',
  webhookUrl: 'https://app.conecta.example/hooks/tray',
  webhookPathToken: 'wh-7c3f9a1e5d2b8f40',
};

/**
 * A stateful imitation of one Tray store's `web_api`, served as a fetch-style handler. It keeps Tray's habits: every
 * scalar a string, per-record envelopes, `paging` with a maximum limit of 50, the day-granular `modified` filter,
 * `access_token` in the query string, 401 with `error_code`, 429 on the per-minute and per-day limits.
 */
export function createTrayFake(options: TrayFakeOptions = {}): TrayFake {
  // An option passed as undefined (an unset env var) keeps its default instead of erasing it.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as TrayFakeOptions;
  const config = { ...DEFAULTS, ...given };
  const baseUrl = config.apiAddress.replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname;
  const timeZone = options.timeZone ?? 'America/Sao_Paulo';
  const clock = new FakeClock(options.startAt ? Date.parse(options.startAt) : FakeClock.defaultStart(timeZone), timeZone);
  const limits = new FakeLimits(clock, options.minuteLimit ?? 180, options.dailyLimit ?? 10_000);
  const tokens = new FakeTokens({ ...config, apiHost: baseUrl, lifetimeMs: options.accessTokenLifetimeMs ?? 3 * 3_600_000 }, clock);

  let orders = new Map<string, FakeOrder>();
  const malformedIds = new Set<string>();
  const published = new PublishedOrders();
  let products: FakeProduct[] = [];
  let statuses: FakeStatus[] = [];
  let nextOrderId = 0;
  let nextLineId = 0;
  let nextProductId = 0;
  let seeded = 0;
  let log: Array<{ at: number; method: string; url: string; status: number }> = [];
  let unknown: string[] = [];

  function reset(): void {
    clock.reset();
    orders = new Map();
    malformedIds.clear();
    published.reset();
    products = [];
    statuses = FAKE_STATUSES.map((status) => ({ ...status }));
    nextOrderId = 1000;
    nextLineId = 5000;
    nextProductId = 100;
    seeded = 0;
    tokens.reset();
    limits.reset();
    log = [];
    unknown = [];
  }
  reset();

  // ---- state helpers ----
  function makeOrder(status: string): FakeOrder {
    const n = seeded++;
    // Three orders per store second, as on a busy store.
    if (n % 3 === 0) clock.advance(1 + (n % 2));
    const id = String(++nextOrderId);
    const lineCount = 1 + (n % 3);
    const lines = Array.from({ length: lineCount }, (_, index) => {
      const fractional = n % 4 === 1 && index === 0;
      // The third line is a variant sold the way Tray's published example shows it: `reference` empty, the SKU
      // only on the variant (`/products/variants/:id`). Five variants in all, so a backlog repeats them as a real
      // store's best sellers do.
      const variant = index === 2 ? ensureVariant(String(5200 + (n % 5)), String(9000 + (n % 5))) : undefined;
      return {
        id: String(++nextLineId),
        productId: variant ? String(5200 + (n % 5)) : String(200 + ((n + index) % 7)),
        variantId: variant ? variant.id : '0',
        reference: variant ? '' : `TRAY-SKU-${(n + index) % 7}`,
        name: variant ? `Camiseta Algodão ${n % 5} - M` : `Produto ${(n + index) % 7}`,
        // A fractional quantity (sold by weight) on some orders; whole units above one on others.
        quantityMilli: fractional ? 1500 : 1000 * (1 + ((n + index) % 3)),
        priceCents: 1990 + 1000 * ((n * 7 + index * 3) % 11) + (fractional ? 10 : 0),
        ...(n % 5 === 1 && index === 0 ? { paddedReference: true } : {}),
      };
    });
    return {
      id,
      status,
      createdAt: clock.current(),
      modifiedAt: clock.current(),
      updates: 0,
      lines,
      shippingCents: n % 2 === 0 ? 1590 : 0,
      discountCents: n % 7 === 3 ? 250 : 0,
      ...(n % 5 === 0 ? { coupon: { code: 'natal25', discountCents: 500 } } : {}),
      // A boleto surcharge on some orders, as `payment_method_rate` in Tray's published example.
      paymentRateCents: n % 4 === 2 ? 350 : 0,
      // A surcharge (`taxes`) and instalment interest on others.
      ...(n % 6 === 1 ? { taxesCents: 120 } : {}),
      ...(n % 6 === 4 ? { interestCents: 275 } : {}),
      ...unplacedAmounts(n),
      // One order in twelve written the way Tray's older payloads are (no `interest`, no progressive amounts).
      ...(n % 12 === 8 ? { legacy: true } : {}),
      ...(n % 12 === 9 ? { zeroDate: true } : {}),
      customer: makeCustomer(n),
    };
  }

  /**
   * Amounts Tray sends without saying where they belong, on a few orders of every dozen: a progressive discount, one on
   * shipping with `value_1`, and the cart's additional values. Each one the connector must warn about.
   */
  function unplacedAmounts(n: number): Pick<FakeOrder, 'unplaced'> {
    if (n % 12 === 7) return { unplaced: { progressive_discount: 300 } };
    if (n % 12 === 10) return { unplaced: { shipping_progressive_discount: 150, value_1: 200 } };
    if (n % 12 === 11) return { unplaced: { cart_additional_values_discount: 100, cart_additional_values_increase: 400 } };
    return {};
  }

  /** People with a CPF and, on some orders, companies with a CNPJ (one of them alphanumeric, IN RFB 2.229/2024). */
  function makeCustomer(n: number): FakeCustomer {
    const id = String(70 + (n % 9));
    if (n % 6 === 3) {
      // One company typed its CNPJ with a wrong check digit (it also gave a CPF, which then is the valid document).
      const mistyped = n % 12 === 9;
      const cnpj = n % 12 === 3 ? '12.ABC.345/01DE-35' : mistyped ? '11.222.333/0001-82' : '11.222.333/0001-81';
      // Some companies registered with the company name only (typed with a stray space, as merchants' data often is).
      const companyName = n % 12 === 9 ? ` Comércio Exemplo ${n % 9} Ltda ` : `Comércio Exemplo ${n % 9} Ltda`;
      return { id, name: n % 12 === 9 ? '' : `Comércio Exemplo ${n % 9}`, email: `compras${n % 9}@example.com`, cellphone: '(11) 3333-4444', type: '1', cpf: '529.982.247-25', cnpj, ...(mistyped ? { cnpjMistyped: true } : {}), companyName };
    }
    // Some people registered only a landline (`phone`, no `cellphone`).
    const phones = n % 9 === 4 ? { cellphone: '', phone: '(11) 3222-1111' } : { cellphone: '(11) 98765-4321' };
    // A person who once bought as a company keeps that CNPJ on the customer record: the type ("0") says the CPF counts.
    const cnpj = n % 12 === 4 ? '11.444.777/0001-61' : '';
    // Some names typed with a stray space at the end.
    return { id, name: n % 12 === 2 ? `Cliente ${n % 9} ` : `Cliente ${n % 9}`, email: `cliente${n % 9}@example.com`, ...phones, type: '0', cpf: '123.456.789-09', cnpj, companyName: '' };
  }

  /** The catalogue entry behind a variant line, so `/products/variants/:id` can tell its reference. */
  function ensureVariant(productId: string, variantId: string) {
    let product = products.find((entry) => entry.id === productId);
    if (!product) {
      product = { id: productId, reference: `TRAY-PROD-${productId}`, name: `Camiseta Algodão ${productId}`, stock: 0, variants: [] };
      products.push(product);
    }
    let variant = product.variants.find((entry) => entry.id === variantId);
    if (!variant) {
      variant = { id: variantId, reference: `TRAY-VAR-${productId}-${variantId}`, stock: 5 };
      product.variants.push(variant);
    }
    return variant;
  }

  function ensureStatus(name: string): void {
    if (!statuses.some((status) => status.status === name)) statuses.push({ id: String(100 + statuses.length), status: name, type: 'open', default: '1' });
  }

  function variantReference(variantId: string): string {
    for (const product of products) for (const variant of product.variants) if (variant.id === variantId) return variant.reference;
    throw new Error(`tray fake: no variant ${variantId}`);
  }

  function variantByReference(reference: string) {
    for (const product of products) for (const variant of product.variants) if (variant.reference === reference) return { product, variant };
    return undefined;
  }

  // ---- routes ----
  type Handler = (request: Request, url: URL, params: string[]) => Response | Promise<Response>;
  const routes: Array<{ method: string; pattern: RegExp; auth: boolean; handler: Handler }> = [];
  const route = (method: string, pattern: RegExp, handler: Handler, auth = true) => routes.push({ method, pattern, auth, handler });

  route('POST', /^\/auth$/, async (request) => tokens.exchange(new URLSearchParams(await request.text())), false);

  route('GET', /^\/auth$/, (_request, url) => tokens.refreshWith(url.searchParams.get('refresh_token')), false);

  route('GET', /^\/orders$/, (_request, url) => {
    const query = url.searchParams;
    let list = [
      ...[...orders.values()].map((order) => ({ id: order.id, status: order.status, modified: clock.local(order.modifiedAt), shape: () => listShape(order, clock, statuses) })),
      ...published.listEntries(),
    ];
    const applied: Record<string, string>[] = [];
    const modified = query.get('modified');
    if (modified !== null) {
      const range = /^\s*(\d{4}-\d{2}-\d{2})\s*(?:,\s*(\d{4}-\d{2}-\d{2})\s*)?$/.exec(modified);
      if (!range) return error(400, 'Bad Request', ['Filtro modified inválido; formato aaaa-mm-dd']);
      const from = range[1]!;
      const to = range[2] ?? from;
      list = list.filter((order) => {
        const dayOf = order.modified.slice(0, 10);
        return dayOf >= from && dayOf <= to;
      });
      applied.push({ modified });
    }
    const status = query.get('status');
    if (status !== null) list = list.filter((order) => order.status === status);
    const sort = query.get('sort') ?? 'id_desc';
    if (sort !== 'id_asc' && sort !== 'id_desc') return error(400, 'Bad Request', [`Ordenação inválida: ${sort}`]);
    list.sort((a, b) => Number(a.id) - Number(b.id));
    if (sort === 'id_desc') list.reverse();
    return listEnvelope('Orders', 'Order', list.map((order) => order.shape()), query, applied);
  });

  route('GET', /^\/orders\/statuses$/, (_request, url) =>
    listEnvelope('OrderStatuses', 'OrderStatus', statuses.map((status) => ({ status: status.status, id: status.id, show_backoffice: '1' })), url.searchParams),
  );

  route('GET', /^\/orders\/statuses\/(\d+)$/, (_request, _url, [id]) => {
    const status = statuses.find((entry) => entry.id === id);
    return status ? json(200, { OrderStatus: { status: status.status, id: status.id, default: status.default } }) : error(404, 'Not Found');
  });

  route('GET', /^\/orders\/([^/]+)$/, (_request, _url, [id]) => {
    const publishedOrder = published.detail(id!);
    if (publishedOrder) return json(200, { Order: publishedOrder });
    const order = orders.get(id!);
    return order ? json(200, { Order: detailShape(order, clock, statuses) }) : error(404, 'Not Found', ['Pedido não encontrado']);
  });

  route('GET', /^\/orders\/([^/]+)\/complete$/, (_request, _url, [id]) => {
    const publishedOrder = published.complete(id!);
    if (publishedOrder) return json(200, publishedOrder);
    const order = orders.get(id!);
    return order ? json(200, { Order: completeShape(order, clock, statuses) }) : error(404, 'Not Found', ['Pedido não encontrado']);
  });

  route('GET', /^\/products$/, (_request, url) => {
    const reference = url.searchParams.get('reference');
    // Partial match on purpose: whether Tray matches `reference` exactly is unconfirmed, so the connector must not rely on it.
    const list = products.filter((product) => reference === null || product.reference.includes(reference));
    return listEnvelope('Products', 'Product', list.map(productShape), url.searchParams);
  });

  route('GET', /^\/products\/variants$/, (_request, url) => {
    const reference = url.searchParams.get('reference');
    const list = products.flatMap((product) =>
      product.variants.filter((variant) => reference === null || variant.reference.includes(reference)).map((variant) => variantShape(product, variant)),
    );
    return listEnvelope('Variants', 'Variant', list, url.searchParams);
  });

  route('GET', /^\/products\/variants\/(\d+)$/, (_request, _url, [id]) => {
    const publishedVariant = published.catalogue('Variant', id!);
    if (publishedVariant) return json(200, publishedVariant);
    for (const product of products) {
      const variant = product.variants.find((entry) => entry.id === id);
      if (variant) return json(200, { Variant: variantShape(product, variant) });
    }
    return error(404, 'Not Found', ['Variação não encontrada']);
  });

  route('GET', /^\/products\/(\d+)$/, (_request, _url, [id]) => {
    const publishedProduct = published.catalogue('Product', id!);
    if (publishedProduct) return json(200, publishedProduct);
    const product = products.find((entry) => entry.id === id);
    return product ? json(200, { Product: productShape(product) }) : error(404, 'Not Found', ['Produto não encontrado']);
  });

  route('PUT', /^\/products\/variants\/(\d+)$/, async (request, _url, [id]) => {
    const found = products.flatMap((product) => product.variants).find((variant) => variant.id === id);
    if (!found) return error(404, 'Not Found', ['Variação não encontrada']);
    const stock = await stockFrom(request, 'Variant');
    if (stock instanceof Response) return stock;
    found.stock = stock;
    return json(200, { message: 'Saved', id, code: 200 });
  });

  route('PUT', /^\/products\/(\d+)$/, async (request, _url, [id]) => {
    const product = products.find((entry) => entry.id === id);
    if (!product) return error(404, 'Not Found', ['Produto não encontrado']);
    const stock = await stockFrom(request, 'Product');
    if (stock instanceof Response) return stock;
    product.stock = stock;
    return json(200, { message: 'Saved', id, code: 200 });
  });

  async function stockFrom(request: Request, key: string): Promise<number | Response> {
    const body = (await request.json().catch(() => undefined)) as Record<string, Record<string, unknown>> | undefined;
    const raw = body?.[key]?.['stock'];
    const stock = Number(raw);
    if (raw === undefined || raw === '' || !Number.isInteger(stock) || stock < 0) return error(400, 'Bad Request', [`${key}.stock deve ser um inteiro`]);
    return stock;
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const now = Date.now();
    const shown = `${url.pathname}${url.search}`.replace(/(access_token|refresh_token)=[^&]*/g, '$1=***');
    const entry = { at: now, method: request.method, url: shown, status: 0 };
    log.push(entry);
    const response = await respond(request, url, now);
    entry.status = response.status;
    return response;
  }

  async function respond(request: Request, url: URL, now: number): Promise<Response> {
    const refused = limits.check(now);
    if (refused) return refused;
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : null;
    const match = path === null ? undefined : routes.map((candidate) => ({ candidate, found: candidate.method === request.method ? candidate.pattern.exec(path) : null })).find((item) => item.found);
    if (!match) {
      unknown.push(`${request.method} ${url.pathname}`);
      return error(404, 'Not Found', ['Recurso não encontrado']);
    }
    if (match.candidate.auth) {
      const denied = tokens.authorize(url);
      if (denied) return denied;
    }
    try {
      return await match.candidate.handler(request, url, match.found!.slice(1));
    } catch (caught) {
      return error(500, 'Internal Server Error', [caught instanceof Error ? caught.message : String(caught)]);
    }
  }

  function delivery(externalId: string, changes: { sellerId?: string; token?: string | null } = {}): WebhookInput {
    const order = orders.get(externalId);
    const body = new URLSearchParams({
      seller_id: changes.sellerId ?? config.storeId,
      scope_id: externalId,
      scope_name: 'order',
      act: order && order.updates > 0 ? 'update' : 'insert',
      app_code: '4084',
      url_notification: `${config.webhookUrl}/${config.webhookPathToken}`,
    });
    const pathToken = changes.token === null ? '' : `/${changes.token ?? config.webhookPathToken}`;
    return { rawBody: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, url: `${config.webhookUrl}${pathToken}` };
  }

  const fake: TrayFake = {
    baseUrl,
    storeId: config.storeId,
    credentials: {
      accessToken: config.accessToken,
      refreshToken: config.refreshToken,
      consumerKey: config.consumerKey,
      consumerSecret: config.consumerSecret,
      authorizationCode: config.authorizationCode,
    },
    handle,
    seedOrders(count, seedOptions) {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const status = seedOptions?.status ?? 'A ENVIAR';
        ensureStatus(status);
        const order = makeOrder(status);
        orders.set(order.id, order);
        ids.push(order.id);
      }
      return ids;
    },
    addOrder(lines, addOptions = {}) {
      const status = addOptions.status ?? 'A ENVIAR';
      ensureStatus(status);
      const order = makeOrder(status);
      if (addOptions.id) order.id = addOptions.id;
      order.coupon = undefined;
      order.paymentRateCents = 0;
      order.discountCents = 0;
      delete order.unplaced;
      delete order.legacy;
      delete order.zeroDate;
      order.lines = lines.map((line, index) => ({
        id: String(++nextLineId),
        productId: line.productId ?? String(300 + index),
        variantId: line.variantId ?? '0',
        reference: line.reference,
        name: line.reference,
        quantityMilli: 0,
        priceCents: 0,
      }));
      order.corrupt = (shape) => {
        const items = shape['ProductsSold'] as Array<{ ProductsSold: Record<string, unknown> }>;
        lines.forEach((line, index) => Object.assign(items[index]!.ProductsSold, { quantity: line.quantity, price: line.price }));
        Object.assign(shape, {
          shipment_value: addOptions.shipping ?? '0.00',
          discount: addOptions.discount ?? '0.00',
          partial_total: addOptions.partialTotal ?? '0.00',
          total: addOptions.total ?? '0.00',
        });
      };
      orders.set(order.id, order);
      return order.id;
    },
    repairMalformedOrder(externalId) {
      const order = orders.get(externalId);
      if (!order || !malformedIds.delete(externalId)) throw new Error(`tray fake: ${externalId} is not a malformed order`);
      delete order.corrupt;
      order.updates += 1;
      order.modifiedAt = clock.advance(1);
    },
    loadPublishedOrder: (record) => published.addOrder(record),
    loadPublishedCatalogue: (record) => published.addCatalogue(record),
    modifyOrder(externalId, changes) {
      const order = orders.get(externalId);
      if (!order) throw new Error(`tray fake: no order ${externalId}`);
      if (changes?.status) {
        ensureStatus(changes.status);
        order.status = changes.status;
      }
      order.updates += 1;
      order.modifiedAt = clock.advance(1);
    },
    addMalformedOrder() {
      const order = makeOrder('A ENVIAR');
      // Tray never sends a currency symbol; a broken price is what a schema drift would look like.
      order.corrupt = (shape) => {
        const items = shape['ProductsSold'] as Array<{ ProductsSold: Record<string, unknown> }>;
        items[0]!.ProductsSold['price'] = 'R$ 19,90 (promo)';
      };
      orders.set(order.id, order);
      malformedIds.add(order.id);
      return { externalId: order.id, field: 'price' };
    },
    addMalformedOrders() {
      // One order per field the mapping converts, each broken the way a schema drift or a bad import would break it.
      const item = (shape: Record<string, unknown>, index: number) => (shape['ProductsSold'] as Array<{ ProductsSold: Record<string, unknown> }>)[index]!.ProductsSold;
      const breaks: Array<[string, (shape: Record<string, unknown>) => void]> = [
        ['ProductsSold.1.quantity', (shape) => (item(shape, 1)['quantity'] = '1,5')],
        ['ProductsSold.1.price', (shape) => (item(shape, 1)['price'] = '19,90')],
        ['partial_total', (shape) => (shape['partial_total'] = 'abc')],
        ['shipment_value', (shape) => (shape['shipment_value'] = '15.9O')],
        ['discount', (shape) => (shape['discount'] = 'R$ 2')],
        ['payment_method_rate', (shape) => (shape['payment_method_rate'] = '3,50')],
        ['taxes', (shape) => (shape['taxes'] = 'x')],
        ['interest', (shape) => (shape['interest'] = '1.2.3')],
        ['total', (shape) => (shape['total'] = '12.3.4')],
        ['coupon.discount', (shape) => (shape['coupon'] = { code: 'natal25', discount: 'cinco' })],
        ['discount_coupon', (shape) => (shape['discount_coupon'] = 'natal25/5,00')],
        ['date', (shape) => (shape['date'] = '2024-02-30')],
        // Structural breaks: a payload whose parts are missing or of another kind, as a changed API would send them.
        ['Customer', (shape) => delete shape['Customer']],
        // PHP encodes an empty record as an empty list.
        ['Customer', (shape) => (shape['Customer'] = [])],
        ['modified', (shape) => (shape['modified'] = '2024-02-30 10:00:00')],
        // PHP encodes a list with gaps in its keys as an object.
        ['ProductsSold', (shape) => (shape['ProductsSold'] = { 1: (shape['ProductsSold'] as unknown[])[1] })],
        ['ProductsSold.0', (shape) => ((shape['ProductsSold'] as unknown[])[0] = null)],
        ['status', (shape) => (shape['status'] = ' ')],
      ];
      return breaks.map(([path, corrupt]) => {
        const order = makeOrder('A ENVIAR');
        if (order.lines.length < 2) order.lines.push({ ...order.lines[0]!, id: String(++nextLineId) });
        order.corrupt = corrupt;
        orders.set(order.id, order);
        malformedIds.add(order.id);
        return { externalId: order.id, path };
      });
    },
    expectedOrder(externalId): ExpectedOrder {
      const order = orders.get(externalId);
      if (!order) throw new Error(`tray fake: no order ${externalId}`);
      return {
        externalId: order.id,
        number: order.id,
        status: order.status,
        totalCents: totalCents(order),
        lines: order.lines.map((line) => ({
          lineId: line.id,
          sku: line.reference || variantReference(line.variantId),
          quantityMilli: line.quantityMilli,
          unitPriceCents: line.priceCents,
          productRef: { productId: line.productId, ...(line.variantId !== '0' ? { variantId: line.variantId } : {}) },
        })),
        customer: expectedCustomer(order.customer),
        warnings: expectedWarnings(order),
        statusLabel: statuses.find((status) => status.status === order.status)?.description || null,
        ...(FAKE_STATUS_MEANING[order.status] ? { intakeState: FAKE_STATUS_MEANING[order.status] } : {}),
        // Without a placement date, the order is taken as placed when it was last changed.
        createdAt: new Date(order.zeroDate ? order.modifiedAt : order.createdAt).toISOString(),
        updatedAt: new Date(order.modifiedAt).toISOString(),
        totals: {
          itemsCents: itemsCents(order),
          shippingCents: order.shippingCents,
          discountCents: order.discountCents + (order.coupon?.discountCents ?? 0),
          feesCents: feesCents(order),
          taxCents: 0,
          totalCents: totalCents(order),
        },
      };
    },
    throttleNext: (times, retryAfterSeconds) => limits.throttleNext(times, retryAfterSeconds),
    failNext: (times, status = 500) => limits.failNext(times, status),
    seedProducts(skus) {
      for (const sku of skus) products.push({ id: String(++nextProductId), reference: sku, name: `Produto ${sku}`, stock: 10, variants: [] });
    },
    seedVariant(parentSku, variantSku) {
      fake.seedProductWithVariants(parentSku, [variantSku]);
    },
    seedProductWithVariants(reference, variantReferences) {
      const product: FakeProduct = { id: String(++nextProductId), reference, name: `Produto ${reference}`, stock: 0, variants: [] };
      for (const variantReference of variantReferences) product.variants.push({ id: String(++nextProductId + 1000), reference: variantReference, stock: 5 });
      products.push(product);
    },
    stockOf(sku) {
      const variant = variantByReference(sku);
      if (variant) return variant.variant.stock * 1000;
      const product = products.find((entry) => entry.reference === sku);
      return product ? product.stock * 1000 : undefined;
    },
    requests: () => log.map((entry) => ({ ...entry })),
    unknownRequests: () => [...unknown],
    webhooks: {
      valid: (externalId) => delivery(externalId),
      // Unsigned platform: "tampering" is a body that names another store than the one the token was issued for.
      tampered: (externalId) => delivery(externalId, { sellerId: '999999' }),
      unsigned: (externalId) => delivery(externalId, { token: null }),
      truncatedSignature: (externalId) => delivery(externalId, { token: config.webhookPathToken.slice(0, 6) }),
      otherStore: (externalId) => delivery(externalId, { sellerId: String(Number(config.storeId) + 1) }),
    },
    tokens: () => tokens.current(),
    expireAccessToken: () => tokens.expire(),
    setStoreState: (state) => tokens.setStoreState(state),
    advanceClock(seconds) {
      clock.advance(seconds);
    },
    statusNames: () => statuses.map((status) => status.status),
    reset,
  };
  return fake;
}

/**
 * An undocumented amount that is not zero is named (in Tray's field order, the order the connector checks them in),
 * and, since Tray's total counts it, the breakdown no longer adds up; every other amount is placed and adds up.
 */
function expectedWarnings(order: FakeOrder): NonNullable<ExpectedOrder['warnings']> {
  const ignored = (Object.keys(UNPLACED_AMOUNTS) as UnplacedAmount[]).filter((field) => (order.unplaced?.[field] ?? 0) !== 0);
  return [
    ...ignored.map((field) => ({ code: 'field-ignored' as const, field })),
    ...(totalCents(order) !== placedTotalCents(order) ? [{ code: 'totals-mismatch' as const }] : []),
  ];
}

/**
 * The canonical customer the fake's `Customer` means: a company's CNPJ first (Tray's type "1", unless it is not a valid
 * CNPJ), else the CPF, with
 * punctuation stripped; the cellphone (else the landline) as Tray wrote it.
 */
function expectedCustomer(customer: FakeCustomer): NonNullable<ExpectedOrder['customer']> {
  const document = (customer.type === '1' && !customer.cnpjMistyped ? customer.cnpj : customer.cpf).replace(/[./-]/g, '').toUpperCase();
  return { name: customer.name.trim() || customer.companyName.trim(), email: customer.email, document, phone: customer.cellphone || customer.phone };
}
