/**
 * A stateful imitation of the Vitrine API v2 (as written down in the README), for the contract suite and for
 * examples. It keeps its own records in integers and renders them to Vitrine's JSON with its own formatting and
 * signing code, sharing nothing with the connector: a mistake in one is caught by the other.
 */
import { createHmac } from 'node:crypto';
import type { WebhookInput } from '@conecta/core';
import type { ExpectedOrder, PlatformFake } from '@conecta/core/testing';

export const VITRINE_FAKE_BASE_URL = 'https://api.vitrine.example/v2';
export const VITRINE_FAKE_API_TOKEN = 'vtr_tok_5e1c9a0b7d3f4e26';
export const VITRINE_FAKE_WEBHOOK_SECRET = 'vtr_whsec_8b2d6f1a9c4e';

export interface VitrineFakeOptions {
  baseUrl?: string;
  apiToken?: string;
  webhookSecret?: string;
  /** Changes stamped within one second of the data clock (Vitrine's timestamps have one-second resolution). Default 3. */
  changesPerSecond?: number;
  /** Clock for webhook signatures, epoch ms. Default `Date.now`. */
  now?: () => number;
}

export interface VitrineFake extends PlatformFake {
  readonly apiToken: string;
  readonly webhookSecret: string;
  /** Adds one order with the lines given (quantities in milli-units, prices in cents); returns its id. */
  addOrder(lines: Array<{ sku: string; quantityMilli: number; unitPriceCents: number; name?: string }>, options?: { status?: string }): string;
  webhooks: NonNullable<PlatformFake['webhooks']> & { ping(): WebhookInput };
}

interface FakeLine {
  id: number;
  sku: string;
  name: string;
  quantityMilli: number;
  unitPriceCents: number;
}

interface FakeOrder {
  id: number;
  number: string;
  status: string;
  customer: { name: string; email: string; document: string; phone: string };
  lines: FakeLine[];
  shippingCents: number;
  discountCents: number;
  createdAt: number;
  updatedAt: number;
  malformed?: boolean;
  /** Breaks one field of the rendered order (addMalformedOrders). */
  corrupt?: (json: Record<string, unknown>) => void;
}

const STATUS_NAMES: Record<string, string> = {
  aguardando_pagamento: 'Aguardando pagamento',
  pago: 'Pago',
  em_separacao: 'Em separação',
  enviado: 'Enviado',
  entregue: 'Entregue',
  cancelado: 'Cancelado',
  devolvido: 'Devolvido',
};
/**
 * What each status means to a merchant, written by hand (not read from the connector's dictionary) so the contract
 * checks the dictionary against an independent reading.
 */
const STATUS_MEANING: Record<string, 'pending' | 'finalized' | 'cancelled' | 'ignored'> = {
  aguardando_pagamento: 'ignored',
  pago: 'pending',
  em_separacao: 'pending',
  enviado: 'finalized',
  entregue: 'finalized',
  cancelado: 'cancelled',
  devolvido: 'cancelled',
};

const EPOCH = Date.UTC(2024, 4, 1, 15, 0, 0);
const MAX_PAGE = 100;
const STOCK_BATCH = 50;

/** 123456 cents -> "1.234,56": Vitrine's Brazilian decimal format, written out by hand. */
function brl(cents: number): string {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, '.');
  return `${cents < 0 ? '-' : ''}${whole},${digits.slice(-2)}`;
}

/** 750 milli-units -> "0,750". */
function qty(milli: number): string {
  const digits = String(milli).padStart(4, '0');
  return `${digits.slice(0, -3)},${digits.slice(-3)}`;
}

