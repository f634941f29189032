import { setTimeout as sleep } from 'node:timers/promises';
import { createFaultQueue, type MainoFault, type RouteMatch } from './faults.js';
import {
  authenticateRoute,
  cancelOrderRoute,
  createOrderRoute,
  getOrderRoute,
  listOrdersRoute,
  listProductsRoute,
  type RouteContext,
} from './routes.js';
import { json } from './serialise.js';
import { FakeStore, digits, type FakeOrder, type ProductSeed } from './state.js';

export type { MainoFault, RouteMatch } from './faults.js';
export type { FakeOrder, FakeOrderItem, ProductSeed } from './state.js';

export interface MainoFakeOptions {
  baseUrl?: string;
  applicationUid?: string;
  /** Lifetime of issued tokens (their JWT `exp`); default 24 h as the notes report. */
  tokenTtlSeconds?: number;
  /** The notes disagree on whether the CNPJ map comes bare or inside `value`. */
  authEnvelope?: 'bare' | 'value';
  /** False makes `GET /pedidos` ignore `referencia_externa`, the case where the assumed filter does not exist. */
  honourReferenceFilter?: boolean;
  /** False makes `GET /produtos` ignore `codigo` and answer every product, the case where the assumed filter does not exist. */
  honourSkuFilter?: boolean;
  /** How order items carry their quantity: `qtde` (assumed, default) or `quantidade` as a decimal string, as public client code shows. */
  orderItemQuantityField?: 'qtde' | 'quantidade';
  /** Product fields left out of `GET /produtos` answers (e.g. `qtde_armazenada`), as an account without them would. */
  omitProductFields?: string[];
  maxPerPage?: { produtos?: number; pedidos?: number };
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
  setStock(cnpj: string, sku: string, stock: { qtdeMilli?: number; committedMilli?: number }): void;
  stockOf(cnpj: string, sku: string): { qtdeMilli: number; committedMilli: number } | undefined;
  addUser(user: { email: string; password: string; cnpjs: string[]; name?: string }): void;
  addApiKey(cnpj: string, key: string): void;
  /** Invalidates every issued token, as a server-side revocation or a restart would. */
  revokeTokens(): void;

  orders(cnpj: string): FakeOrder[];
  countByReference(cnpj: string, reference: string): number;

  inject(fault: MainoFault): void;
  requests(): FakeRequestLogEntry[];
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
    orderItemQuantityField: options.orderItemQuantityField ?? 'qtde',
    omitProductFields: options.omitProductFields ?? [],
    maxPerPage: { produtos: options.maxPerPage?.produtos ?? 100, pedidos: options.maxPerPage?.pedidos ?? 50 },
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
      });
    }
    const known = /^(produtos|pedidos)(\/\d+)?$/.exec(path);
    if (!known) {
      unknown.push(`${method} ${path}`);
      return json({ error: 'Rota não encontrada' }, 404);
    }
    const cnpj = companyOf(request);
    if (!cnpj) return json({ error: 'Não autorizado' }, 401);
    entry.cnpj = cnpj;
    const context: RouteContext = { store, url, request, company: store.company(cnpj), options: routeOptions };
    const id = known[2] ? Number(known[2].slice(1)) : undefined;

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
    },
    stockOf(cnpj, sku) {
      const product = store.company(cnpj).products.get(sku);
      return product && { qtdeMilli: product.qtdeMilli, committedMilli: product.committedMilli };
    },
    addUser: (user) => {
      store.users.push({ ...user, name: user.name ?? user.email.split('@')[0]!, cnpjs: user.cnpjs.map(digits) });
    },
    addApiKey: (cnpj, key) => void store.apiKeys.set(key, digits(cnpj)),
    revokeTokens: () => store.tokens.clear(),

    orders: (cnpj) => store.company(cnpj).orders.map((order) => structuredClone(order)),
    countByReference: (cnpj, reference) => store.company(cnpj).orders.filter((order) => order.referencia_externa === reference).length,

    inject: (fault) => faults.add(fault),
    requests: () => log.map((entry) => ({ ...entry })),
    unknownRequests: () => [...unknown],
    reset(resetOptions = {}) {
      faults.clear();
      log = [];
      unknown = [];
      if (resetOptions.data) store = new FakeStore();
    },
  };
}
