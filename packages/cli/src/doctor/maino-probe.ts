import { randomBytes } from 'node:crypto';
import { ConectaError, formatCnpj, type RateLimitPolicy } from '@conecta/core';
import { createHttpClient, type HttpClient } from '@conecta/core/http';
import { DEFAULT_MAINO_ENDPOINTS, MAINO_DEFAULT_RATE_LIMIT, type MainoEndpointTable } from '@conecta/maino-client';
import type { Say } from '../i18n.js';
import type { CheckRow, CheckStatus } from './report.js';

/** The product fields the client reads to know what a company can sell: code, on hand, and what is held from it. */
export function productFields(endpoints: MainoEndpointTable): string[] {
  const products = endpoints.products;
  return [products.skuField, products.onHandField, ...products.reservedFields];
}

/** An item as the client sends it on create (`buildMainoOrderBody`): what a lookup compares against. */
const SENT_ITEM_FIELDS = ['codigo', 'qtde', 'valor_unitario'] as const;
const RATE_LIMIT_HEADER = /^(x-)?rate-?limit|^retry-after$/i;

export interface MainoProbeOptions {
  baseUrl: string;
  cnpj: string;
  companyName: string;
  apiKey: string;
  endpoints?: MainoEndpointTable;
  /** The config's pace for Mainô, when it sets one. */
  rateLimit?: RateLimitPolicy;
  say: Say;
  signal?: AbortSignal;
}

type Body = Record<string, unknown>;

/**
 * Read-only checks of one company's Mainô account against what the client assumes: only GETs, two of them with a
 * random code and reference that no real product or order has.
 */
