import {
  ConfigurationError,
  ValidationError,
  formatDateBr,
  normaliseCnpj,
  parseWith,
  type CreateSalesOrderInput,
  type ErpPort,
  type ErpProduct,
  type ErpSalesOrder,
  type QuantityMilli,
} from '@conecta/core';
import { createHttpClient, resolveRateLimit, type HttpClient } from '@conecta/core/http';
import { createAuthHttpClient } from './auth.js';
import { createOnce } from './create-once.js';
import { orderPath, resolveEndpoints, type MainoEndpointTable } from './endpoints.js';
import { toErpProduct, toErpSalesOrder } from './mapping.js';
import {
  MAINO_BASE_URL,
  MAINO_DEFAULT_RATE_LIMIT,
  apiKeysByCnpj,
  groupCnpjs,
  requireSecureBaseUrl,
  type MainoClientOptions,
} from './options.js';
import { paginate, type ListPage } from './pagination.js';
import { MainoOrderSchema, MainoProductSchema } from './schemas.js';
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

export interface MainoClient extends ErpPort {
  /** The group's companies as 14-digit CNPJs. */
  readonly companies: readonly string[];
  readonly endpoints: MainoEndpointTable;
  /** Sales orders of one company, page by page, following `pagination.next_page`. */
  listSalesOrders(cnpj: string, options?: ListSalesOrdersOptions): AsyncIterable<ListPage<ErpSalesOrder>>;
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
        rateLimit: resolveRateLimit(MAINO_DEFAULT_RATE_LIMIT, options.rateLimit),
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

  async function findProductIn(http: HttpClient, sku: string, signal?: AbortSignal): Promise<ErpProduct | null> {
    const endpoint = endpoints.products;
    const pages = paginate(http, {
      path: endpoint.path,
      listKey: endpoint.listKey,
      query: { [endpoint.skuParam]: sku, per_page: endpoint.perPage },
      maxPages: maxLookupPages,
      ...(signal ? { signal } : {}),
    });
    for await (const page of pages) {
      for (const [index, raw] of page.items.entries()) {
        const product = parseWith(MainoProductSchema, raw, `maino ${endpoint.listKey}[${index}]`);
        // The filter name is assumed, so a server that ignores it must not make another SKU match.
        if (product.codigo === sku) return toErpProduct(product, `${endpoint.listKey}[${index}]`);
      }
    }
    return null;
  }

  async function findOrderIn(
    http: HttpClient,
    reference: string,
    options: CallOptions & { around?: string } = {},
  ): Promise<ErpSalesOrder | null> {
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
    for await (const page of pages) {
      for (const [index, raw] of page.items.entries()) {
        const order = parseWith(MainoOrderSchema, raw, `maino ${endpoint.listKey}[${index}]`);
        if (order.referencia_externa === reference) return toErpSalesOrder(order, `${endpoint.listKey}[${index}]`);
      }
    }
    return null;
  }

  async function postOrder(http: HttpClient, input: CreateSalesOrderInput, signal?: AbortSignal): Promise<ErpSalesOrder> {
    const endpoint = endpoints.createOrder;
    const response = await http.request<unknown>({
      method: endpoint.method,
      path: endpoint.path,
      json: endpoint.buildBody(input),
      idempotent: false,
      ...(signal ? { signal } : {}),
    });
    const raw = unwrap(response.data, endpoint.responseKey);
    const parsed = MainoOrderSchema.safeParse(raw);
    if (parsed.success) {
      const order = toErpSalesOrder(parsed.data, 'pedido');
      // Some APIs do not echo unknown fields; the order was still created for this reference.
      return order.externalReference ? order : { ...order, externalReference: input.externalReference };
    }
    // Stored but unreadable: the list is the other way to see it.
    const stored = await findOrderIn(http, input.externalReference, { around: input.issuedAt, ...(signal ? { signal } : {}) });
    if (stored) return stored;
    throw new ValidationError([{ path: 'pedido', message: 'the created order could not be read' }], { subject: 'maino create order answer' });
  }

  return {
    companies: [...group],
    endpoints,

    async findProduct(cnpj, sku, callOptions = {}) {
      const { http } = scope(cnpj);
      return findProductIn(http, sku, callOptions.signal);
    },

    async getStock(cnpj, skus, callOptions = {}) {
      const { http } = scope(cnpj);
      const stock = new Map<string, QuantityMilli>();
      // No batch filter is known, so one lookup per distinct SKU, paced by the token's bucket.
      for (const sku of new Set(skus)) {
        const product = await findProductIn(http, sku, callOptions.signal);
        if (product) stock.set(sku, product.availableMilli);
      }
      return stock;
    },

    async createSalesOrder(cnpj, input, callOptions = {}) {
      const { http } = scope(cnpj);
      validateCreateInput(input);
      return createOnce({
        reference: input.externalReference,
        maxAttempts: maxCreateAttempts,
        pause: { baseMs: options.http?.baseDelayMs ?? 300, capMs: options.http?.maxDelayMs ?? 20_000 },
        lookup: () => findOrderIn(http, input.externalReference, { around: input.issuedAt, ...(callOptions.signal ? { signal: callOptions.signal } : {}) }),
        create: () => postOrder(http, input, callOptions.signal),
        ...(callOptions.firstAttempt ? { firstAttempt: true } : {}),
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      });
    },

    async findSalesOrderByReference(cnpj, externalReference, callOptions = {}) {
      const { http } = scope(cnpj);
      return findOrderIn(http, externalReference, callOptions);
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
        const order = toErpSalesOrder(parseWith(MainoOrderSchema, unwrap(response.data, endpoints.getOrder.responseKey), 'maino pedido'), 'pedido');
        if (order.status !== 'cancelled') throw error;
      }
    },

    listSalesOrders(cnpj, listOptions = {}) {
      const { http } = scope(cnpj);
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
        (raw, index) => toErpSalesOrder(parseWith(MainoOrderSchema, raw, `maino ${endpoint.listKey}[${index}]`), `${endpoint.listKey}[${index}]`),
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

async function* mapPages<T>(pages: AsyncIterable<ListPage<unknown>>, map: (raw: unknown, index: number) => T): AsyncIterable<ListPage<T>> {
  for await (const page of pages) yield { ...page, items: page.items.map(map) };
}
