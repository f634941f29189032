import {
  ConfigurationError,
  InsufficientStockError,
  NotFoundError,
  ValidationError,
  formatDateBr,
  normaliseCnpj,
  type CreateSalesOrderInput,
  type ErpPort,
  type ErpStockListing,
  type FieldIssue,
  type QuantityMilli,
} from '@conecta/core';
import { backoffDelay, createHttpClient, type HttpClient } from '@conecta/core/http';
import { createAuthHttpClient } from './auth.js';
import { createOnce } from './create-once.js';
import { orderPath, resolveEndpoints, type MainoEndpointTable } from './endpoints.js';
import {
  MAINO_BASE_URL,
  MAINO_DEFAULT_RATE_LIMIT,
  apiKeysByCnpj,
  groupCnpjs,
  requireSecureBaseUrl,
  type MainoClientOptions,
  type UnreadableReport,
} from './options.js';
import { paginate, type ListPage } from './pagination.js';
import { readInvoice, readOrder, readProduct, readReference, withRequestedPrices, type MainoInvoice, type MainoProduct, type MainoSalesOrder } from './read.js';
import { apiKeyCredentials, passwordCredentials, type CompanyCredentials } from './session.js';
import { validateCreateInput } from './validate-input.js';

type CallOptions = { signal?: AbortSignal };

export interface ListSalesOrdersOptions extends CallOptions {
  /** ISO instants or dates; sent as dd/mm/aaaa. */
  from?: string | Date;
  to?: string | Date;
  perPage?: number;
  /** First page to read (1-based). */
  page?: number;
}

/** What a lookup by reference saw: the order or null, and every field on the way it could not read. */
export interface MainoOrderLookup {
  order: MainoSalesOrder | null;
  /** Each path names the page and the entry, e.g. `page 2: pedidos[3].referencia_externa`. */
  unreadable: FieldIssue[];
  pagesRead: number;
  ordersSeen: number;
}

export interface MainoClient extends ErpPort {
  /** The group's companies as 14-digit CNPJs. */
  readonly companies: readonly string[];
  readonly endpoints: MainoEndpointTable;
  findProduct(cnpj: string, sku: string, options?: CallOptions): Promise<MainoProduct | null>;
  createSalesOrder(
    cnpj: string,
    input: CreateSalesOrderInput,
    options?: CallOptions & { firstAttempt?: boolean },
  ): Promise<{ order: MainoSalesOrder; reused: boolean }>;
  findSalesOrderByReference(cnpj: string, externalReference: string, options?: CallOptions): Promise<MainoSalesOrder | null>;
  /**
   * The company's catalogue with available stock (`GET /produtos`, 100 per page); with `modifiedSince`, only the
   * products changed since then when the endpoint table says the filter works (`incremental: true`).
   */
  listStock(cnpj: string, options?: CallOptions & { modifiedSince?: string }): Promise<ErpStockListing>;
  /** Like `findSalesOrderByReference`, with what could not be read on the pages it walked. */
  lookupSalesOrder(cnpj: string, externalReference: string, options?: CallOptions): Promise<MainoOrderLookup>;
  /** Sales orders of one company, page by page, following `pagination.next_page`; unreadable fields are on each order. */
  listSalesOrders(cnpj: string, options?: ListSalesOrdersOptions): AsyncIterable<ListPage<MainoSalesOrder>>;
  /** The order's invoice (NF-e) and its state, or undefined when Mainô answers 404 (the order has no invoice). */
  getInvoice(cnpj: string, erpOrderId: string, options?: CallOptions): Promise<MainoInvoice | undefined>;
}

