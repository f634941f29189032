import { parseQuantity } from '@conecta/core';
// Type-only: the testing entry pulls in vitest and msw at runtime, which a fake served outside tests must not need.
import type { ExpectedOrder, PlatformFake } from '@conecta/core/fakes';
import { MERCOS_HOSTS } from '../options.js';
import { compareWallTime, isWallTime, normaliseWallTime } from '../local-time.js';
import { FakeClock } from './clock.js';
import {
  renderCustomStatus,
  renderCustomer,
  renderOrder,
  renderProduct,
  orderTotalCents,
  subtotalCents,
  type FakeCustomStatus,
  type FakeCustomer,
  type FakeItem,
  type FakeOrder,
  type FakeProduct,
} from './store.js';
import { ThrottleGate, type ThrottleViolation } from './throttle.js';

/**
 * What each status means to a merchant, written here by hand (not read from the connector's dictionary) so the
 * contract checks the dictionary against an independent reading: a quote is not a sale; a deleted order is void.
 */
const STATUS_MEANING: Record<string, 'pending' | 'finalized' | 'cancelled' | 'ignored'> = { '0': 'cancelled', '1': 'ignored', '2': 'pending', excluido: 'cancelled' };

/**
 * The account's custom statuses (`/v1/pedidos/status`, as in Mercos' examples) and what each means to the merchant:
 * an order being picked is still a sale to fulfil; one ready for delivery has left the stock.
 */
export const FAKE_CUSTOM_STATUSES: ReadonlyArray<{ nome: string; meaning: 'pending' | 'finalized' }> = [
  { nome: 'Aguardando estoque', meaning: 'pending' },
  { nome: 'Pronto para entrega', meaning: 'finalized' },
];

/** Mercos' wall times are São Paulo's, which has kept UTC-3 all year since 2019. */
const saoPauloToUtc = (wallTime: string): string => new Date(`${wallTime.replace(' ', 'T')}-03:00`).toISOString();

export const FAKE_APPLICATION_TOKEN = 'fake-mercos-application-token-5f2c';
export const FAKE_COMPANY_TOKEN = 'fake-mercos-company-token-91ab';

export interface MercosFakeOptions {
  /** Default: the sandbox host. */
  baseUrl?: string;
  applicationToken?: string;
  companyToken?: string;
  /**
   * Records per list call before `MEUSPEDIDOS_LIMITOU_REGISTROS: 1`. Defaults: orders 20 (the docs' "no máximo 20"
   * for `registros_por_pagina`), products 500 (observed on a real account), custom statuses 500.
   */
  pageSize?: { orders?: number; products?: number; statuses?: number };
  /** Records stamped within one second before the clock moves on. Default 3. */
  recordsPerSecond?: number;
  /** First `ultima_alteracao`, Brasília wall time. */
  clockStart?: string;
  /** A steady limit like the real account's (none by default: tests throttle with `throttleNext`). */
  limit?: { requests: number; windowSeconds: number };
  /** A call during a wait is refused with the remaining wait times this factor. Default 2. */
  penaltyFactor?: number;
  /** Real time, for throttle windows and the request log. */
  now?: () => number;
  /**
   * The connector under test reports custom statuses (its `customStatuses.use`): the expected status of an order
   * that is not cancelled and carries a `status_custom_id` is `custom:<id>`. Default false, as the connector's.
   */
  reportsCustomStatuses?: boolean;
}

export interface MercosFake extends PlatformFake {
  /** Calls that came before a 429's wait ended. Mercos may block such a client for good. */
  violations(): ThrottleViolation[];
  /** Adds an account custom status (`/v1/pedidos/status`); returns its id. */
  addCustomStatus(nome: string): number;
  /** Product ids by SKU, as Mercos would report them. */
  productId(sku: string): number | undefined;
  /** Mercos refuses adjustments of this SKU with a 412 (as for a product it cannot adjust), failing its whole batch. */
  lockStock(sku: string): void;
  /**
   * Serves a real order payload verbatim (a published example) in `GET /v2/pedidos` (by its `ultima_alteracao`) and
   * at `GET /v2/pedidos/{id}`. Returns its id.
   */
  addPublishedOrder(raw: Record<string, unknown>): string;
  /** Serves a real customer payload verbatim at `GET /v1/clientes/{id}` (`id` defaults to the payload's own). */
  addPublishedCustomer(raw: Record<string, unknown>, id?: number): void;
  /**
   * The reads beside the order pages that a listing of the seeded orders needs, by what the orders name: each product
   * a live line names (a removed line's product is not sold, so not looked up), each customer, and the account's
   * custom statuses once when an order carries one. A lookup more or one missing is a listing that is not economical
   * or an order mapped without its product or customer.
   */
  listingLookups(): { products: number; customers: number; customStatuses: number };
  /** The customer an order names (`cliente_id`), as the connector should report it. */
  expectedCustomer(externalId: string): { name: string; document: string; email: string; phone: string };
}

