import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFaultQueue, type MainoFault, type RouteMatch } from './faults.js';
import {
  authenticateRoute,
  cancelOrderRoute,
  createOrderRoute,
  getInvoiceRoute,
  getOrderRoute,
  listOrdersRoute,
  listProductsRoute,
  type RouteContext,
} from './routes.js';
import { json, type OrderShape } from './serialise.js';
import { FakeStore, digits, type FakeInvoice, type FakeOrder, type ProductSeed } from './state.js';
import type { TokenFormat } from './tokens.js';

export type { MainoFault, RouteMatch } from './faults.js';
export type { OrderShape } from './serialise.js';
export type { FakeInvoice, FakeOrder, FakeOrderItem, ProductSeed } from './state.js';
export type { TokenFormat } from './tokens.js';
export { REAL_INVOICE_TEMPLATE, REAL_ORDER_TEMPLATE } from './templates.js';

export interface MainoFakeOptions {
  baseUrl?: string;
  applicationUid?: string;
  /** Lifetime of issued tokens, enforced by the fake (and inside a `jwt` token's `exp`); default 24 h as the notes report. */
  tokenTtlSeconds?: number;
  /** `opaque` (default): 43-character tokens like the real one seen; `jwt`: JWT-shaped tokens with `exp`. */
  tokenFormat?: TokenFormat;
  /** How orders are written (see `OrderShape`); default `real`. An `order-shape` fault changes it for some answers. */
  orderShape?: OrderShape;
  /** Order ids: `uuid` (default) as real answers, `numeric` as the older notes assumed. */
  orderIdStyle?: 'uuid' | 'numeric';
  /** The notes disagree on whether the CNPJ map comes bare or inside `value`. */
  authEnvelope?: 'bare' | 'value';
  /** False makes `GET /pedidos` ignore `referencia_externa`, the case where the assumed filter does not exist. */
  honourReferenceFilter?: boolean;
  /** False makes `GET /produtos` ignore `codigo` and answer every product, the case where the assumed filter does not exist. */
  honourSkuFilter?: boolean;
  maxPerPage?: { produtos?: number; pedidos?: number };
  /**
   * Refuse an order asking for more than is available (422 naming "estoque"), as Mainô does unless the company
   * allows orders past zero. Default false: the fake accepts it and the stock goes negative.
   */
  refuseOversell?: boolean;
  /**
   * A limit per company credential: at most `requests` in any `intervalMs` window; requests beyond it are answered
   * 429 with Retry-After (and do not count). Mainô publishes none; the client assumes 2 per second.
   */
  rateLimit?: { requests: number; intervalMs: number };
}

export interface FakeRequestLogEntry {
  at: number;
  method: string;
  /** Path below the base URL with its query, e.g. `pedidos?page=1`. */
  url: string;
  status: number;
  /** Company the credential belonged to, when there was one. */
  cnpj?: string;
}

export interface MainoFake {
  readonly baseUrl: string;
  readonly applicationUid: string;
  handle(request: Request): Promise<Response>;

  addCompany(cnpj: string, name?: string): void;
  addProducts(cnpj: string, products: ProductSeed[]): number[];
  setStock(cnpj: string, sku: string, stock: { qtdeMilli?: number; committedMilli?: number; storedMilli?: number }): void;
  stockOf(cnpj: string, sku: string): { qtdeMilli: number; committedMilli: number; storedMilli: number } | undefined;
  addUser(user: { email: string; password: string; cnpjs: string[]; name?: string }): void;
  addApiKey(cnpj: string, key: string): void;
  /** Invalidates every issued token, as a server-side revocation or a restart would. */
  revokeTokens(): void;

  orders(cnpj: string): FakeOrder[];
  countByReference(cnpj: string, reference: string): number;
  /** Gives the order an invoice in this state (null removes it: the invoice route answers 404 again). */
  setInvoice(cnpj: string, orderId: string, status: FakeInvoice['status'] | null): FakeInvoice | null;

  inject(fault: MainoFault): void;
  requests(): FakeRequestLogEntry[];
  /** Requests answered 429 by the fake's own rate limit (not injected faults). */
  rateLimited(): number;
  unknownRequests(): string[];
  /** Clears faults and the request logs; with `{ data: true }` also every company, user and key. */
  reset(options?: { data?: boolean }): void;
}