export function createMainoClient(options: MainoClientOptions): MainoClient {
  const group = groupCnpjs(options.group);
  const endpoints = resolveEndpoints(options.endpoints);
  const baseUrl = requireSecureBaseUrl(options.baseUrl ?? MAINO_BASE_URL);
  const maxCreateAttempts = options.maxCreateAttempts ?? 3;
  const maxLookupPages = options.maxLookupPages ?? 10;
  const credentials = buildCredentials(options, group, endpoints, baseUrl);
  const clients = new Map<string, HttpClient>();

  /** Refuses a CNPJ outside the group before anything goes over the wire. */
  const scope = (cnpjInput: string): { cnpj: string; http: HttpClient } => {
    const cnpj = normaliseCnpj(cnpjInput);
    if (!cnpj || !group.has(cnpj)) {
      throw new ConfigurationError(`maino: company ${JSON.stringify(cnpjInput)} is not in the configured group`);
    }
    let http = clients.get(cnpj);
    if (!http) {
      http = createHttpClient({
        platform: 'maino',
        baseUrl,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.http ? { policy: options.http } : {}),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
        rateLimit: options.rateLimit ?? MAINO_DEFAULT_RATE_LIMIT,
        // Mainô limits each company's token: one schedule per company, shared by every client (and, with
        // shareRateLimits, every process) that calls for it.
        rateLimitKey: `${baseUrl} ${cnpj}`,
        secrets: options.auth.kind === 'password' ? [options.auth.applicationUid, options.auth.password] : [],
        authorize: ({ headers }) => credentials.authorize(cnpj, headers),
        onUnauthorized: () => credentials.renew(cnpj),
      });
      clients.set(cnpj, http);
    }
    return { cnpj, http };
  };

  const report = (operation: UnreadableReport['operation'], cnpj: string, issues: FieldIssue[], subject: string): void => {
    if (issues.length > 0) options.onUnreadable?.({ operation, cnpj, subject, issues });
  };

  async function findProductIn(cnpj: string, http: HttpClient, sku: string, signal?: AbortSignal): Promise<MainoProduct | null> {
    const endpoint = endpoints.products;
    const pages = paginate(http, {
      path: endpoint.path,
      listKey: endpoint.listKey,
      query: { [endpoint.skuParam]: sku, per_page: endpoint.perPage },
      maxPages: maxLookupPages,
      ...(signal ? { signal } : {}),
    });
    const skipped: FieldIssue[] = [];
    for await (const page of pages) {
      for (const [index, raw] of page.items.entries()) {
        const product = readProduct(raw, `page ${page.page}: ${endpoint.listKey}[${index}]`, endpoint);
        if ('unmatchable' in product) {
          skipped.push(product.unmatchable);
          continue;
        }
        // The filter name is assumed, so a server that ignores it must not make another SKU match.
        if (product.sku === sku) {
          report('stock', cnpj, [...skipped, ...product.unreadable], `product ${sku}`);
          return product;
        }
      }
    }
    // A product hidden behind an unreadable code must not look simply absent.
    report('stock', cnpj, skipped, `product ${sku} (not found)`);
    return null;
  }

  async function lookupIn(
    cnpj: string,
    http: HttpClient,
    reference: string,
    options: CallOptions & { around?: string } = {},
  ): Promise<MainoOrderLookup> {
    const endpoint = endpoints.orders;
    const query: Record<string, string | number> = { [endpoint.referenceParam]: reference, per_page: endpoint.perPage };
    if (options.around) Object.assign(query, dateWindow(endpoint, options.around));
    const pages = paginate(http, {
      path: endpoint.path,
      listKey: endpoint.listKey,
      query,
      maxPages: maxLookupPages,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const result: MainoOrderLookup = { order: null, unreadable: [], pagesRead: 0, ordersSeen: 0 };
    for await (const page of pages) {
      result.pagesRead += 1;
      for (const [index, raw] of page.items.entries()) {
        result.ordersSeen += 1;
        const path = `page ${page.page}: ${endpoint.listKey}[${index}]`;
        // Only the reference decides found or not found; the rest of an order is read once it matches, so an item
        // without a price on some other order never stops the answer.
        const { reference: seen, issue } = readReference(raw, path, endpoint);
        if (issue) result.unreadable.push(issue);
        if (seen !== reference) continue;
        const order = readOrder(raw, path, endpoint);
        result.unreadable.push(...order.unreadable);
        result.order = order;
        report('lookup', cnpj, result.unreadable, `reference ${reference}`);
        return result;
      }
    }
    report('lookup', cnpj, result.unreadable, `reference ${reference} (not found)`);
    return result;
  }

  const findOrderIn = async (cnpj: string, http: HttpClient, reference: string, options: CallOptions & { around?: string } = {}) =>
    (await lookupIn(cnpj, http, reference, options)).order;

  async function postOrder(cnpj: string, http: HttpClient, input: CreateSalesOrderInput, signal?: AbortSignal): Promise<MainoSalesOrder> {
    const endpoint = endpoints.createOrder;
    let response: Awaited<ReturnType<HttpClient['request']>>;
    try {
      response = await http.request<unknown>({
        method: endpoint.method,
        path: endpoint.path,
        json: endpoint.buildBody(input),
        idempotent: false,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // A refusal naming the stock: nothing was stored, and the pipeline plans the lines again on fresh figures.
      if (error instanceof ValidationError && endpoint.stockRefusal.test(error.message)) {
        const skus = input.lines.map((line) => line.sku).filter((sku) => error.message.includes(sku));
        throw new InsufficientStockError(`maino: company ${cnpj} refused order ${input.externalReference} for lack of stock: ${error.message}`, { skus, cause: error });
      }
      throw error;
    }
    const order = withRequestedPrices(readOrder(unwrap(response.data, endpoint.responseKey), 'pedido', endpoints.orders), input.lines);
    if (order.id) {
      report('create', cnpj, order.unreadable, `reference ${input.externalReference}`);
      // Some APIs do not echo unknown fields; the order was still created for this reference.
      return order.externalReference ? order : { ...order, externalReference: input.externalReference };
    }
    // Stored but without a readable id: the list is the other way to see it.
    const stored = await findOrderIn(cnpj, http, input.externalReference, { around: input.issuedAt, ...(signal ? { signal } : {}) });
    if (stored) return stored;
    throw new ValidationError([{ path: 'pedido', message: 'the created order could not be read' }], { subject: 'maino create order answer' });
  }

  return {
    companies: [...group],
    endpoints,

    async findProduct(cnpj, sku, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      return findProductIn(company, http, sku, callOptions.signal);
    },

    async getStock(cnpj, skus, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      const stock = new Map<string, QuantityMilli>();
      // No batch filter is known, so one lookup per distinct SKU, paced by the token's bucket.
      for (const sku of new Set(skus)) {
        const product = await findProductIn(company, http, sku, callOptions.signal);
        if (product) stock.set(sku, product.availableMilli);
      }
      return stock;
    },

    async listStock(cnpj, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      const endpoint = endpoints.products;
      const incremental = callOptions.modifiedSince !== undefined && endpoint.modifiedSinceWorks;
      const query: Record<string, string | number> = { per_page: endpoint.perPage };
      // Day-granular (dd/mm/aaaa, as the other date filters): the whole day is listed again, a superset.
      if (incremental) query[endpoint.modifiedSinceParam] = formatDateBr(callOptions.modifiedSince!);
      const levels = new Map<string, QuantityMilli>();
      const skipped: FieldIssue[] = [];
      let pages = 0;
      for await (const page of paginate(http, { path: endpoint.path, listKey: endpoint.listKey, query, ...(callOptions.signal ? { signal: callOptions.signal } : {}) })) {
        pages += 1;
        for (const [index, raw] of page.items.entries()) {
          const product = readProduct(raw, `page ${page.page}: ${endpoint.listKey}[${index}]`, endpoint);
          if ('unmatchable' in product) skipped.push(product.unmatchable);
          else {
            skipped.push(...product.unreadable);
            levels.set(product.sku, product.availableMilli);
          }
        }
      }
      report('stock', company, skipped, incremental ? 'products changed since the last listing' : 'product listing');
      return { levels, pages: Math.max(1, pages), incremental };
    },

    async createSalesOrder(cnpj, input, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      validateCreateInput(input);
      const policy = { base: options.http?.baseDelayMs ?? 300, cap: options.http?.maxDelayMs ?? 20_000 };
      // Every order createOnce returns comes from postOrder or the lookup, both MainoSalesOrder.
      return createOnce({
        reference: input.externalReference,
        maxAttempts: maxCreateAttempts,
        pauseMs: (attempt) => policy.base + backoffDelay(attempt, policy.base, policy.cap),
        lookup: () => findOrderIn(company, http, input.externalReference, { around: input.issuedAt, ...(callOptions.signal ? { signal: callOptions.signal } : {}) }),
        create: () => postOrder(company, http, input, callOptions.signal),
        ...(callOptions.firstAttempt ? { firstAttempt: true } : {}),
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      }) as Promise<{ order: MainoSalesOrder; reused: boolean }>;
    },

    async findSalesOrderByReference(cnpj, externalReference, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      return findOrderIn(company, http, externalReference, callOptions);
    },

    async lookupSalesOrder(cnpj, externalReference, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      return lookupIn(company, http, externalReference, callOptions);
    },

    async getInvoice(cnpj, erpOrderId, callOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      const endpoint = endpoints.invoice;
      try {
        const response = await http.request<unknown>({
          method: endpoint.method,
          path: orderPath(endpoint.path, erpOrderId),
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        });
        const raw = unwrap(response.data, endpoint.responseKey);
        // The one real client treats `{nota_fiscal: null}` like the 404: no invoice.
        if (raw === null || raw === undefined) return undefined;
        const invoice = readInvoice(raw, endpoint.responseKey ?? 'nota_fiscal');
        report('invoice', company, invoice.unreadable, `order ${erpOrderId}`);
        return invoice;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },

    async cancelSalesOrder(cnpj, erpOrderId, callOptions = {}) {
      const { http } = scope(cnpj);
      const signal = callOptions.signal ? { signal: callOptions.signal } : {};
      try {
        await http.request({ method: endpoints.cancelOrder.method, path: orderPath(endpoints.cancelOrder.path, erpOrderId), responseType: 'text', ...signal });
      } catch (error) {
        // A refusal may only mean "already cancelled" (also after a retried DELETE that had gone through).
        const code = (error as { code?: string }).code;
        if (code !== 'VALIDATION' && code !== 'CONFLICT') throw error;
        const response = await http.get<unknown>(orderPath(endpoints.getOrder.path, erpOrderId), undefined, signal);
        const order = readOrder(unwrap(response.data, endpoints.getOrder.responseKey), 'pedido', endpoints.orders);
        if (order.statusLabel === undefined || order.status !== 'cancelled') throw error;
      }
    },

    listSalesOrders(cnpj, listOptions = {}) {
      const { cnpj: company, http } = scope(cnpj);
      const endpoint = endpoints.orders;
      const query: Record<string, string | number> = { per_page: listOptions.perPage ?? endpoint.perPage };
      if (listOptions.from) query[endpoint.dateFromParam] = formatDateBr(listOptions.from);
      if (listOptions.to) query[endpoint.dateToParam] = formatDateBr(listOptions.to);
      return mapPages(
        paginate(http, {
          path: endpoint.path,
          listKey: endpoint.listKey,
          query,
          ...(listOptions.page ? { firstPage: listOptions.page } : {}),
          ...(listOptions.signal ? { signal: listOptions.signal } : {}),
        }),
        (raw, index, page) => {
          const order = readOrder(raw, `page ${page}: ${endpoint.listKey}[${index}]`, endpoint);
          report('list', company, order.unreadable, `order ${order.id || `${page}/${index}`}`);
          return order;
        },
      );
    },
  };
}

function buildCredentials(options: MainoClientOptions, group: Set<string>, endpoints: MainoEndpointTable, baseUrl: string): CompanyCredentials {
  const auth = options.auth;
  if (auth.kind === 'api-key') return apiKeyCredentials(apiKeysByCnpj(auth.keys, group));
  for (const [name, value] of Object.entries({ applicationUid: auth.applicationUid, email: auth.email, password: auth.password })) {
    if (!value) throw new ConfigurationError(`maino: auth.${name} is required for password authentication`);
  }
  const http = createAuthHttpClient({
    baseUrl,
    applicationUid: auth.applicationUid,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.http ? { http: options.http } : {}),
  });
  return passwordCredentials(http, endpoints.authenticate, auth, options.tokenRefreshMarginMs ?? 5 * 60 * 1000);
}

/** From the sale's day to today, both ends included: whichever date Mainô filters on, the order is inside. */
function dateWindow(endpoint: MainoEndpointTable['orders'], issuedAt: string): Record<string, string> {
  const issued = Date.parse(issuedAt);
  const now = Date.now();
  const from = Number.isNaN(issued) ? now : Math.min(issued, now);
  const to = Number.isNaN(issued) ? now : Math.max(issued, now);
  return { [endpoint.dateFromParam]: formatDateBr(new Date(from)), [endpoint.dateToParam]: formatDateBr(new Date(to)) };
}

function unwrap(data: unknown, key: string | null): unknown {
  if (key && data && typeof data === 'object' && key in data) return (data as Record<string, unknown>)[key];
  return data;
}

async function* mapPages<T>(pages: AsyncIterable<ListPage<unknown>>, map: (raw: unknown, index: number, page: number) => T): AsyncIterable<ListPage<T>> {
  for await (const page of pages) yield { ...page, items: page.items.map((raw, index) => map(raw, index, page.page)) };
}
