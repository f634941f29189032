/**
 * A partner's connector for Vitrine, an (invented) Brazilian e-commerce platform, written against the Connector spec
 * v1 of @conecta/core. The Vitrine API it speaks is written down in this package's README ("The Vitrine API").
 *
 * The shape every connector shares:
 * - one HTTP client from `createHttpClient` (auth, rate limit, retries, 429 waits, typed errors, secret redaction);
 * - one mapping from the platform's order to `PlatformOrder`, run through `parsePlatformOrder` so a bad order becomes
 *   a RejectedPayload instead of sinking its page;
 * - a cursor that resumes a listing with nothing lost and nothing unchanged repeated;
 * - optional capabilities (webhooks, stock push) present exactly when their methods are.
 */
import * as z from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  ConectaError,
  ConfigurationError,
  ValidationError,
  WebhookRejectedError,
  defineStatusDictionary,
  formatQuantity,
  parseCents,
  parsePlatformOrder,
  parseQuantity,
  parseWith,
  registerSecret,
  type Connector,
  type ListOrdersOptions,
  type OrderPage,
  type PlatformOrder,
  type PlatformOrderInput,
  type RateLimitPolicy,
  type RejectedPayload,
  type StatusDictionary,
  type StockPushResult,
  type WebhookEvent,
  type WebhookInput,
  type WebhookVerification,
} from '@conecta/core';
import { createHttpClient, requireSecureUrl, hmacSha256Hex, sha256Hex, timingSafeEqualString, type HttpClient, type HttpPolicy, type RetryEvent } from '@conecta/core/http';

export const VITRINE_PLATFORM = 'vitrine';
export const VITRINE_DEFAULT_BASE_URL = 'https://api.vitrine.example/v2';

/** Vitrine documents 120 requests per minute per token, with bursts of up to 20. */
export const VITRINE_RATE_LIMIT: RateLimitPolicy = {
  requests: 120,
  intervalMs: 60_000,
  burst: 20,
  source: 'Vitrine API v2 docs: 120 requests/min per token, burst 20',
};

/** `GET /situacoes` answers these; the dictionary below maps each one to what Conecta does with the order. */
export const VITRINE_STATUSES = {
  aguardando_pagamento: { state: 'ignored', label: 'Aguardando pagamento' },
  pago: { state: 'pending', label: 'Pago' },
  em_separacao: { state: 'pending', label: 'Em separação' },
  enviado: { state: 'finalized', label: 'Enviado' },
  entregue: { state: 'finalized', label: 'Entregue' },
  cancelado: { state: 'cancelled', label: 'Cancelado' },
  devolvido: { state: 'cancelled', label: 'Devolvido' },
} as const;

export function vitrineStatusDictionary(): StatusDictionary {
  return defineStatusDictionary(VITRINE_PLATFORM, { ...VITRINE_STATUSES });
}

/** Stock levels per `PUT /estoques` call (the API refuses more). */
export const VITRINE_STOCK_BATCH = 50;
/** Header of a webhook delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const VITRINE_SIGNATURE_HEADER = 'x-vitrine-assinatura';

export interface VitrineConnectorOptions {
  /** API root. Must be https; plain http only on loopback (a local fake). */
  baseUrl?: string;
  /** The store's API token (Painel Vitrine > Integrações > Token de API), sent as `X-Vitrine-Token`. */
  apiToken: string;
  /** The secret shown when the webhook is registered. Without it the connector has no webhooks (polling only). */
  webhookSecret?: string;
  /** `por_pagina` of each listing request, 1 to 100. Default 50. */
  pageSize?: number;
  /** How far a delivery's timestamp may be from our clock. Default 300 s. */
  webhookToleranceSeconds?: number;
  rateLimit?: RateLimitPolicy;
  http?: Partial<HttpPolicy> & { onRetry?: (event: RetryEvent) => void };
  fetch?: typeof fetch;
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The mapping: a Vitrine `pedido` to a PlatformOrder.
// ---------------------------------------------------------------------------------------------------------------

const idText = z.union([z.string().min(1), z.int().nonnegative()]).transform(String);
const decimalText = z.union([z.string(), z.number()]);
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value || undefined);
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** The wire shape, checked before mapping so a missing field is reported by name. Decimals stay text here. */
const VitrinePedidoSchema = z.object({
  id: idText,
  numero: z.string().min(1),
  situacao: z.object({ codigo: z.string().min(1), nome: optionalText }),
  cliente: z.object({ nome: z.string(), email: optionalText, cpf_cnpj: optionalText, telefone: optionalText }),
  itens: z.array(
    z.object({ id: idText.nullish(), sku: z.string(), descricao: z.string(), quantidade: decimalText, preco_unitario: decimalText }),
  ),
  valores: z.object({ produtos: decimalText, frete: decimalText.nullish(), desconto: decimalText.nullish(), total: decimalText }),
  criado_em: instant,
  atualizado_em: instant,
});

