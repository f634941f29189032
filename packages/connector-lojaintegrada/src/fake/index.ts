import { localDateTimeToInstant, type WebhookInput } from '@conecta/core';
// Types only: the testing entry loads vitest and msw, which a fake served outside tests must not need.
import type { ExpectedOrder, PlatformFake } from '@conecta/core/fakes';
import { addressedByExternalId, buildOrder, itemsCents, totalCents, utcStamp, type FakeOrder, type FakeProduct } from './state.js';
import { detailJson, estoqueJson, listJson, produtoJson, situacaoJson, summaryJson, webhookJson } from './shapes.js';
import { LOJAINTEGRADA_SITUACOES } from '../statuses.js';
import { liDateTimeToMicros } from '../dates.js';

/**
 * What each situação means to a merchant, written here by hand from LI's flags and names (not read from the
 * connector's dictionary) so the contract checks the dictionary against an independent reading: a sale counts once
 * paid, ends when shipped or delivered, and a payment in dispute or chargeback is for a person to decide.
 */
const SITUACAO_MEANING: Record<string, 'pending' | 'finalized' | 'cancelled' | 'ignored'> = {
  pedido_efetuado: 'ignored',
  aguardando_pagamento: 'ignored',
  pagamento_em_analise: 'ignored',
  pedido_pago: 'pending',
  em_producao: 'pending',
  pedido_em_separacao: 'pending',
  pedido_enviado: 'finalized',
  pronto_para_retirada: 'finalized',
  pedido_entregue: 'finalized',
  pagamento_em_disputa: 'ignored',
  pedido_chargeback: 'ignored',
  pagamento_devolvido: 'cancelled',
  pedido_cancelado: 'cancelled',
};

export interface LojaIntegradaFakeOptions {
  baseUrl?: string;
  chaveApi?: string;
  chaveAplicacao?: string;
  webhookToken?: string;
  timeZone?: string;
  /** How many orders share one `data_modificacao` when seeded together. */
  ordersPerSecond?: number;
  /** LI's sort order is undocumented; the connector must not depend on it. */
  searchOrder?: 'numero' | '-numero' | 'data_modificacao';
  /** Whether `since_atualizado` includes its own second (undocumented). */
  sinceInclusive?: boolean;
  /** Largest `limit` honoured (50 in the current spec). */
  maxLimit?: number;
  /** Whether a 429 carries `Retry-After` (undocumented; off, the connector falls back to its fixed wait). */
  retryAfterHeader?: boolean;
  /**
   * How `GET /v1/produto/?sku=` matches (unconfirmed): `exact` (default), or `contains`, a search that also answers
   * every SKU containing the one asked for.
   */
  skuSearch?: 'exact' | 'contains';
  /** ISO instant the store clock starts at. Default 2024-05-01 13:00 UTC. */
  startAt?: string;
}

export interface LojaIntegradaFake extends PlatformFake {
  webhooks: NonNullable<PlatformFake['webhooks']> & {
    /**
     * A delivery with the real token and an altered body. Not the contract's `tampered`: LI signs no body, so this
     * is indistinguishable from a real delivery and the connector must not trust the body (it reads the order back).
     */
    alteredBody(externalId: string): WebhookInput;
  };
  /** LI's two availability settings of a product's stock row (what a merchant sets in the panel). */
  availability(sku: string): { situacao_em_estoque: number; situacao_sem_estoque: number } | undefined;
  setAvailability(sku: string, availability: { situacao_em_estoque: number; situacao_sem_estoque: number }): void;
  /** Whether LI manages the SKU's stock row (`gerenciado`); seeded products start unmanaged. */
  managesStock(sku: string): boolean | undefined;
  /** A product with variations (`tipo` `atributo`, no stock of its own) and one variation child with its own SKU. */
  seedVariant(parentSku: string, variantSku: string): void;
  /** Moves the fake's clock forward (whole seconds), as time passing in the store. */
  advanceClock(seconds: number): void;
  /** Queues a call to run before a search page is answered, one per search request (to change the store mid-scan). */
  beforeNextSearch(hook: () => void): void;
  /**
   * Serves a real `GET /v1/pedido/{numero}` answer verbatim (a published payload), and its summary in the search.
   * Returns its numero.
   */
  addPublishedOrder(detail: Record<string, unknown>): string;
  /**
   * The products a listing of the seeded orders must read (`GET /v1/produto/{id}`, once each): those that lines name
   * without their own SKU. A listing that reads fewer leaves a line unmatched; one that reads more spends the
   * store's 100 requests a minute on nothing.
   */
  productLookups(): number[];
}