/**
 * A stateful imitation of the Mainô API as this package assumes it (see the endpoint table), served as a fetch-style
 * handler. It enforces credentials per company, paginates, commits stock on orders and releases it on cancel, and
 * never deduplicates orders itself: at-most-once is the client's job, so the fake must not hide a duplicate.
 */
export function createMainoFake(options: MainoFakeOptions = {}): MainoFake {
  const baseUrl = (options.baseUrl ?? 'https://api.maino.com.br/api/v2').replace(/\/$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const applicationUid = options.applicationUid ?? 'fake-application-uid';
  const routeOptions: RouteContext['options'] = {
    honourReferenceFilter: options.honourReferenceFilter ?? true,
    honourSkuFilter: options.honourSkuFilter ?? true,
    maxPerPage: { produtos: options.maxPerPage?.produtos ?? 100, pedidos: options.maxPerPage?.pedidos ?? 50 },
    idStyle: options.orderIdStyle ?? 'uuid',
    refuseOversell: options.refuseOversell ?? false,
  };
  const windows = new Map<string, number[]>();
  let limited = 0;
  /** Milliseconds until the company may send again, or 0 when this request fits its window (and is counted). */
  const overLimit = (cnpj: string): number => {
    if (!options.rateLimit) return 0;
    const { requests, intervalMs } = options.rateLimit;
    const now = Date.now();
    const starts = (windows.get(cnpj) ?? []).filter((at) => at > now - intervalMs);
    windows.set(cnpj, starts);
    if (starts.length >= requests) return starts[0]! + intervalMs - now;
    starts.push(now);
    return 0;
  };
  let store = new FakeStore();
  const faults = createFaultQueue();
  let log: FakeRequestLogEntry[] = [];
  let unknown: string[] = [];

  const companyOf = (request: Request): string | undefined => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (bearer) {
      const token = store.tokens.get(bearer);
      return token && token.expiresAt > Date.now() ? token.cnpj : undefined;
    }
    const key = request.headers.get('x-api-key');
    return key ? store.apiKeys.get(key) : undefined;
  };

  async function route(request: Request, method: string, path: string, url: URL, entry: FakeRequestLogEntry): Promise<Response> {
    const fault = faults.takeFrontDoor(method, path);
    if (fault?.kind === 'latency') await sleep(fault.ms);
    if (fault?.kind === 'status') return json({ error: 'Erro interno' }, fault.status);
    if (fault?.kind === 'rate-limit') {
      return json({ error: 'Limite de requisições excedido' }, 429, { 'retry-after': String(fault.retryAfterSeconds) });
    }

    if (method === 'POST' && path === 'authentication') {
      return authenticateRoute(store, request, {
        applicationUid,
        tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400,
        authEnvelope: options.authEnvelope ?? 'bare',
        tokenFormat: options.tokenFormat ?? 'opaque',
      });
    }
    const known = /^(produtos|pedidos)(?:\/([^/]+))?(\/nota_fiscal)?$/.exec(path);
    if (!known) {
      unknown.push(`${method} ${path}`);
      return json({ error: 'Rota não encontrada' }, 404);
    }
    const cnpj = companyOf(request);
    if (!cnpj) return json({ error: 'Não autorizado' }, 401);
    entry.cnpj = cnpj;
    const waitMs = overLimit(cnpj);
    if (waitMs > 0) {
      limited += 1;
      return json({ error: 'Limite de requisições excedido' }, 429, { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
    }
    const carriesOrders = known[1] === 'pedidos' && !known[3];
    const context: RouteContext = {
      store,
      url,
      request,
      company: store.company(cnpj),
      options: routeOptions,
      shape: (carriesOrders ? faults.takeOrderShape() : undefined) ?? options.orderShape ?? 'real',
      omit: method === 'GET' && !known[2] ? faults.takeOmitted(known[1]!) : [],
    };
    const id = known[2] ? decodeURIComponent(known[2]) : undefined;
    if (known[3]) {
      if (known[1] === 'pedidos' && id !== undefined && method === 'GET') return getInvoiceRoute(context, id);
      unknown.push(`${method} ${path}`);
      return json({ error: 'Rota não encontrada' }, 404);
    }

    if (known[1] === 'produtos' && id === undefined && method === 'GET') return listProductsRoute(context);
    if (known[1] === 'pedidos' && id === undefined && method === 'GET') return listOrdersRoute(context);
    if (known[1] === 'pedidos' && id === undefined && method === 'POST') {
      const created = await createOrderRoute(context);
      if (!created.order) return created.response;
      const after = faults.takeCreate();
      if (after?.kind === 'store-then-hang') {
        await sleep(after.ms);
        return created.response;
      }
      if (after?.kind === 'store-then-status') return json({ error: 'Gateway Timeout' }, after.status ?? 504);
      return created.response;
    }
    if (known[1] === 'pedidos' && id !== undefined && method === 'GET') return getOrderRoute(context, id);
    if (known[1] === 'pedidos' && id !== undefined && method === 'DELETE') return cancelOrderRoute(context, id);
    unknown.push(`${method} ${path}`);
    return json({ error: 'Rota não encontrada' }, 404);
  }

  return {
    baseUrl,
    applicationUid,
    async handle(request) {
      const url = new URL(request.url);
      const method = request.method.toUpperCase();
      const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length).replace(/^\/+/, '') : url.pathname;
      const entry: FakeRequestLogEntry = { at: Date.now(), method, url: `${path}${url.search}`, status: 0 };
      log.push(entry);
      const response = await route(request, method, path, url, entry);
      entry.status = response.status;
      return response;
    },

    addCompany: (cnpj, name) => void store.addCompany(cnpj, name),
    addProducts: (cnpj, products) => store.addProducts(cnpj, products),
    setStock(cnpj, sku, stock) {
      const product = store.company(cnpj).products.get(sku);
      if (!product) throw new Error(`fake maino: no product ${sku} in ${cnpj}`);
      if (stock.qtdeMilli !== undefined) product.qtdeMilli = stock.qtdeMilli;
      if (stock.committedMilli !== undefined) product.committedMilli = stock.committedMilli;
      if (stock.storedMilli !== undefined) product.storedMilli = stock.storedMilli;
    },
    stockOf(cnpj, sku) {
      const product = store.company(cnpj).products.get(sku);
      return product && { qtdeMilli: product.qtdeMilli, committedMilli: product.committedMilli, storedMilli: product.storedMilli };
    },
    addUser: (user) => {
      store.users.push({ ...user, name: user.name ?? user.email.split('@')[0]!, cnpjs: user.cnpjs.map(digits) });
    },
    addApiKey: (cnpj, key) => void store.apiKeys.set(key, digits(cnpj)),
    revokeTokens: () => store.tokens.clear(),

    orders: (cnpj) => store.company(cnpj).orders.map((order) => structuredClone(order)),
    countByReference: (cnpj, reference) => store.company(cnpj).orders.filter((order) => order.referencia_externa === reference).length,
    setInvoice(cnpj, orderId, status) {
      const order = store.company(cnpj).orders.find((candidate) => candidate.id === orderId);
      if (!order) throw new Error(`fake maino: no order ${orderId} in ${cnpj}`);
      if (status === null) {
        order.notaFiscal = null;
        return null;
      }
      // NF-e access key: UF 35, yymm, issuer CNPJ, model 55, series, number, emission type, code, check digit.
      const company = store.company(cnpj);
      const accessKey = `352607${company.cnpj.padStart(14, '0')}55001${order.numero.padStart(9, '0')}1${order.numero.padStart(8, '0')}0`.slice(0, 44).padEnd(44, '0');
      order.notaFiscal = { id: order.notaFiscal?.id ?? randomUUID(), status, accessKey };
      return { ...order.notaFiscal };
    },

    inject: (fault) => faults.add(fault),
    requests: () => log.map((entry) => ({ ...entry })),
    rateLimited: () => limited,
    unknownRequests: () => [...unknown],
    reset(resetOptions = {}) {
      faults.clear();
      windows.clear();
      limited = 0;
      log = [];
      unknown = [];
      if (resetOptions.data) store = new FakeStore();
    },
  };
}
