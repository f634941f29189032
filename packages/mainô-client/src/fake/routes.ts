import { parseCents, parseDateBr, parseQuantity } from '@conecta/core';
import { digits, type FakeCompany, type FakeOrder, type FakeStore } from './state.js';
import { issueToken, type TokenFormat } from './tokens.js';
import { invoiceJson, json, loginJson, orderJson, pageJson, productJson, type OrderShape } from './serialise.js';

export interface RouteContext {
  store: FakeStore;
  url: URL;
  request: Request;
  company: FakeCompany;
  options: { honourReferenceFilter: boolean; honourSkuFilter: boolean; maxPerPage: { produtos: number; pedidos: number }; idStyle: 'uuid' | 'numeric'; refuseOversell: boolean };
  /** Shape of the orders in this answer. */
  shape: OrderShape;
  /** Fields to leave out of every entry of a list answer. */
  omit: string[];
}

function without(entry: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return entry;
  const copy = { ...entry };
  for (const field of fields) delete copy[field];
  return copy;
}

export async function authenticateRoute(
  store: FakeStore,
  request: Request,
  options: { applicationUid: string; tokenTtlSeconds: number; authEnvelope: 'bare' | 'value'; tokenFormat: TokenFormat },
): Promise<Response> {
  const body = (await request.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!body || body['application_uid'] !== options.applicationUid) return json({ error: 'application_uid inválido' }, 401);
  const user = store.users.find((candidate) => candidate.email === body['email'] && candidate.password === body['password']);
  if (!user) return json({ error: 'E-mail ou senha inválidos' }, 401);
  const map: Record<string, unknown> = {};
  for (const cnpj of user.cnpjs) {
    const company = store.company(cnpj);
    const { token, expiresAt } = issueToken(company.cnpj, options.tokenTtlSeconds, options.tokenFormat);
    store.tokens.set(token, { cnpj: company.cnpj, expiresAt });
    map[company.cnpj] = loginJson(company, user, token);
  }
  return json(options.authEnvelope === 'value' ? { value: map } : map);
}

export function listProductsRoute(context: RouteContext): Response {
  const { url, company } = context;
  const paging = readPaging(url, context.options.maxPerPage.produtos);
  if (paging instanceof Response) return paging;
  const codigo = context.options.honourSkuFilter ? url.searchParams.get('codigo') : null;
  const products = [...company.products.values()].filter((product) => codigo === null || product.codigo === codigo);
  return pageJson('produtos', products.map((product) => without(productJson(product), context.omit)), paging.page, paging.perPage);
}

export function listOrdersRoute(context: RouteContext): Response {
  const { url, company } = context;
  const paging = readPaging(url, context.options.maxPerPage.pedidos);
  if (paging instanceof Response) return paging;
  const range: { from?: string; to?: string } = {};
  for (const [param, key] of [['data_inicio', 'from'], ['data_fim', 'to']] as const) {
    const value = url.searchParams.get(param);
    if (value === null) continue;
    try {
      range[key] = parseDateBr(value, param);
    } catch {
      return json({ errors: { [param]: ['formato inválido, use dd/mm/aaaa'] } }, 400);
    }
  }
  const reference = context.options.honourReferenceFilter ? url.searchParams.get('referencia_externa') : null;
  const orders = company.orders.filter((order) => {
    const issued = parseDateBr(order.data_emissao);
    if (range.from && issued < range.from) return false;
    if (range.to && issued > range.to) return false;
    return reference === null || order.referencia_externa === reference;
  });
  return pageJson('pedidos', orders.map((order) => without(orderJson(order, context.shape), context.omit)), paging.page, paging.perPage);
}

export function getOrderRoute(context: RouteContext, id: string): Response {
  const order = context.company.orders.find((candidate) => candidate.id === id);
  return order ? json({ pedido: orderJson(order, context.shape) }) : json({ error: 'Pedido não encontrado' }, 404);
}

/** The order's invoice, or 404 when it has none, as real answers do. */
export function getInvoiceRoute(context: RouteContext, id: string): Response {
  const order = context.company.orders.find((candidate) => candidate.id === id);
  if (!order) return json({ error: 'Pedido não encontrado' }, 404);
  if (!order.notaFiscal) return json({ error: 'Nota fiscal não encontrada' }, 404);
  return json(invoiceJson(order.notaFiscal, context.url.origin));
}