/** The keys of a search summary, in LI's order: a detail without `itens`, `envios`, `pagamentos` and the rest. */
const SUMMARY_KEYS = ['data_criacao', 'data_expiracao', 'data_modificacao', 'id_anymarket', 'id_externo', 'numero', 'peso_real', 'resource_uri', 'situacao', 'utm_campaign', 'valor_desconto', 'valor_envio', 'valor_subtotal', 'valor_total'];

function summaryOfDetail(detail: Record<string, unknown>): Record<string, unknown> {
  const cliente = detail['cliente'];
  const uri = cliente && typeof cliente === 'object' ? (cliente as { resource_uri?: unknown }).resource_uri : cliente;
  return { cliente: uri ?? null, ...Object.fromEntries(SUMMARY_KEYS.filter((key) => key in detail).map((key) => [key, detail[key]])) };
}

const START_MICROS = Date.UTC(2024, 4, 1, 13, 0, 0) * 1000;
const DEFAULTS = { baseUrl: 'https://api.awsli.com.br', chaveApi: 'fake-chave-api-0001', chaveAplicacao: 'fake-chave-aplicacao-0001', webhookToken: 'fake-webhook-token-0001' };

/**
 * A stateful imitation of LI's API as a fetch handler: header auth, Tastypie `meta`/`objects` lists with limit/offset,
 * `since_atualizado` on a clock that ticks in whole seconds (several orders share one), summaries in search and
 * details by numero, the situação list, products by SKU with stock, 429 and 5xx injection, webhook deliveries.
 */