const DEFAULT_PRODUCTS: Array<[string, string, number]> = [
  ['MRC-0001', 'Caneta esferográfica azul cx 50', 4590],
  ['MRC-0002', 'Papel sulfite A4 500 fls', 2899],
  ['MRC-0003', 'Grampeador de mesa', 3750],
  ['MRC-0004', 'Café torrado 1 kg', 5290],
  ['MRC-0005', 'Copo descartável 200 ml pct 100', 899],
];
/** A product registered without a code (Mercos' `codigo` is optional): its lines cannot be matched to a SKU. */
const UNCODED_PRODUCT: [string, string, number] = ['', 'Display de balcão (sem código)', 1990];
const QUANTITIES = [2000, 1500, 1000, 12_000, 250, 3000];
/** Orders share these customers, as a B2B account's do: a numeric CNPJ, an alphanumeric one, a CPF. */
const DEFAULT_CUSTOMERS: Array<Omit<FakeCustomer, 'id' | 'ultimaAlteracao'>> = [
  { razaoSocial: 'Loja do Zé LTDA', nomeFantasia: 'Zé Store', tipo: 'J', cnpj: '46487899000110', email: 'jose@zestore.com.br', telefone: '(47) 9876-5432' },
  { razaoSocial: 'Café & Cia Comércio LTDA', nomeFantasia: 'Café & Cia', tipo: 'J', cnpj: '12ABC34501DE35', email: 'compras@cafeecia.com.br', telefone: '(11) 3333-4444' },
  { razaoSocial: 'João Conceição', nomeFantasia: '', tipo: 'F', cnpj: '52998224725', email: 'joao@exemplo.com.br', telefone: '(21) 98888-7777' },
];
const DISCOUNTS = [0, 5, 10, 0, 7.5];

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/** Mercos answers 401 with this text, served as HTML, not JSON. */
const UNAUTHORIZED = '{\n\t"Sem permissao para acessar recurso"\n}';

function invalid(campo: string, mensagem: string): Response {
  return json(412, { mensagem: 'Dados inválidos', erros: [{ campo, mensagem }] });
}