/**
 * Vitrine writes decimals the Brazilian way ("1.234,56", "0,750"). `parseCents` and `parseQuantity` read them digit
 * by digit into integers (never through a float) and throw a ValidationError naming `field` when they cannot.
 */
const cents = (value: unknown, field: string) => parseCents(value, { field, decimalSeparator: ',' });
const milli = (value: unknown, field: string) => parseQuantity(value, { field, decimalSeparator: ',' });

export function mapVitrineOrder(raw: unknown): Omit<PlatformOrderInput, 'raw'> {
  const pedido = VitrinePedidoSchema.parse(raw);
  return {
    externalId: pedido.id,
    number: pedido.numero,
    status: pedido.situacao.codigo,
    statusLabel: pedido.situacao.nome,
    customer: {
      name: pedido.cliente.nome,
      email: pedido.cliente.email,
      // Core keeps CPF/CNPJ as digits only.
      document: pedido.cliente.cpf_cnpj?.replace(/\D/g, '') || undefined,
      phone: pedido.cliente.telefone,
    },
    lines: pedido.itens.map((item, index) => ({
      lineId: item.id ?? undefined,
      sku: item.sku,
      name: item.descricao,
      quantityMilli: milli(item.quantidade, `itens.${index}.quantidade`),
      unitPriceCents: cents(item.preco_unitario, `itens.${index}.preco_unitario`),
    })),
    totals: {
      itemsCents: cents(pedido.valores.produtos, 'valores.produtos'),
      shippingCents: pedido.valores.frete == null ? 0 : cents(pedido.valores.frete, 'valores.frete'),
      discountCents: pedido.valores.desconto == null ? 0 : cents(pedido.valores.desconto, 'valores.desconto'),
      totalCents: cents(pedido.valores.total, 'valores.total'),
    },
    createdAt: pedido.criado_em,
    updatedAt: pedido.atualizado_em,
  };
}

/** Id and last change of a raw order, read leniently, so a rejected order is still labelled and passed by the cursor. */
function identify(raw: unknown): { externalId?: string; updatedAt?: string } {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = record['id'];
  const at = typeof record['atualizado_em'] === 'string' ? Date.parse(record['atualizado_em']) : Number.NaN;
  return {
    externalId: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined,
    updatedAt: Number.isNaN(at) ? undefined : new Date(at).toISOString(),
  };
}

type Mapped = { order: PlatformOrder; externalId: string; updatedAt: string } | { rejected: RejectedPayload; externalId?: string; updatedAt?: string };