export function createLojaIntegradaFake(options: LojaIntegradaFakeOptions = {}): LojaIntegradaFake {
  const config = {
    ...DEFAULTS,
    ...options,
    baseUrl: (options.baseUrl ?? DEFAULTS.baseUrl).replace(/\/+$/, ''),
    timeZone: options.timeZone ?? 'America/Sao_Paulo',
    ordersPerSecond: options.ordersPerSecond ?? 3,
    searchOrder: options.searchOrder ?? 'numero',
    sinceInclusive: options.sinceInclusive ?? true,
    maxLimit: options.maxLimit ?? 50,
    retryAfterHeader: options.retryAfterHeader ?? true,
    skuSearch: options.skuSearch ?? 'exact',
  };
  const basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
  const authorization = `chave_api ${config.chaveApi} aplicacao ${config.chaveAplicacao}`;

  let orders = new Map<number, FakeOrder>();
  let products = new Map<string, FakeProduct>();
  /** Products that order lines name without SKU, by id (served at `GET /v1/produto/{id}`, not found by `?sku=`). */
  let catalogue = new Map<number, FakeProduct>();
  const startMicros = options.startAt ? Date.parse(options.startAt) * 1000 : START_MICROS;
  let clock = startMicros;
  let ticks = 0;
  let nextNumero = 1001;
  let nextItem = 5_000_001;
  let nextProduct = 77_000_001;
  let throttles: number[] = [];
  let failures: number[] = [];
  let log: Array<{ at: number; method: string; url: string; status: number }> = [];
  let unknown: string[] = [];
  let searchHooks: Array<() => void> = [];
  let published = new Map<number, Record<string, unknown>>();

  const tick = (seconds = 1) => {
    ticks += 1;
    // A new whole second plus a sub-second part, so timestamps look like LI's while ties stay exact.
    clock = (Math.floor(clock / 1_000_000) + seconds) * 1_000_000 + ((ticks * 7919) % 1_000_000);
  };

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

  const requireOrder = (externalId: string): FakeOrder => {
    const order = orders.get(Number(externalId));
    if (!order) throw new Error(`fake: no order ${externalId}`);
    return order;
  };

  function searchOrders(query: URLSearchParams): FakeOrder[] {
    let list = [...orders.values()];
    const since = query.get('since_atualizado');
    if (since) {
      const text = since.includes('T') || since.includes(' ') ? since : `${since}T00:00:00`;
      const bound = Date.parse(localDateTimeToInstant(text, config.timeZone, 'since_atualizado')) * 1000;
      list = list.filter((order) => {
        const second = Math.floor(order.modifiedMicros / 1_000_000) * 1_000_000;
        return config.sinceInclusive ? second >= bound : second > bound;
      });
    }
    const situacaoId = query.get('situacao_id');
    if (situacaoId) list = list.filter((order) => String(situacaoJson(order.codigo).id) === situacaoId);
    const sorters = {
      numero: (a: FakeOrder, b: FakeOrder) => a.numero - b.numero,
      '-numero': (a: FakeOrder, b: FakeOrder) => b.numero - a.numero,
      data_modificacao: (a: FakeOrder, b: FakeOrder) => a.modifiedMicros - b.modifiedMicros || a.numero - b.numero,
    };
    return list.sort(sorters[config.searchOrder]);
  }

  function page<T>(all: T[], query: URLSearchParams, path: string) {
    const limit = Math.min(Math.max(1, Number(query.get('limit') ?? 20) || 20), config.maxLimit);
    const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
    const rest = new URLSearchParams(query);
    rest.delete('limit');
    rest.delete('offset');
    return listJson(all.slice(offset, offset + limit), all.length, limit, offset, path, rest);
  }

  async function route(request: Request, path: string, query: URLSearchParams): Promise<Response | undefined> {
    const method = request.method;
    if (method === 'GET' && /^\/v1\/pedido\/search\/?$/.test(path)) {
      searchHooks.shift()?.();
      const summaries = [...searchOrders(query).map((order) => summaryJson(order, config.timeZone)), ...publishedSummaries(query)];
      return json(200, page(summaries, query, 'pedido/search/'));
    }
    let match = /^\/v1\/pedido\/(\d+)\/?$/.exec(path);
    if (method === 'GET' && match) {
      const order = orders.get(Number(match[1]));
      if (order) return json(200, detailJson(order, config.timeZone));
      const detail = published.get(Number(match[1]));
      return detail ? json(200, detail) : json(404, undefined);
    }
    if (method === 'GET' && /^\/v1\/situacao\/?$/.test(path)) {
      return json(200, page(LOJAINTEGRADA_SITUACOES.map((situacao) => situacaoJson(situacao.codigo)), query, 'situacao/'));
    }
    if (method === 'GET' && /^\/v1\/produto\/?$/.test(path)) {
      const sku = query.get('sku');
      const matches = (product: FakeProduct) => (config.skuSearch === 'contains' ? product.sku.includes(sku!) : product.sku === sku);
      const found = [...products.values()].filter((product) => sku === null || matches(product));
      return json(200, page(found.map(produtoJson), query, 'produto/'));
    }
    match = /^\/v1\/produto\/(\d+)\/?$/.exec(path);
    if (method === 'GET' && match) {
      const product = [...products.values()].find((candidate) => candidate.id === Number(match![1])) ?? catalogue.get(Number(match[1]));
      return product ? json(200, produtoJson(product)) : json(404, undefined);
    }
    match = /^\/v1\/produto_estoque\/(\d+)\/?$/.exec(path);
    if (match) {
      const product = [...products.values()].find((candidate) => candidate.id === Number(match![1]));
      if (!product) return json(404, undefined);
      if (method === 'GET') return json(200, estoqueJson(product));
      if (method === 'PUT') {
        const body = (await request.json().catch(() => undefined)) as Record<string, unknown> | undefined;
        const fields = ['gerenciado', 'quantidade', 'situacao_em_estoque', 'situacao_sem_estoque'];
        if (!body || fields.some((field) => !(field in body)) || !Number.isInteger(body['quantidade'])) {
          return json(400, { error: 'gerenciado, quantidade (integer), situacao_em_estoque and situacao_sem_estoque are required' });
        }
        product.gerenciado = body['gerenciado'] === true;
        product.quantidade = body['quantidade'] as number;
        product.situacao_em_estoque = Number(body['situacao_em_estoque']);
        product.situacao_sem_estoque = Number(body['situacao_sem_estoque']);
        return json(202, estoqueJson(product));
      }
    }
    return undefined;
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Clients use both /v1 and /api/v1, and meta.next links use the latter.
    const path = url.pathname.slice(basePath.length).replace(/^\/api(?=\/v1\/)/, '');
    const entry = { at: Date.now(), method: request.method, url: `${url.pathname}${url.search}`, status: 0 };
    log.push(entry);
    const respond = (response: Response) => {
      entry.status = response.status;
      return response;
    };
    const wait = throttles.shift();
    if (wait !== undefined) {
      // LI answers every limit with 429 and an error code (633: per store); the body's exact shape is unconfirmed.
      return respond(json(429, { error: { code: 633, message: 'Limite de requisições por minuto excedido para a loja' } }, config.retryAfterHeader ? { 'retry-after': String(wait) } : {}));
    }
    const failure = failures.shift();
    if (failure !== undefined) return respond(json(failure, { error: 'Erro interno' }));
    if (request.headers.get('authorization') !== authorization) return respond(new Response(null, { status: 401 }));
    const response = await route(request, path, url.searchParams);
    if (response) return respond(response);
    unknown.push(`${request.method} ${url.pathname}${url.search}`);
    return respond(json(404, undefined));
  }

  function publishedSummaries(query: URLSearchParams): Array<Record<string, unknown>> {
    const since = query.get('since_atualizado');
    const bound = since ? liDateTimeToMicros(since, config.timeZone, 'since_atualizado') : undefined;
    return [...published.values()]
      .filter((detail) => bound === undefined || liDateTimeToMicros(detail['data_modificacao'], config.timeZone, 'data_modificacao') >= bound)
      .map(summaryOfDetail);
  }

  function seedOrders(count: number, seedOptions: { status?: string } = {}): string[] {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      if (index % config.ordersPerSecond === 0) tick();
      const order = buildOrder(nextNumero, seedOptions.status ?? 'pedido_pago', clock, () => nextItem++, seedOptions.status === undefined);
      nextNumero += 1;
      orders.set(order.numero, order);
      // The products of lines sent without SKU are in the store's catalogue, where the connector looks them up.
      for (const item of order.itens) {
        if (item.catalogSku === undefined || catalogue.has(item.produtoId)) continue;
        catalogue.set(item.produtoId, { id: item.produtoId, stockRowId: item.produtoId + 5_000_000, sku: item.catalogSku ?? '', nome: item.nome, tipo: 'normal', gerenciado: false, quantidade: 0, situacao_em_estoque: 0, situacao_sem_estoque: -1 });
      }
      ids.push(String(order.numero));
    }
    return ids;
  }

  /** A product as the merchant registers it: stock not yet managed by LI, unavailable when out of stock. */
  function addProduct(sku: string, tipo: FakeProduct['tipo'], paiId?: number): FakeProduct {
    const existing = products.get(sku);
    if (existing) return existing;
    const id = nextProduct++;
    const product: FakeProduct = { id, stockRowId: id + 5_000_000, sku, nome: `Produto ${sku}`, tipo, ...(paiId === undefined ? {} : { paiId }), gerenciado: false, quantidade: 0, situacao_em_estoque: 0, situacao_sem_estoque: -1 };
    products.set(sku, product);
    return product;
  }

  function delivery(externalId: string, change?: (body: Record<string, unknown>) => void, token: string | null = config.webhookToken): WebhookInput {
    const body = webhookJson(requireOrder(externalId)) as Record<string, unknown>;
    change?.(body);
    return {
      rawBody: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    };
  }

  return {
    baseUrl: config.baseUrl,
    handle,
    seedOrders,
    modifyOrder(externalId, changes = {}) {
      const order = requireOrder(externalId);
      tick();
      order.modifiedMicros = clock;
      if (changes.status) order.codigo = changes.status;
    },
    addMalformedOrder() {
      tick();
      const order = buildOrder(nextNumero, 'pedido_pago', clock, () => nextItem++);
      nextNumero += 1;
      order.malformed = { field: 'preco_venda', value: '49,9O' };
      orders.set(order.numero, order);
      return { externalId: String(order.numero), field: 'preco_venda' };
    },
    addMalformedOrders() {
      // One order per field the mapping converts, broken in the detail only (the search summary stays readable, as
      // when one order's data drifts): LI writes "." decimal strings and naive local times with microseconds.
      const item = (detail: Record<string, unknown>, index: number) => (detail['itens'] as Array<Record<string, unknown>>)[index]!;
      const breaks: Array<[string, (detail: Record<string, unknown>) => void]> = [
        ['itens.0.quantidade', (detail) => (item(detail, 0)['quantidade'] = 'um')],
        ['itens.1.quantidade', (detail) => (item(detail, 1)['quantidade'] = '1,50')],
        ['itens.1.preco_venda', (detail) => (item(detail, 1)['preco_venda'] = '11,1000')],
        ['itens.1.sku', (detail) => (item(detail, 1)['sku'] = { codigo: 'LI-001' })],
        ['valor_subtotal', (detail) => (detail['valor_subtotal'] = '32.48.1')],
        ['valor_envio', (detail) => (detail['valor_envio'] = 'R$ 15,50')],
        ['valor_desconto', (detail) => (detail['valor_desconto'] = '5,00')],
        ['valor_total', (detail) => (detail['valor_total'] = '')],
        ['data_criacao', (detail) => (detail['data_criacao'] = '2024-02-30T10:00:00.000000')],
        ['data_modificacao', (detail) => (detail['data_modificacao'] = '01/05/2024 10:00:07')],
        ['situacao.codigo', (detail) => (detail['situacao'] = { ...(detail['situacao'] as object), codigo: '' })],
      ];
      return breaks.map(([path, corrupt]) => {
        tick();
        const order = buildOrder(nextNumero, 'pedido_pago', clock, () => nextItem++);
        nextNumero += 1;
        if (order.itens.length < 2) order.itens.push({ ...order.itens[0]!, id: nextItem++ });
        order.corrupt = corrupt;
        orders.set(order.numero, order);
        return { externalId: String(order.numero), path };
      });
    },
    expectedOrder(externalId): ExpectedOrder {
      const order = requireOrder(externalId);
      return {
        externalId,
        number: String(order.numero),
        status: order.codigo,
        statusLabel: situacaoJson(order.codigo).nome,
        totalCents: totalCents(order),
        lines: order.itens.map((item) => ({
          lineId: String(item.id),
          // A line sent without SKU takes its product's (looked up), or stays unmatched when the product has none.
          ...(item.catalogSku === undefined
            ? { sku: String(item.sku).trim() }
            : item.catalogSku === null
              ? { unmatched: { reason: 'sku-missing' as const, detail: `o produto ${item.produtoId} não tem sku na Loja Integrada` } }
              : { sku: item.catalogSku }),
          quantityMilli: item.quantityMilli,
          unitPriceCents: item.unitCents,
          // A variation child is its own produto under its parent (`produto_pai`).
          // One addressed by the merchant's external id names no LI id of its own: only its parent is known.
          productRef: addressedByExternalId(order.numero, item)
            ? { productId: String(item.produtoId - 1000) }
            : item.tipo === 'atributo_opcao'
              ? { productId: String(item.produtoId - 1000), variantId: String(item.produtoId) }
              : { productId: String(item.produtoId) },
        })),
        // A company by its razão social and CNPJ, a person by name and CPF; punctuation stripped.
        customer: {
          name: order.cliente.razao_social ?? order.cliente.nome,
          email: order.cliente.email,
          document: (order.numero % 12 === 3 ? order.cliente.cpf! : (order.cliente.cnpj ?? order.cliente.cpf ?? '')).replace(/[./-]/g, ''),
          phone: order.cliente.telefone_celular ?? order.cliente.telefone_principal!,
        },
        // Items that add up to valor_subtotal, valid documents: only core's warning for a line left unmatched.
        warnings: order.itens.flatMap((item, lineIndex) => (item.catalogSku === null ? [{ code: 'line-unmatched' as const, lineIndex }] : [])),
        ...(SITUACAO_MEANING[order.codigo] ? { intakeState: SITUACAO_MEANING[order.codigo] } : {}),
        createdAt: utcStamp(order.createdMicros),
        updatedAt: utcStamp(order.modifiedMicros),
        totals: { itemsCents: itemsCents(order), shippingCents: order.shippingCents, discountCents: order.discountCents, feesCents: 0, taxCents: 0, totalCents: totalCents(order) },
      };
    },
    throttleNext(times, retryAfterSeconds) {
      for (let index = 0; index < times; index += 1) throttles.push(retryAfterSeconds);
    },
    failNext(times, status = 500) {
      for (let index = 0; index < times; index += 1) failures.push(status);
    },
    seedProducts(skus) {
      for (const sku of skus) addProduct(sku, 'normal');
    },
    seedVariant(parentSku, variantSku) {
      const parent = addProduct(parentSku, 'atributo');
      addProduct(variantSku, 'atributo_opcao', parent.id);
    },
    managesStock: (sku) => products.get(sku)?.gerenciado,
    stockOf(sku) {
      const product = products.get(sku);
      return product ? product.quantidade * 1000 : undefined;
    },
    availability(sku) {
      const product = products.get(sku);
      return product ? { situacao_em_estoque: product.situacao_em_estoque, situacao_sem_estoque: product.situacao_sem_estoque } : undefined;
    },
    setAvailability(sku, availability) {
      const product = products.get(sku);
      if (!product) throw new Error(`fake: no product ${sku}`);
      Object.assign(product, availability);
    },
    requests: () => log.map((entry) => ({ ...entry })),
    unknownRequests: () => [...unknown],
    webhooks: {
      valid: (externalId) => delivery(externalId),
      // The token is static and signs nothing, so an altered body still carries a valid token.
      alteredBody: (externalId) =>
        delivery(externalId, (body) => {
          body['valor_total'] = 0.01;
        }),
      unsigned: (externalId) => delivery(externalId, undefined, null),
      truncatedSignature: (externalId) => delivery(externalId, undefined, config.webhookToken.slice(0, 8)),
    },
    advanceClock: (seconds) => tick(seconds),
    addPublishedOrder(detail) {
      const numero = Number(detail['numero']);
      if (!Number.isSafeInteger(numero)) throw new Error('fake: a published order needs its numero');
      published.set(numero, structuredClone(detail));
      return String(numero);
    },
    productLookups: () => [...catalogue.keys()],
    beforeNextSearch: (hook) => {
      searchHooks.push(hook);
    },
    reset() {
      orders = new Map();
      products = new Map();
      catalogue = new Map();
      clock = startMicros;
      ticks = 0;
      nextNumero = 1001;
      nextItem = 5_000_001;
      nextProduct = 77_000_001;
      throttles = [];
      failures = [];
      log = [];
      unknown = [];
      searchHooks = [];
      published = new Map();
    },
  };
}