/** A stateful Mercos API (orders v2, products, custom statuses, stock adjustment) as a fetch-style handler. */
export function createMercosFake(options: MercosFakeOptions = {}): MercosFake {
  const baseUrl = (options.baseUrl ?? MERCOS_HOSTS.sandbox).replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const applicationToken = options.applicationToken ?? FAKE_APPLICATION_TOKEN;
  const companyToken = options.companyToken ?? FAKE_COMPANY_TOKEN;
  const pageSize = { orders: 20, products: 500, statuses: 500, ...options.pageSize };
  const now = options.now ?? Date.now;
  const clock = new FakeClock(options.clockStart ?? '2026-03-02 09:00:00', options.recordsPerSecond ?? 3);
  const gate = new ThrottleGate(options.limit, options.penaltyFactor ?? 2);

  let orders = new Map<number, FakeOrder>();
  let products = new Map<number, FakeProduct>();
  let customStatuses = new Map<number, FakeCustomStatus>();
  let customers = new Map<number, FakeCustomer>();
  let publishedOrders = new Map<number, { id: number; ultimaAlteracao: string; raw: Record<string, unknown> }>();
  let publishedCustomers = new Map<number, Record<string, unknown>>();
  let nextId = 1;
  let nextNumero = 1001;
  let failures: number[] = [];
  let log: Array<{ at: number; method: string; url: string; status: number }> = [];
  let unknown: string[] = [];
  let locked = new Set<string>();

  const newId = () => 80_000 + nextId++;

  function addProduct(codigo: string, nome: string, priceCents: number): FakeProduct {
    const product: FakeProduct = { id: newId(), codigo, nome, priceCents, stockMilli: 0, excluido: false, ultimaAlteracao: clock.stamp() };
    products.set(product.id, product);
    return product;
  }

  function catalog(): FakeProduct[] {
    const defaults = DEFAULT_PRODUCTS.map(([codigo, nome, price]) => [...products.values()].find((p) => p.codigo === codigo) ?? addProduct(codigo, nome, price));
    return defaults;
  }

  /** The account's custom statuses, registered on first use (stamped apart from the data clock, as customers are). */
  function customStatusFor(nome: string): FakeCustomStatus {
    const existing = [...customStatuses.values()].find((status) => status.nome === nome);
    if (existing) return existing;
    const status: FakeCustomStatus = { id: customStatuses.size + 1, nome, excluido: false, ultimaAlteracao: '2026-01-02 08:00:00' };
    customStatuses.set(status.id, status);
    return status;
  }

  function customerFor(index: number): FakeCustomer {
    const template = DEFAULT_CUSTOMERS[index % DEFAULT_CUSTOMERS.length]!;
    const existing = [...customers.values()].find((customer) => customer.razaoSocial === template.razaoSocial);
    if (existing) return existing;
    // Stamped apart from the data clock, so adding customers does not move the orders' `ultima_alteracao`.
    const customer: FakeCustomer = { ...template, id: 500 + customers.size + 1, ultimaAlteracao: '2026-01-02 08:00:00' };
    customers.set(customer.id, customer);
    return customer;
  }

  /** The customer record an order's `cliente_id` names, as the canonical order carries it. */
  function customerMeant(clienteId: number): { name: string; document: string; email: string; phone: string } {
    const customer = customers.get(clienteId)!;
    return { name: customer.razaoSocial, document: customer.cnpj, email: customer.email, phone: customer.telefone };
  }

  function newOrder(index: number, status: string | undefined): FakeOrder {
    const available = catalog();
    const lineCount = 1 + (index % 3);
    const items: FakeItem[] = [];
    for (let line = 0; line < lineCount; line += 1) {
      const product = available[(index + line * 2) % available.length]!;
      const discountPercent = DISCOUNTS[(index + line) % DISCOUNTS.length]!;
      items.push({
        id: newId(),
        produtoId: product.id,
        quantityMilli: QUANTITIES[(index + line) % QUANTITIES.length]!,
        tableCents: product.priceCents,
        // Integer cents, half-up, the way Mercos shows a discounted price.
        netCents: Math.floor((product.priceCents * (1000 - discountPercent * 10) + 500) / 1000),
        discountPercent,
        // Some products are registered with IPI, which Mercos adds to the item.
        ipiPercent: index % 5 === 2 && line === 0 ? 10 : 0,
        excluido: false,
      });
    }
    // Only in the default seeds (no status asked), like the status variety below: a flow seeded with a status sells coded products.
    if (status === undefined && index % 8 === 6) {
      const [codigo, nome, price] = UNCODED_PRODUCT;
      const product = [...products.values()].find((p) => p.nome === nome) ?? addProduct(codigo, nome, price);
      items.push({ id: newId(), produtoId: product.id, quantityMilli: 1000, tableCents: price, netCents: price, discountPercent: 0, ipiPercent: 0, excluido: false });
    }
    // A line the salesperson removed stays in the order with `excluido: true` (the item keeps its place). From the
    // first order on, so that even a one-order listing names a product only on a removed line (never looked up).
    if (index % 4 === 0) {
      const product = available[(index + 1) % available.length]!;
      items.unshift({ id: newId(), produtoId: product.id, quantityMilli: 4000, tableCents: product.priceCents, netCents: product.priceCents, discountPercent: 0, ipiPercent: 0, excluido: true });
    }
    const order: FakeOrder = {
      id: newId(),
      numero: nextNumero++,
      status: '2',
      statusCustomId: null,
      excluido: false,
      clienteId: customerFor(index).id,
      // Mercos orders may carry no contact at all (the docs' second example has `nome_contato: ""`).
      nomeContato: index % 4 === 3 ? '' : 'Compras',
      items,
      freightCents: index % 2 === 0 ? 0 : 1590,
      dataEmissao: '2026-03-02',
      // Sent on create by some integrations only: the evening before, local time (already 2 March in UTC).
      dataCriacao: index % 3 === 2 ? '2026-03-01 21:40:00' : null,
      ultimaAlteracao: clock.stamp(),
    };
    // Some orders move through the account's custom statuses; one of them was cancelled afterwards and keeps it.
    if (status === undefined && index % 6 >= 4) order.statusCustomId = customStatusFor(FAKE_CUSTOM_STATUSES[index % 6 - 4]!.nome).id;
    if (status === undefined && index % 12 === 10) order.status = '0';
    // Mercos says every record carries `excluido`; a deleted order is reported as such.
    if (status === undefined && index % 12 === 11) order.excluido = true;
    // A quote still being written has no issue date yet.
    if (status === undefined && index % 12 === 9) {
      order.status = '1';
      order.dataEmissao = null;
    }
    applyStatus(order, status);
    return order;
  }

  function applyStatus(order: FakeOrder, status: string | undefined): void {
    if (status === undefined) return;
    if (status === 'excluido') order.excluido = true;
    else if (status.startsWith('custom:')) {
      order.status = '2';
      order.statusCustomId = Number(status.slice('custom:'.length));
    } else if (status === '0' || status === '1' || status === '2') order.status = status;
    else throw new Error(`mercos fake: unknown status ${status}`);
  }

  /** Records changed strictly after `alterado_apos`, oldest first, capped as Mercos caps them. */
  function page<T extends { id: number; ultimaAlteracao: string }>(records: Iterable<T>, url: URL, cap: number, render: (record: T) => unknown): Response {
    const raw = url.searchParams.get('alterado_apos');
    if (!raw) return invalid('alterado_apos', 'Atributo obrigatório não informado');
    if (!isWallTime(raw.trim())) return invalid('alterado_apos', 'Formato de data inválido');
    const after = normaliseWallTime(raw);
    const requested = Number(url.searchParams.get('registros_por_pagina') ?? cap);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, cap) : cap;
    const matching = [...records]
      .filter((record) => compareWallTime(record.ultimaAlteracao, after) > 0)
      .sort((a, b) => compareWallTime(a.ultimaAlteracao, b.ultimaAlteracao) || a.id - b.id);
    const headers: Record<string, string> = { MEUSPEDIDOS_QTDE_TOTAL_REGISTROS: String(matching.length) };
    if (matching.length > limit) {
      headers['MEUSPEDIDOS_LIMITOU_REGISTROS'] = '1';
      headers['MEUSPEDIDOS_REQUISICOES_EXTRAS'] = String(Math.ceil(matching.length / limit) - 1);
    }
    return json(200, matching.slice(0, limit).map(render), headers);
  }

  function readBalance(value: unknown): number | string {
    if (typeof value !== 'number') return 'novo_saldo deve ser numérico';
    try {
      const milli = parseQuantity(value, { field: 'novo_saldo', decimalSeparator: '.' });
      // Assumed: Mercos keeps two decimals (max 9999999.99); a third is refused rather than silently cut.
      if (milli % 10 !== 0 || milli > 9_999_999_990) return 'novo_saldo inválido';
      return milli;
    } catch {
      return 'novo_saldo inválido';
    }
  }

  function adjustment(body: unknown): { product: FakeProduct; milli: number } | string {
    if (!body || typeof body !== 'object') return 'Corpo inválido';
    const { produto_id: id, novo_saldo: balance } = body as Record<string, unknown>;
    const product = typeof id === 'number' ? products.get(id) : undefined;
    if (!product || product.excluido) return `Produto ${String(id)} inexistente`;
    if (locked.has(product.codigo)) return `Produto ${product.codigo} não permite ajuste de estoque`;
    const milli = readBalance(balance);
    return typeof milli === 'string' ? milli : { product, milli };
  }

  function applyAdjustment({ product, milli }: { product: FakeProduct; milli: number }): void {
    product.stockMilli = milli;
    product.ultimaAlteracao = clock.stamp(product.ultimaAlteracao);
  }

  async function route(request: Request, url: URL, path: string): Promise<Response | undefined> {
    const method = request.method.toUpperCase();
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/v1/token_auth_status') return new Response(null, { status: 200 });
    if (method === 'GET' && path === '/v2/pedidos') {
      type Listed = { id: number; ultimaAlteracao: string; render: () => unknown };
      const listed: Listed[] = [
        ...[...orders.values()].map((order) => ({ id: order.id, ultimaAlteracao: order.ultimaAlteracao, render: () => renderOrder(order) })),
        ...[...publishedOrders.values()].map((entry) => ({ id: entry.id, ultimaAlteracao: entry.ultimaAlteracao, render: () => entry.raw })),
      ];
      return page(listed, url, pageSize.orders, (entry) => entry.render());
    }
    if (method === 'GET' && (match = /^\/v2\/pedidos\/(\d+)$/.exec(path))) {
      const order = orders.get(Number(match[1]));
      if (order) return json(200, renderOrder(order));
      const entry = publishedOrders.get(Number(match[1]));
      return entry ? json(200, entry.raw) : json(404, { mensagem: `Pedido ${match[1]} inexistente` });
    }
    if (method === 'GET' && path === '/v1/produtos') return page(products.values(), url, pageSize.products, renderProduct);
    if (method === 'GET' && (match = /^\/v1\/produtos\/(\d+)$/.exec(path))) {
      const product = products.get(Number(match[1]));
      // The sandbox answers one object here although the docs say an array.
      return product ? json(200, renderProduct(product)) : json(404, { mensagem: `Produto ${match[1]} inexistente` });
    }
    if (method === 'GET' && path === '/v1/clientes') return page(customers.values(), url, pageSize.products, renderCustomer);
    if (method === 'GET' && (match = /^\/v1\/clientes\/(\d+)$/.exec(path))) {
      const customer = customers.get(Number(match[1]));
      if (customer) return json(200, renderCustomer(customer));
      const raw = publishedCustomers.get(Number(match[1]));
      return raw ? json(200, raw) : json(404, { mensagem: `Cliente ${match[1]} inexistente` });
    }
    if (method === 'GET' && path === '/v1/pedidos/status') return page(customStatuses.values(), url, pageSize.statuses, renderCustomStatus);
    if (method === 'PUT' && path === '/v1/ajustar_estoque') {
      const result = adjustment(await request.json().catch(() => undefined));
      if (typeof result === 'string') return json(412, { mensagem: result });
      applyAdjustment(result);
      return json(200, { novo_saldo: result.milli / 1000 });
    }
    if (method === 'POST' && path === '/v1/ajustar_estoque_em_lote') {
      const body: unknown = await request.json().catch(() => undefined);
      if (!Array.isArray(body)) return json(412, { mensagem: 'Corpo inválido' });
      if (body.length > 300) return json(412, { mensagem: 'Máximo de 300 ajustes por requisição' });
      const results = body.map(adjustment);
      // One bad item cancels the whole batch.
      const errors = results.filter((result): result is string => typeof result === 'string');
      if (errors.length > 0) return json(412, { mensagem: 'Ocorreram erros de validação', erros: errors });
      for (const result of results) applyAdjustment(result as { product: FakeProduct; milli: number });
      return json(200, body);
    }
    return undefined;
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const at = now();
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length).replace(/\/+$/, '') : url.pathname;
    const entry = `${path}${url.search}`;
    const respond = (response: Response): Response => {
      log.push({ at, method: request.method.toUpperCase(), url: entry, status: response.status });
      return response;
    };

    if (request.headers.get('ApplicationToken') !== applicationToken || request.headers.get('CompanyToken') !== companyToken) {
      return respond(new Response(UNAUTHORIZED, { status: 401, headers: { 'content-type': 'text/html; charset=utf-8' } }));
    }
    const throttled = gate.check(at, `${request.method.toUpperCase()} ${entry}`);
    if (throttled) {
      return respond(json(429, { tempo_ate_permitir_novamente: throttled.waitSeconds, limite_de_requisicoes: options.limit?.requests ?? 1 }));
    }
    const failure = failures.shift();
    if (failure !== undefined) return respond(json(failure, { mensagem: 'Erro interno no servidor' }));

    const response = await route(request, url, path);
    if (response) return respond(response);
    unknown.push(`${request.method.toUpperCase()} ${entry}`);
    return respond(new Response('<html><body><h1>Not Found</h1></body></html>', { status: 404, headers: { 'content-type': 'text/html' } }));
  }

  const expectedStatus = (order: FakeOrder): string => {
    if (order.excluido) return 'excluido';
    if (options.reportsCustomStatuses && order.statusCustomId !== null && order.status !== '0') return `custom:${order.statusCustomId}`;
    return order.status;
  };
  /** Mercos' names of its fixed statuses (the docs' enum), and the account's name of a custom one. */
  const labelOf = (status: string): string | null => {
    if (!status.startsWith('custom:')) return ({ '0': 'Cancelado', '1': 'Orçamento', '2': 'Pedido', excluido: 'Excluído' } as Record<string, string>)[status] ?? null;
    return customStatuses.get(Number(status.slice('custom:'.length)))?.nome ?? null;
  };
  const meaningOf = (status: string): 'pending' | 'finalized' | 'cancelled' | 'ignored' | undefined => {
    if (!status.startsWith('custom:')) return STATUS_MEANING[status];
    const custom = customStatuses.get(Number(status.slice('custom:'.length)));
    return FAKE_CUSTOM_STATUSES.find((entry) => entry.nome === custom?.nome)?.meaning;
  };

  function getOrder(externalId: string): FakeOrder {
    const order = orders.get(Number(externalId));
    if (!order) throw new Error(`mercos fake: no order ${externalId}`);
    return order;
  }

  return {
    baseUrl,
    handle,
    seedOrders(count, seedOptions) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const order = newOrder(orders.size, seedOptions?.status);
        orders.set(order.id, order);
        ids.push(String(order.id));
      }
      return ids;
    },
    modifyOrder(externalId, changes) {
      const order = getOrder(externalId);
      if (changes?.status !== undefined) applyStatus(order, changes.status);
      else order.freightCents += 100;
      order.ultimaAlteracao = clock.stamp(order.ultimaAlteracao);
    },
    addMalformedOrder() {
      const order = newOrder(orders.size, undefined);
      order.override = (rendered) => {
        // The first live line: a removed one is not read.
        const items = rendered['itens'] as Array<Record<string, unknown>>;
        items.find((item) => item['excluido'] !== true)!['quantidade'] = 'muitos';
      };
      orders.set(order.id, order);
      return { externalId: String(order.id), field: 'quantidade' };
    },
    addMalformedOrders() {
      // One order per field the mapping converts, each broken the way a schema drift or a bad import would break it.
      // Mercos writes "." decimals (or JSON numbers) and "yyyy-mm-dd HH:mm:ss" Brasília times.
      const item = (json: Record<string, unknown>, index: number) => (json['itens'] as Array<Record<string, unknown>>)[index]!;
      const breaks: Array<[string, (json: Record<string, unknown>) => void]> = [
        ['itens.0.quantidade', (json) => (item(json, 0)['quantidade'] = 'dez')],
        ['itens.1.quantidade', (json) => (item(json, 1)['quantidade'] = '1,5')],
        ['itens.1.preco_liquido', (json) => (item(json, 1)['preco_liquido'] = '45,90')],
        ['itens.0.preco_liquido', (json) => (item(json, 0)['preco_liquido'] = null)],
        ['itens.1.subtotal', (json) => (item(json, 1)['subtotal'] = 'R$ 20,80')],
        ['itens.1.produto_id', (json) => (item(json, 1)['produto_id'] = null)],
        ['valor_frete', (json) => (json['valor_frete'] = '15.9O')],
        ['total', (json) => (json['total'] = '')],
        ['ultima_alteracao', (json) => (json['ultima_alteracao'] = '2026-02-29 09:00:00')],
        ['data_criacao', (json) => (json['data_criacao'] = '2026-02-29 08:19:45')],
        ['data_emissao', (json) => ((json['data_criacao'] = null), (json['data_emissao'] = '2026-02-30'))],
        ['status', (json) => (json['status'] = '')],
      ];
      return breaks.map(([path, corrupt]) => {
        const order = newOrder(orders.size, undefined);
        // Two live lines, so a break at index 1 is a line of its own.
        order.items = order.items.filter((entry) => !entry.excluido);
        if (order.items.length < 2) order.items.push({ ...order.items[0]!, id: newId() });
        order.override = corrupt;
        orders.set(order.id, order);
        return { externalId: String(order.id), path };
      });
    },
    listingLookups() {
      const seeded = [...orders.values()];
      return {
        products: new Set(seeded.flatMap((order) => order.items.filter((item) => !item.excluido).map((item) => item.produtoId))).size,
        customers: new Set(seeded.map((order) => order.clienteId)).size,
        customStatuses: seeded.some((order) => order.statusCustomId !== null) ? 1 : 0,
      };
    },
    expectedOrder(externalId): ExpectedOrder {
      const order = getOrder(externalId);
      return {
        externalId,
        number: String(order.numero),
        status: expectedStatus(order),
        statusLabel: labelOf(expectedStatus(order)),
        totalCents: orderTotalCents(order),
        lines: order.items
          .filter((item) => !item.excluido)
          .map((item) => ({
            lineId: String(item.id),
            ...(products.get(item.produtoId)!.codigo ? { sku: products.get(item.produtoId)!.codigo } : { unmatched: { reason: 'sku-missing' as const, detail: `o produto ${item.produtoId} não tem código no Mercos` } }),
            quantityMilli: item.quantityMilli,
            unitPriceCents: item.netCents,
            productRef: { productId: String(item.produtoId) },
          })),
        customer: customerMeant(order.clienteId),
        // IPI is inside the subtotal Mercos sends, but the API does not say so: each live line with IPI is flagged.
        // Core adds a line-unmatched warning per line without SKU, after the connector's own.
        warnings: [
          ...order.items.flatMap((item, index) => (!item.excluido && item.ipiPercent !== 0 ? [{ code: 'field-ignored' as const, field: `itens.${index}.ipi` }] : [])),
          ...order.items
            .filter((item) => !item.excluido)
            .flatMap((item, lineIndex) => (products.get(item.produtoId)!.codigo ? [] : [{ code: 'line-unmatched' as const, lineIndex }])),
        ],
        ...(meaningOf(expectedStatus(order)) ? { intakeState: meaningOf(expectedStatus(order)) } : {}),
        // `data_criacao` when sent; else the issue date at local midnight; else (a quote without one) the last change.
        createdAt: saoPauloToUtc(order.dataCriacao ?? (order.dataEmissao ? `${order.dataEmissao} 00:00:00` : order.ultimaAlteracao)),
        updatedAt: saoPauloToUtc(order.ultimaAlteracao),
        totals: {
          itemsCents: order.items.filter((item) => !item.excluido).reduce((sum, item) => sum + subtotalCents(item), 0),
          shippingCents: order.freightCents,
          discountCents: 0,
          feesCents: 0,
          taxCents: 0,
          totalCents: orderTotalCents(order),
        },
      };
    },
    throttleNext(times, retryAfterSeconds) {
      gate.throttleNext(times, retryAfterSeconds);
    },
    failNext(times, status = 500) {
      for (let i = 0; i < times; i += 1) failures.push(status);
    },
    seedProducts(skus) {
      for (const sku of skus) addProduct(sku, `Produto ${sku}`, 1000);
    },
    stockOf(sku) {
      const product = [...products.values()].find((candidate) => candidate.codigo === sku && !candidate.excluido);
      return product?.stockMilli;
    },
    requests: () => log.map((entry) => ({ ...entry })),
    unknownRequests: () => [...unknown],
    violations: () => gate.violations.map((violation) => ({ ...violation })),
    addCustomStatus(nome) {
      const status: FakeCustomStatus = { id: customStatuses.size + 1, nome, excluido: false, ultimaAlteracao: clock.stamp() };
      customStatuses.set(status.id, status);
      return status.id;
    },
    lockStock(sku) {
      locked.add(sku);
    },
    addPublishedOrder(raw) {
      const id = Number(raw['id']);
      const at = raw['ultima_alteracao'];
      if (!Number.isSafeInteger(id) || typeof at !== 'string') throw new Error('mercos fake: a published order needs its id and ultima_alteracao');
      publishedOrders.set(id, { id, ultimaAlteracao: normaliseWallTime(at), raw: structuredClone(raw) });
      return String(id);
    },
    addPublishedCustomer(raw, id = Number(raw['id'])) {
      publishedCustomers.set(id, structuredClone(raw));
    },
    expectedCustomer(externalId) {
      return customerMeant(getOrder(externalId).clienteId);
    },
    productId: (sku) => [...products.values()].find((product) => product.codigo === sku)?.id,
    reset() {
      orders = new Map();
      products = new Map();
      customStatuses = new Map();
      customers = new Map();
      publishedOrders = new Map();
      publishedCustomers = new Map();
      nextId = 1;
      nextNumero = 1001;
      failures = [];
      log = [];
      unknown = [];
      locked = new Set();
      clock.reset();
      gate.reset();
    },
  };
}