export async function probeMainoCompany(options: MainoProbeOptions): Promise<CheckRow[]> {
  const { say } = options;
  const endpoints = options.endpoints ?? DEFAULT_MAINO_ENDPOINTS;
  const scope = `maino:${options.cnpj}`;
  const rows: CheckRow[] = [];
  const row = (check: string, label: string, status: CheckStatus, detail: Partial<Pick<CheckRow, 'expected' | 'came' | 'note'>> = {}) =>
    rows.push({ scope, check, label, status, ...detail });
  const http = mainoHttp(options);
  const headersSeen = new Map<string, string>();
  const get = async (path: string, query: Record<string, string | number>): Promise<Body> => {
    const response = await http.get<Body | undefined>(path, query, options.signal ? { signal: options.signal } : {});
    response.headers.forEach((value, name) => {
      if (RATE_LIMIT_HEADER.test(name)) headersSeen.set(name, value);
    });
    return response.data ?? {};
  };
  const products = endpoints.products;
  const orders = endpoints.orders;
  const list = (body: Body, key: string): Body[] => (Array.isArray(body[key]) ? (body[key] as Body[]) : []);

  // 1. Authentication: the smallest read there is.
  let firstPage: Body;
  try {
    firstPage = await get(products.path, { per_page: 1 });
    row('maino.auth', say('autenticação (chave de API)', 'authentication (API key)'), 'ok', { came: say('chave aceita', 'key accepted') });
  } catch (error) {
    row('maino.auth', say('autenticação (chave de API)', 'authentication (API key)'), 'error', { expected: say('chave aceita', 'key accepted'), came: describe(error, say) });
    return rows;
  }

  try {
    // 2. Product fields the client reads.
    const sample = list(await get(products.path, { per_page: 20 }), products.listKey);
    if (sample.length === 0) {
      row('maino.products.fields', say('GET /produtos: campos lidos', 'GET /produtos: fields read'), 'unknown', { note: say('a empresa não tem produtos para conferir', 'the company has no products to look at') });
    } else {
      const fields = productFields(endpoints);
      const missing = fields.filter((field) => sample.some((product) => !(field in product)));
      const label = say('GET /produtos: campos lidos', 'GET /produtos: fields read');
      if (missing.length === 0) row('maino.products.fields', label, 'ok', { came: fields.join(', ') });
      else
        row('maino.products.fields', label, 'differs', {
          expected: fields.join(', '),
          came: say(`sem ${missing.join(', ')} (campos: ${Object.keys(sample[0]!).join(', ')})`, `no ${missing.join(', ')} (fields: ${Object.keys(sample[0]!).join(', ')})`),
          note: missing.includes('qtde_armazenada')
            ? say('sem qtde_armazenada o disponível não desconta as unidades armazenadas', 'without qtde_armazenada the available stock does not subtract stored units')
            : undefined,
        });
    }

    // 3. The SKU filter: a known code returns only it, a random one nothing.
    const known = sample.find((product) => typeof product['codigo'] === 'string')?.['codigo'] as string | undefined;
    const label = say(`filtro por SKU (${products.skuParam}=)`, `SKU filter (${products.skuParam}=)`);
    if (!known) {
      row('maino.products.sku-filter', label, 'unknown', { note: say('sem produtos, não há código para testar', 'no products, so no code to try') });
    } else {
      const byKnown = list(await get(products.path, { [products.skuParam]: known, per_page: 20 }), products.listKey);
      const byRandom = list(await get(products.path, { [products.skuParam]: `conecta-doctor-${randomBytes(6).toString('hex')}`, per_page: 20 }), products.listKey);
      const knownOnly = byKnown.length > 0 && byKnown.every((product) => product['codigo'] === known);
      if (knownOnly && byRandom.length === 0) row('maino.products.sku-filter', label, 'ok', { came: say('respeitado', 'honoured') });
      else
        row('maino.products.sku-filter', label, 'differs', {
          expected: say('só o código pedido; nada para um código inexistente', 'only the code asked for; nothing for a code that does not exist'),
          came: say(`${byKnown.length} produto(s) para "${known}", ${byRandom.length} para um código inexistente: filtro ignorado`, `${byKnown.length} product(s) for "${known}", ${byRandom.length} for a code that does not exist: filter ignored`),
          note: say(
            `custo: cada consulta de estoque percorre a lista (até 10 páginas de ${products.perPage}, 10 requisições por SKU) e um SKU além do ${10 * products.perPage}º produto não é encontrado`,
            `cost: every stock lookup walks the list (up to 10 pages of ${products.perPage}, 10 requests per SKU) and a SKU beyond product ${10 * products.perPage} is not found`,
          ),
        });
    }

    // 4. Pagination: per_page=1 on a company with several products must offer a next page.
    const pageLabel = say('paginação (page, per_page, pagination.next_page)', 'pagination (page, per_page, pagination.next_page)');
    const onePage = list(firstPage, products.listKey);
    const next = (firstPage['pagination'] as Body | undefined)?.['next_page'];
    if (onePage.length > 1) {
      row('maino.pagination', pageLabel, 'differs', { expected: say('1 produto com per_page=1', '1 product with per_page=1'), came: say(`${onePage.length} produtos: per_page ignorado`, `${onePage.length} products: per_page ignored`) });
    } else if (onePage.length === 1 && Number(next) === 2) {
      row('maino.pagination', pageLabel, 'ok', { came: 'next_page = 2' });
    } else if (onePage.length === 1) {
      const second = list(await get(products.path, { per_page: 1, page: 2 }), products.listKey);
      if (second.length > 0)
        row('maino.pagination', pageLabel, 'differs', {
          expected: 'pagination.next_page = 2',
          came: say(`next_page ${JSON.stringify(next ?? null)}, mas a página 2 tem produtos`, `next_page ${JSON.stringify(next ?? null)}, yet page 2 has products`),
          note: say('o cliente leria só a primeira página', 'the client would read only the first page'),
        });
      else row('maino.pagination', pageLabel, 'unknown', { note: say('a empresa tem um só produto', 'the company has one product') });
    } else {
      row('maino.pagination', pageLabel, 'unknown', { note: say('a empresa não tem produtos', 'the company has no products') });
    }

    // 5. Orders: the shape of id, items and status.
    const recent = list(await get(orders.path, { per_page: 5 }), orders.listKey);
    const first = recent[0];
    if (!first) {
      for (const [check, text] of [['maino.orders.id', 'id'], ['maino.orders.items', 'itens'], ['maino.orders.reference-field', 'referencia_externa'], ['maino.orders.status', 'status']] as const) {
        row(check, `GET /pedidos: ${text}`, 'unknown', { note: say('a empresa não tem pedidos para conferir', 'the company has no orders to look at') });
      }
    } else {
      const id = first['id'];
      if (typeof id === 'number' || typeof id === 'string') {
        const uuid = typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id);
        row('maino.orders.id', 'GET /pedidos: id', 'ok', { came: typeof id === 'number' ? say('número', 'number') : uuid ? say('texto (UUID)', 'string (UUID)') : say('texto', 'string') });
      } else {
        row('maino.orders.id', 'GET /pedidos: id', 'differs', { expected: say('número ou texto', 'number or string'), came: JSON.stringify(id ?? null) });
      }
      const items = Array.isArray(first['itens']) ? (first['itens'] as Body[]) : undefined;
      const itemsLabel = say('GET /pedidos: itens (como enviados na criação)', 'GET /pedidos: items (as sent on create)');
      const expected = SENT_ITEM_FIELDS.join(', ');
      if (!items) {
        row('maino.orders.items', itemsLabel, 'differs', { expected: `itens: [${expected}]`, came: say(`sem itens (campos: ${Object.keys(first).join(', ')})`, `no itens (fields: ${Object.keys(first).join(', ')})`) });
      } else if (items.length === 0) {
        row('maino.orders.items', itemsLabel, 'unknown', { note: say('o pedido mais recente não tem itens', 'the latest order has no items') });
      } else {
        const item = items[0]!;
        const absent = SENT_ITEM_FIELDS.filter((field) => !(field in item));
        const quantityField = orders.quantityFields.find((field) => field in item);
        const priceField = orders.unitPriceFields.find((field) => field in item);
        const shown = Object.entries(item).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ');
        if (absent.length === 0) row('maino.orders.items', itemsLabel, 'ok', { came: expected });
        else
          row('maino.orders.items', itemsLabel, 'differs', {
            expected,
            came: say(`sem ${absent.join(', ')}; veio ${shown}`, `no ${absent.join(', ')}; came ${shown}`),
            note: [
              quantityField
                ? say(`o cliente lê a quantidade em ${quantityField}`, `the client reads the quantity from ${quantityField}`)
                : say(`nenhum campo de quantidade que o cliente conheça (${orders.quantityFields.join(', ')})`, `no quantity field the client knows (${orders.quantityFields.join(', ')})`),
              priceField ? undefined : say('sem preço por item: totais só pelo total do pedido', 'no unit price: totals only from the order total'),
            ]
              .filter(Boolean)
              .join('; '),
          });
      }
      const referenceLabel = say('GET /pedidos: campo da referência externa', 'GET /pedidos: external-reference field');
      const referenceField = orders.referenceFields.find((field) => field in first);
      if (referenceField) row('maino.orders.reference-field', referenceLabel, 'ok', { came: referenceField });
      else
        row('maino.orders.reference-field', referenceLabel, 'differs', {
          expected: orders.referenceFields.join(say(' ou ', ' or ')),
          came: say(`nenhum (campos: ${Object.keys(first).join(', ')})`, `none (fields: ${Object.keys(first).join(', ')})`),
          note: say(
            'sem a referência nos pedidos a busca por referência não encontra nada: não é possível garantir que cada pedido seja criado no Mainô no máximo uma vez',
            'without the reference in orders the lookup by reference finds nothing: creating each order in Mainô at most once cannot be guaranteed',
          ),
        });
      const status = first['status'];
      if (typeof status === 'string') row('maino.orders.status', 'GET /pedidos: status', 'ok', { came: JSON.stringify(status) });
      else row('maino.orders.status', 'GET /pedidos: status', 'differs', { expected: say('texto', 'string'), came: JSON.stringify(status ?? null) });
    }

    // 6. The external-reference filter, on which creating each order at most once rests.
    const referenceLabel = say(`filtro por referência externa (${orders.referenceParam}=)`, `external-reference filter (${orders.referenceParam}=)`);
    const byReference = list(await get(orders.path, { [orders.referenceParam]: `conecta:doctor:${randomBytes(8).toString('hex')}`, per_page: 5 }), orders.listKey);
    if (byReference.length > 0) {
      row('maino.orders.reference-filter', referenceLabel, 'differs', {
        expected: say('nada para uma referência inexistente', 'nothing for a reference that does not exist'),
        came: say(`${byReference.length} pedido(s): filtro ignorado`, `${byReference.length} order(s): filter ignored`),
        note: say(
          'nesta conta não é possível garantir que cada pedido seja criado no Mainô no máximo uma vez: depois de uma falha ambígua a busca pela referência percorre só as primeiras páginas da lista',
          'on this account creating each order in Mainô at most once cannot be guaranteed: after an ambiguous failure the lookup by reference reads only the first pages of the list',
        ),
      });
    } else if (!first) {
      row('maino.orders.reference-filter', referenceLabel, 'unknown', { note: say('a empresa não tem pedidos: um filtro ignorado também não devolveria nada', 'the company has no orders: an ignored filter would return nothing too') });
    } else {
      row('maino.orders.reference-filter', referenceLabel, 'ok', { came: say('respeitado', 'honoured') });
    }
  } catch (error) {
    row('maino.read', say('leitura', 'read'), 'error', { came: describe(error, say) });
  }

  // 7. Rate-limit headers, if Mainô sends any (nothing is published).
  const headerLabel = say('cabeçalhos de limite de requisições', 'rate-limit headers');
  if (headersSeen.size > 0) row('maino.rate-limit-headers', headerLabel, 'ok', { came: [...headersSeen].map(([name, value]) => `${name}: ${value}`).join(', ') });
  else
    row('maino.rate-limit-headers', headerLabel, 'unknown', {
      came: say('nenhum', 'none'),
      note: options.rateLimit
        ? say(`o cliente se limita a ${options.rateLimit.requests} req/s por empresa (configurado)`, `the client keeps to ${options.rateLimit.requests} req/s per company (configured)`)
        : say(`o cliente se limita a ${MAINO_DEFAULT_RATE_LIMIT.requests} req/s por empresa (assumido)`, `the client keeps to ${MAINO_DEFAULT_RATE_LIMIT.requests} req/s per company (assumed)`),
    });
  return rows;
}

export function companyScopeLabel(cnpj: string, name: string): string {
  return `Mainô ${formatCnpj(cnpj)} ${name}`;
}

function mainoHttp(options: MainoProbeOptions): HttpClient {
  return createHttpClient({
    platform: 'maino',
    baseUrl: options.baseUrl,
    rateLimit: options.rateLimit ?? MAINO_DEFAULT_RATE_LIMIT,
    // The same schedule as the pipeline's client for this company, so a doctor run beside a server shares its pace.
    rateLimitKey: `${options.baseUrl} ${options.cnpj}`,
    policy: { maxAttempts: 2, deadlineMs: 30_000 },
    secrets: [options.apiKey],
    authorize: ({ headers }) => headers.set('X-Api-Key', options.apiKey),
  });
}

export function describe(error: unknown, say: Say): string {
  if (error instanceof ConectaError) {
    const status = (error as { status?: number }).status;
    if (error.code === 'AUTH') return `${say('recusada', 'refused')}${status ? ` (HTTP ${status})` : ''}: ${error.message}`;
    return status ? `HTTP ${status}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