/** "7", "7,5", "0,750" -> milli-units; undefined when it is not such a number. */
function parseQty(text: unknown): number | undefined {
  const match = typeof text === 'string' ? /^(\d+)(?:,(\d{1,3}))?$/.exec(text) : null;
  if (!match) return undefined;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** Local time of São Paulo (UTC-3), to the second, as Vitrine stamps its records. */
function stamp(ms: number): string {
  return `${new Date(ms - 3 * 3_600_000).toISOString().slice(0, 19)}-03:00`;
}

const lineCents = (line: FakeLine) => Math.round((line.quantityMilli * line.unitPriceCents) / 1000); // half up
const itemsCents = (order: FakeOrder) => order.lines.reduce((sum, line) => sum + lineCents(line), 0);
const totalCents = (order: FakeOrder) => itemsCents(order) + order.shippingCents - order.discountCents;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

export function createVitrineFake(options: VitrineFakeOptions = {}): VitrineFake {
  const baseUrl = (options.baseUrl ?? VITRINE_FAKE_BASE_URL).replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const apiToken = options.apiToken ?? VITRINE_FAKE_API_TOKEN;
  const webhookSecret = options.webhookSecret ?? VITRINE_FAKE_WEBHOOK_SECRET;
  const perSecond = options.changesPerSecond ?? 3;
  const now = options.now ?? Date.now;

  let orders = new Map<string, FakeOrder>();
  let stock = new Map<string, number>();
  let log: Array<{ at: number; method: string; url: string; status: number }> = [];
  let unknown: string[] = [];
  let throttle = { times: 0, seconds: 0 };
  let failures = { times: 0, status: 500 };
  let seq = 0;
  let lineSeq = 0;
  let deliverySeq = 0;
  let clock = EPOCH;
  let usedInSecond = 0;

  /** The next change's instant; several changes share a second, and a change is always later than `after`. */
  const tick = (after?: number): number => {
    if (usedInSecond >= perSecond || (after !== undefined && clock <= after)) {
      clock = Math.max(clock, after ?? clock) + 1000;
      usedInSecond = 0;
    }
    usedInSecond += 1;
    return clock;
  };

  const insert = (lines: Array<Omit<FakeLine, 'id'>>, status: string, extra: Partial<FakeOrder> = {}): FakeOrder => {
    seq += 1;
    const at = tick();
    const order: FakeOrder = {
      id: 70_000 + seq,
      number: `VT-${10_000 + seq}`,
      status,
      customer: { name: `Cliente Vitrine ${seq}`, email: `cliente${seq}@exemplo.com.br`, document: '123.456.789-09', phone: '(41) 99876-5432' },
      lines: lines.map((line) => ({ ...line, id: ++lineSeq })),
      shippingCents: seq % 2 === 1 ? 1_990 : 0,
      discountCents: seq % 5 === 0 ? 1_000 : 0,
      createdAt: at,
      updatedAt: at,
      ...extra,
    };
    orders.set(String(order.id), order);
    return order;
  };

  /** 1 to 3 lines; every fourth order sells 0,750 kg of something; every fifth has an item over R$ 1.000. */
  const seedOne = (status: string): FakeOrder => {
    const n = seq + 1;
    const lines = Array.from({ length: 1 + (n % 3) }, (_, j) => ({
      sku: `VT-${((n + j) % 6) + 1}`,
      name: `Produto Vitrine ${((n + j) % 6) + 1}`,
      quantityMilli: j === 0 && n % 4 === 0 ? 750 : (1 + ((n + j) % 3)) * 1000,
      unitPriceCents: j === 1 && n % 5 === 0 ? 125_990 : 1_290 + 211 * ((n * 7 + j) % 9),
    }));
    return insert(lines, status);
  };

  const render = (order: FakeOrder): Record<string, unknown> => {
    const json = renderClean(order);
    order.corrupt?.(json);
    return json;
  };

  const renderClean = (order: FakeOrder): Record<string, unknown> => ({
    id: order.id,
    numero: order.number,
    situacao: { codigo: order.status, nome: STATUS_NAMES[order.status] ?? order.status },
    cliente: { nome: order.customer.name, email: order.customer.email, cpf_cnpj: order.customer.document, telefone: order.customer.phone },
    itens: order.lines.map((line, index) => ({
      id: line.id,
      sku: line.sku,
      descricao: line.name,
      quantidade: order.malformed && index === 0 ? 'dois' : qty(line.quantityMilli),
      preco_unitario: brl(line.unitPriceCents),
    })),
    valores: { produtos: brl(itemsCents(order)), frete: brl(order.shippingCents), desconto: brl(order.discountCents), total: brl(totalCents(order)) },
    criado_em: stamp(order.createdAt),
    atualizado_em: stamp(order.updatedAt),
  });

  const listOrders = (query: URLSearchParams): Response => {
    const pagina = Number(query.get('pagina') ?? '1');
    const porPagina = Number(query.get('por_pagina') ?? '20');
    const desdeText = query.get('atualizado_desde');
    const desde = desdeText === null ? Number.NEGATIVE_INFINITY : Date.parse(desdeText);
    if (!Number.isInteger(pagina) || pagina < 1) return json(400, { erro: 'parametro_invalido', campo: 'pagina' });
    if (!Number.isInteger(porPagina) || porPagina < 1 || porPagina > MAX_PAGE) return json(400, { erro: 'parametro_invalido', campo: 'por_pagina' });
    if (Number.isNaN(desde)) return json(400, { erro: 'parametro_invalido', campo: 'atualizado_desde' });
    const matching = [...orders.values()].filter((order) => order.updatedAt >= desde).sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
    const start = (pagina - 1) * porPagina;
    return json(200, {
      pedidos: matching.slice(start, start + porPagina).map(render),
      paginacao: { pagina, por_pagina: porPagina, total_itens: matching.length, total_paginas: Math.ceil(matching.length / porPagina) },
    });
  };

  const putStock = (body: string): Response => {
    let payload: { itens?: Array<{ sku?: unknown; quantidade?: unknown }> };
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      return json(400, { erro: 'json_invalido' });
    }
    const itens = Array.isArray(payload.itens) ? payload.itens : [];
    if (itens.length > STOCK_BATCH) return json(400, { erro: 'lote_grande_demais', maximo: STOCK_BATCH });
    const resultados = itens.map((item) => {
      const sku = String(item.sku ?? '');
      if (!stock.has(sku)) return { sku, situacao: 'nao_encontrado' };
      const milli = parseQty(item.quantidade);
      if (milli === undefined) return { sku, situacao: 'erro', mensagem: 'quantidade inválida' };
      stock.set(sku, milli);
      return { sku, situacao: 'atualizado' };
    });
    return json(200, { resultados });
  };

  type Handler = (query: URLSearchParams, body: string) => Response;
  const route = (method: string, path: string): Handler | undefined => {
    if (!path.startsWith(`${basePath}/`)) return undefined;
    const local = path.slice(basePath.length);
    if (method === 'GET' && local === '/pedidos') return listOrders;
    if (method === 'GET' && local === '/situacoes') {
      return () => json(200, { situacoes: Object.entries(STATUS_NAMES).map(([codigo, nome]) => ({ codigo, nome })) });
    }
    if (method === 'PUT' && local === '/estoques') return (_query, body) => putStock(body);
    const one = /^\/pedidos\/(\d+)$/.exec(local);
    if (method === 'GET' && one) {
      return () => {
        const order = orders.get(one[1]!);
        return order ? json(200, { pedido: render(order) }) : json(404, { erro: 'pedido_nao_encontrado' });
      };
    }
    return undefined;
  };

  const respond = async (request: Request, url: URL): Promise<Response> => {
    const handler = route(request.method, url.pathname);
    if (!handler) {
      unknown.push(`${request.method} ${url.pathname}${url.search}`);
      return json(404, { erro: 'rota_desconhecida' });
    }
    if (throttle.times > 0) {
      throttle.times -= 1;
      return json(429, { erro: 'limite_excedido', mensagem: 'Limite de requisições excedido.' }, { 'retry-after': String(throttle.seconds) });
    }
    if (failures.times > 0) {
      failures.times -= 1;
      return json(failures.status, { erro: 'erro_interno' });
    }
    if (request.headers.get('x-vitrine-token') !== apiToken) return json(401, { erro: 'token_invalido', mensagem: 'Token de API inválido ou ausente.' });
    return handler(url.searchParams, request.method === 'GET' ? '' : await request.text());
  };

  const orderOrThrow = (externalId: string): FakeOrder => {
    const order = orders.get(externalId);
    if (!order) throw new Error(`vitrine fake: no order ${externalId}`);
    return order;
  };

  /** Signed as Vitrine signs: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
  const delivery = (evento: string, externalId?: string): { rawBody: string; headers: Record<string, string> } => {
    deliverySeq += 1;
    const id = `ent_${String(deliverySeq).padStart(6, '0')}`;
    const rawBody = JSON.stringify(externalId === undefined ? { id, evento } : { id, evento, pedido: render(orderOrThrow(externalId)) });
    const t = String(Math.floor(now() / 1000));
    const v1 = createHmac('sha256', webhookSecret).update(`${t}.${rawBody}`).digest('hex');
    return { rawBody, headers: { 'content-type': 'application/json', 'user-agent': 'Vitrine-Webhooks/2.0', 'x-vitrine-assinatura': `t=${t},v1=${v1}` } };
  };

  return {
    baseUrl,
    apiToken,
    webhookSecret,
    async handle(request) {
      const at = Date.now();
      const url = new URL(request.url);
      const response = await respond(request, url);
      log.push({ at, method: request.method, url: `${url.pathname}${url.search}`, status: response.status });
      return response;
    },
    seedOrders(count, seedOptions) {
      return Array.from({ length: count }, () => String(seedOne(seedOptions?.status ?? 'pago').id));
    },
    addOrder(lines, addOptions) {
      return String(insert(lines.map((line) => ({ ...line, name: line.name ?? `Produto ${line.sku}` })), addOptions?.status ?? 'pago').id);
    },
    modifyOrder(externalId, changes) {
      const order = orderOrThrow(externalId);
      order.updatedAt = tick(order.updatedAt);
      order.status = changes?.status ?? (order.status === 'pago' ? 'em_separacao' : 'enviado');
    },
    addMalformedOrder() {
      const order = seedOne('pago');
      order.malformed = true;
      return { externalId: String(order.id), field: 'quantidade' };
    },
    addMalformedOrders() {
      // One order per converted field: each rejection must name exactly that field.
      const item = (json: Record<string, unknown>) => (json['itens'] as Array<Record<string, unknown>>)[1]!;
      const valores = (json: Record<string, unknown>) => json['valores'] as Record<string, unknown>;
      const breaks: Array<[string, (json: Record<string, unknown>) => void]> = [
        ['itens.1.quantidade', (json) => (item(json)['quantidade'] = 'dois')],
        ['itens.1.preco_unitario', (json) => (item(json)['preco_unitario'] = '19.90.1')],
        ['valores.produtos', (json) => (valores(json)['produtos'] = 'abc')],
        ['valores.frete', (json) => (valores(json)['frete'] = '15,9O')],
        ['valores.desconto', (json) => (valores(json)['desconto'] = 'R$ 5')],
        ['valores.total', (json) => (valores(json)['total'] = '')],
      ];
      return breaks.map(([path, corrupt]) => {
        const order = seedOne('pago');
        if (order.lines.length < 2) order.lines.push({ ...order.lines[0]!, id: order.lines[0]!.id + 1000 });
        order.corrupt = corrupt;
        return { externalId: String(order.id), path };
      });
    },
    expectedOrder(externalId): ExpectedOrder {
      const order = orderOrThrow(externalId);
      return {
        externalId,
        number: order.number,
        status: order.status,
        totalCents: totalCents(order),
        lines: order.lines.map(({ sku, quantityMilli, unitPriceCents }) => ({ sku, quantityMilli, unitPriceCents })),
        // The CPF as core normalises it: digits only.
        customer: { name: order.customer.name, email: order.customer.email, document: order.customer.document.replace(/\D/g, ''), phone: order.customer.phone },
        ...(STATUS_MEANING[order.status] ? { intakeState: STATUS_MEANING[order.status] } : {}),
        createdAt: new Date(order.createdAt).toISOString(),
        updatedAt: new Date(order.updatedAt).toISOString(),
        totals: { itemsCents: itemsCents(order), shippingCents: order.shippingCents, discountCents: order.discountCents, feesCents: 0, taxCents: 0, totalCents: totalCents(order) },
      };
    },
    throttleNext(times, retryAfterSeconds) {
      throttle = { times, seconds: retryAfterSeconds };
    },
    failNext(times, status = 500) {
      failures = { times, status };
    },
    seedProducts(skus) {
      for (const sku of skus) stock.set(sku, 0);
    },
    stockOf: (sku) => stock.get(sku),
    requests: () => [...log],
    unknownRequests: () => [...unknown],
    webhooks: {
      valid: (externalId) => delivery('pedido.atualizado', externalId),
      tampered(externalId) {
        const signed = delivery('pedido.atualizado', externalId);
        // Changed after signing: the total raised by R$ 100, as someone inflating an order would.
        return { ...signed, rawBody: signed.rawBody.replace(/"total":"/, '"total":"100') };
      },
      unsigned(externalId) {
        const { rawBody, headers } = delivery('pedido.atualizado', externalId);
        const { 'x-vitrine-assinatura': _signature, ...unsigned } = headers;
        return { rawBody, headers: unsigned };
      },
      truncatedSignature(externalId) {
        const { rawBody, headers } = delivery('pedido.atualizado', externalId);
        return { rawBody, headers: { ...headers, 'x-vitrine-assinatura': headers['x-vitrine-assinatura']!.slice(0, -32) } };
      },
      ping: () => delivery('ping'),
    },
    reset() {
      orders = new Map();
      stock = new Map();
      log = [];
      unknown = [];
      throttle = { times: 0, seconds: 0 };
      failures = { times: 0, status: 500 };
      seq = 0;
      lineSeq = 0;
      deliverySeq = 0;
      clock = EPOCH;
      usedInSecond = 0;
    },
  };
}