function mapRaw(raw: unknown): Mapped {
  const { externalId, updatedAt } = identify(raw);
  const result = parsePlatformOrder(raw, (input) => ({ ...mapVitrineOrder(input), raw: input }), { platform: VITRINE_PLATFORM, externalId });
  if ('order' in result) return { order: result.order, externalId: result.order.externalId, updatedAt: result.order.updatedAt };
  return { rejected: result.rejected, externalId, updatedAt };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The cursor.
// ---------------------------------------------------------------------------------------------------------------

/**
 * Vitrine lists orders by `atualizado_em` then `id`, filters with an inclusive `atualizado_desde`, and stamps changes
 * to the second, so several orders share one instant. A bare timestamp would either repeat them (inclusive filter) or
 * lose those not yet read (if we added a second). The cursor keeps the last instant read and the ids read at it:
 * a resume asks again from that instant and skips exactly those ids.
 */
interface VitrineCursor {
  since?: string;
  seen: string[];
}

const CursorSchema = z.object({ v: z.literal(1), since: z.iso.datetime().optional(), seen: z.array(z.string()) });

function encodeCursor(cursor: VitrineCursor): string {
  return JSON.stringify({ v: 1, ...(cursor.since ? { since: cursor.since } : {}), seen: cursor.seen });
}

function decodeCursor(text: string): VitrineCursor {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError([{ path: 'cursor', message: 'not a Vitrine cursor' }], { subject: 'vitrine listOrders' });
  return { since: parsed.data.since, seen: parsed.data.seen };
}

/** Already read under this cursor: older than its instant, or at its instant with an id it lists. */
function alreadyRead(cursor: VitrineCursor, id: string | undefined, at: string | undefined): boolean {
  if (!cursor.since || !at) return false;
  const delta = Date.parse(at) - Date.parse(cursor.since);
  return delta < 0 || (delta === 0 && id !== undefined && cursor.seen.includes(id));
}

function advance(cursor: VitrineCursor, id: string | undefined, at: string | undefined): VitrineCursor {
  if (!at) return cursor; // unreadable instant: the order sorted where the cursor already is
  if (!cursor.since || Date.parse(at) > Date.parse(cursor.since)) return { since: at, seen: id ? [id] : [] };
  return id && !cursor.seen.includes(id) ? { since: cursor.since, seen: [...cursor.seen, id] } : cursor;
}

const PageSchema = z.object({
  pedidos: z.array(z.unknown()),
  paginacao: z.object({ pagina: z.int(), total_paginas: z.int().nonnegative() }),
});

/**
 * After a page that moved the cursor's instant forward, the next request starts again at page 1 from the new
 * instant: an order that changes mid-listing moves to the end of Vitrine's sort and cannot push an unread order back
 * onto a page already read. `pagina` only grows while a whole page shares one instant (see the README's limits).
 */
async function* listVitrineOrders(client: HttpClient, pageSize: number, options: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
  let cursor: VitrineCursor = options.cursor ? decodeCursor(options.cursor) : { seen: [] };
  if (!options.cursor && options.since) {
    const at = Date.parse(options.since);
    if (Number.isNaN(at)) throw new ValidationError([{ path: 'since', message: `"${options.since}" is not an ISO instant` }], { subject: 'vitrine listOrders' });
    cursor = { since: new Date(at).toISOString(), seen: [] };
  }
  let pagina = 1;
  let yielded = false;
  for (;;) {
    const response = await client.get('pedidos', { atualizado_desde: cursor.since, pagina, por_pagina: pageSize }, { signal: options.signal });
    const body = parseWith(PageSchema, response.data, 'vitrine orders page');
    const before = cursor.since;
    const page: OrderPage = { orders: [], rejected: [], cursor: '' };
    for (const raw of body.pedidos) {
      const mapped = mapRaw(raw);
      if (alreadyRead(cursor, mapped.externalId, mapped.updatedAt)) continue;
      if ('order' in mapped) page.orders.push(mapped.order);
      else page.rejected.push(mapped.rejected);
      cursor = advance(cursor, mapped.externalId, mapped.updatedAt);
    }
    const last = body.paginacao.pagina >= body.paginacao.total_paginas || body.pedidos.length === 0;
    // Every page with something in it is yielded with the cursor after it; an empty listing still yields one page,
    // so the caller always gets a cursor to save.
    if (page.orders.length > 0 || page.rejected.length > 0 || (last && !yielded)) {
      yielded = true;
      yield { ...page, cursor: encodeCursor(cursor) };
    }
    if (last) return;
    pagina = cursor.since !== before ? 1 : pagina + 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Webhooks.
// ---------------------------------------------------------------------------------------------------------------

const WebhookBodySchema = z.object({ id: z.string().min(1), evento: z.string().min(1), pedido: z.unknown().optional() });

function headerOf(headers: WebhookInput['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

const bodyText = (raw: WebhookInput['rawBody']) => (typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));

/**
 * Signature first: nothing in the body is trusted, not even its delivery id, before the HMAC matches. The delivery id
 * (`id` in the body) is covered by the signature, so a replay cannot pass the replay guard under a new id.
 */
function verify(input: WebhookInput, secret: string, toleranceMs: number, now: () => number): { verification: WebhookVerification; pedido: unknown } {
  const header = headerOf(input.headers, VITRINE_SIGNATURE_HEADER);
  if (!header) throw new WebhookRejectedError('missing-signature', `vitrine webhook: no ${VITRINE_SIGNATURE_HEADER} header`);
  const parts = Object.fromEntries(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = parts['t'];
  const signature = parts['v1'];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) {
    throw new WebhookRejectedError('malformed', 'vitrine webhook: signature header is not t=<seconds>,v1=<hex>');
  }
  const text = bodyText(input.rawBody);
  if (!timingSafeEqualString(signature.toLowerCase(), hmacSha256Hex(secret, `${timestamp}.${text}`))) {
    throw new WebhookRejectedError('bad-signature', 'vitrine webhook: signature does not match the body');
  }
  const sentMs = Number(timestamp) * 1000;
  if (Math.abs(now() - sentMs) > toleranceMs) throw new WebhookRejectedError('stale', `vitrine webhook: sent outside the ${toleranceMs / 1000} s window`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const body = WebhookBodySchema.safeParse(json);
  if (!body.success) throw new WebhookRejectedError('malformed', 'vitrine webhook: body is not a Vitrine event');
  return {
    verification: { deliveryId: body.data.id, ping: body.data.evento === 'ping', sentAt: new Date(sentMs).toISOString() },
    pedido: body.data.pedido,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 4. The connector.
// ---------------------------------------------------------------------------------------------------------------

const StatusesSchema = z.object({ situacoes: z.array(z.object({ codigo: z.string().min(1), nome: z.string() })) });
const OrderEnvelopeSchema = z.object({ pedido: z.unknown() });
const StockResultSchema = z.object({
  resultados: z.array(z.object({ sku: z.string(), situacao: z.enum(['atualizado', 'nao_encontrado', 'erro']), mensagem: z.string().nullish() })),
});

export function createVitrineConnector(options: VitrineConnectorOptions): Connector {
  if (!options?.apiToken) throw new ConfigurationError('vitrine: apiToken is required');
  const baseUrl = options.baseUrl ?? VITRINE_DEFAULT_BASE_URL;
  // https, or plain http only to loopback (a local fake): the API token travels in every request.
  requireSecureUrl(baseUrl, { platform: 'vitrine', field: 'baseUrl' });
  const pageSize = options.pageSize ?? 50;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new ConfigurationError('vitrine: pageSize must be an integer from 1 to 100');
  const { onRetry, ...policy } = options.http ?? {};
  const rateLimit = options.rateLimit ?? VITRINE_RATE_LIMIT;
  const client = createHttpClient({
    platform: VITRINE_PLATFORM,
    baseUrl,
    fetch: options.fetch,
    rateLimit,
    // Every connector on one token shares a bucket, as Vitrine counts per token; hashed so no map key holds the token.
    rateLimitKey: sha256Hex(`${baseUrl}\n${options.apiToken}`).slice(0, 32),
    policy,
    secrets: [options.apiToken, options.webhookSecret],
    authorize: ({ headers }) => headers.set('x-vitrine-token', options.apiToken),
    onRetry,
  });
  const statusDictionary = vitrineStatusDictionary();

  const connector: Connector = {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform: VITRINE_PLATFORM,
    capabilities: { incrementalPolling: true, webhooks: options.webhookSecret !== undefined, stockPush: true },
    rateLimit,
    defaultStatusDictionary: statusDictionary,

    listOrders: (listOptions) => listVitrineOrders(client, pageSize, listOptions),

    async getOrder(externalId, getOptions) {
      let data: unknown;
      try {
        data = (await client.get(`pedidos/${encodeURIComponent(externalId)}`, undefined, { signal: getOptions?.signal })).data;
      } catch (error) {
        // By code, not instanceof: two installed copies of core would break instanceof.
        if (ConectaError.isConectaError(error) && error.code === 'NOT_FOUND') return null;
        throw error;
      }
      const mapped = mapRaw(parseWith(OrderEnvelopeSchema, data, `vitrine order ${externalId}`).pedido);
      if ('order' in mapped) return mapped.order;
      throw mapped.rejected.error;
    },

    async statuses(statusOptions) {
      const response = await client.get('situacoes', undefined, { signal: statusOptions?.signal });
      return parseWith(StatusesSchema, response.data, 'vitrine statuses').situacoes.map((status) => ({ code: status.codigo, label: status.nome }));
    },

    async pushStock(levels, pushOptions) {
      const result: StockPushResult = { updated: [], notFound: [], failed: [] };
      for (let start = 0; start < levels.length; start += VITRINE_STOCK_BATCH) {
        const batch = levels.slice(start, start + VITRINE_STOCK_BATCH);
        // Absolute quantities: repeating the call sets the same level, so the PUT is safe to retry.
        const response = await client.request({
          method: 'PUT',
          path: 'estoques',
          // Vitrine writes decimals with a comma both ways: 1500 milli-units go as "1,5".
          json: { itens: batch.map((level) => ({ sku: level.sku, quantidade: formatQuantity(level.quantityMilli).replace('.', ',') })) },
          signal: pushOptions?.signal,
        });
        for (const item of parseWith(StockResultSchema, response.data, 'vitrine stock result').resultados) {
          if (item.situacao === 'atualizado') result.updated.push(item.sku);
          else if (item.situacao === 'nao_encontrado') result.notFound.push(item.sku);
          else result.failed.push({ sku: item.sku, code: 'UPSTREAM', message: item.mensagem ?? 'Vitrine refused the level' });
        }
        pushOptions?.onProgress?.(Math.min(start + batch.length, levels.length), levels.length);
      }
      return result;
    },
  };

  const secret = options.webhookSecret;
  if (secret !== undefined) {
    if (secret.trim() === '') throw new ConfigurationError('vitrine: webhookSecret is empty');
    registerSecret(secret);
    const toleranceMs = (options.webhookToleranceSeconds ?? 300) * 1000;
    const now = options.now ?? Date.now;
    connector.verifyWebhook = async (input) => verify(input, secret, toleranceMs, now).verification;
    connector.parseWebhook = async (input): Promise<WebhookEvent> => {
      const { verification, pedido } = verify(input, secret, toleranceMs, now);
      if (verification.ping || pedido === undefined) return { ...verification, orders: [], rejected: [] };
      const mapped = mapRaw(pedido);
      return 'order' in mapped
        ? { ...verification, orders: [mapped.order], rejected: [] }
        : { ...verification, orders: [], rejected: [mapped.rejected] };
    };
  }
  return connector;
}