/** Stores the order and commits its stock; the caller decides what the client gets to see (faults). */
export async function createOrderRoute(context: RouteContext): Promise<{ response: Response; order?: FakeOrder }> {
  const body = (await context.request.json().catch(() => undefined)) as { pedido?: Record<string, unknown> } | undefined;
  const pedido = body?.pedido;
  if (!pedido || typeof pedido !== 'object') return { response: json({ errors: { pedido: ['obrigatório'] } }, 422) };
  const errors: Record<string, string[]> = {};
  const rawItems = Array.isArray(pedido['itens']) ? (pedido['itens'] as Array<Record<string, unknown>>) : [];
  if (rawItems.length === 0) errors['itens'] = ['o pedido precisa de ao menos um item'];
  const itens = rawItems.flatMap((item, index) => {
    const product = context.company.products.get(String(item['codigo']));
    // The create body is assumed: `qtde` as built today, `quantidade` as real answers name it.
    const quantity = item['qtde'] ?? item['quantidade'];
    if (!product) {
      errors[`itens.${index}.codigo`] = ['produto não encontrado'];
      return [];
    }
    try {
      const qtdeMilli = parseQuantity(quantity, { field: `itens.${index}.qtde`, decimalSeparator: '.' });
      const valorUnitarioCents = parseCents(item['valor_unitario'], { field: `itens.${index}.valor_unitario`, decimalSeparator: '.' });
      if (qtdeMilli <= 0) throw new Error('deve ser maior que zero');
      return [{ codigo: product.codigo, descricao: String(item['descricao'] ?? product.descricao), qtdeMilli, valorUnitarioCents }];
    } catch (error) {
      errors[`itens.${index}`] = [error instanceof Error ? error.message : String(error)];
      return [];
    }
  });
  const dataEmissao = String(pedido['data_emissao'] ?? '');
  try {
    parseDateBr(dataEmissao);
  } catch {
    errors['data_emissao'] = ['formato inválido, use dd/mm/aaaa'];
  }
  if (Object.keys(errors).length === 0 && context.options.refuseOversell) {
    const needed = new Map<string, number>();
    for (const item of itens) needed.set(item.codigo, (needed.get(item.codigo) ?? 0) + item.qtdeMilli);
    itens.forEach((item, index) => {
      const product = context.company.products.get(item.codigo)!;
      const available = product.qtdeMilli - product.committedMilli - product.storedMilli;
      if (available < needed.get(item.codigo)!) errors[`itens.${index}.qtde`] = [`estoque insuficiente para ${item.codigo}: quantidade disponível ${available / 1000}`];
    });
  }
  if (Object.keys(errors).length > 0) return { response: json({ errors }, 422) };

  const tags = Array.isArray(pedido['tags']) ? (pedido['tags'] as unknown[]).map(String) : [];
  const order: FakeOrder = {
    id: context.store.orderId(context.options.idStyle),
    numero: String(context.company.nextNumero++),
    referencia_externa: typeof pedido['referencia_externa'] === 'string' ? pedido['referencia_externa'] : null,
    tags,
    status: 'em_aberto',
    numero_pedido_ecommerce: pedido['numero_pedido_ecommerce'] === undefined ? null : String(pedido['numero_pedido_ecommerce']),
    data_emissao: dataEmissao,
    cliente: (pedido['cliente'] as Record<string, unknown> | undefined) ?? {},
    itens,
    notaFiscal: null,
  };
  context.company.orders.push(order);
  for (const item of itens) context.company.products.get(item.codigo)!.committedMilli += item.qtdeMilli;
  return { response: json({ pedido: orderJson(order, context.shape) }, 201), order };
}

/** Cancels (the order stays, as `cancelado`) and releases the committed stock; a second cancel is refused. */
export function cancelOrderRoute(context: RouteContext, id: string): Response {
  const order = context.company.orders.find((candidate) => candidate.id === id);
  if (!order) return json({ error: 'Pedido não encontrado' }, 404);
  if (order.status === 'cancelado') return json({ errors: { status: ['Pedido já está cancelado'] } }, 422);
  order.status = 'cancelado';
  for (const item of order.itens) {
    const product = context.company.products.get(item.codigo);
    if (product) product.committedMilli -= item.qtdeMilli;
  }
  return json({ pedido: orderJson(order, context.shape) });
}

function readPaging(url: URL, maxPerPage: number): { page: number; perPage: number } | Response {
  const page = Number(url.searchParams.get('page') ?? '1');
  const perPage = Number(url.searchParams.get('per_page') ?? String(maxPerPage));
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1) {
    return json({ errors: { page: ['inválido'] } }, 400);
  }
  // Like the reported limits: asking for more than the maximum gets the maximum.
  return { page, perPage: Math.min(perPage, maxPerPage) };
}

export { digits };
