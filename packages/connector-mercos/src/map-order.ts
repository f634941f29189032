import {
  fromZodError,
  normalizeTaxId,
  type OrderWarning,
  localDateTimeToInstant,
  parseCents,
  parseQuantity,
  sumCents,
  redactValue,
  type PlatformOrderInput,
} from '@conecta/core';
import type { MercosCustomer } from './customers.js';
import { MercosOrderSchema, type MercosItem, type MercosOrder } from './schemas.js';
import { MERCOS_EXCLUDED_STATUS, MERCOS_STATUS, MERCOS_STATUSES, mercosCustomStatusCode } from './statuses.js';

export interface ProductRef {
  codigo: string;
  nome: string;
}

export interface MapContext {
  /** Product id -> product, for the SKU join (v2 items carry only `produto_id`). */
  products: ReadonlyMap<string, ProductRef>;
  /** Customer id -> customer read from `/v1/clientes/{id}`; an id absent here was not found. */
  customers?: ReadonlyMap<string, MercosCustomer>;
  timeZone: string;
  useCustomStatus: boolean;
  /** Custom status id -> name, when known. */
  customStatusNames: ReadonlyMap<string, string>;
}

/** Mercos writes amounts as JSON numbers (or "." decimal strings): never ",". */
const DECIMAL = { decimalSeparator: '.' } as const;

export function readMercosOrder(raw: unknown): MercosOrder {
  const result = MercosOrderSchema.safeParse(raw);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

/** The lines an order still has: an item the salesperson removed (`excluido`) keeps its place but is not sold. */
function liveItems(order: MercosOrder): Array<{ item: MercosItem; index: number }> {
  return (order.itens ?? order.items ?? []).map((item, index) => ({ item, index })).filter(({ item }) => item.excluido !== true);
}

/**
 * What a listing must look up before it maps an order: the products of its live lines that do not carry their own
 * `produto_codigo`, and the customer it names. An order the schema refuses is rejected whatever is looked up, so it
 * asks for nothing.
 */
export function lookupsOf(raw: unknown): { productIds: string[]; customerId: string | undefined } {
  const read = MercosOrderSchema.safeParse(raw);
  if (!read.success) return { productIds: [], customerId: undefined };
  const productIds = liveItems(read.data)
    .filter(({ item }) => !nonEmpty(item.produto_codigo))
    .map(({ item }) => String(item.produto_id));
  return { productIds, customerId: presentId(read.data.cliente_id) };
}

/** Mercos writes "none" in an id field as 0 (or "0"), null or "" (`Number` reads all three as 0). */
function presentId(value: string | number | null | undefined): string | undefined {
  return value === undefined || Number(value) === 0 ? undefined : String(value);
}

const FIXED_STATUS_LABELS: ReadonlyMap<string, string> = new Map(MERCOS_STATUSES.map((status) => [status.code, status.label]));

function statusOf(order: MercosOrder, context: MapContext): { status: string; statusLabel?: string } {
  if (order.excluido === true) return { status: MERCOS_EXCLUDED_STATUS, statusLabel: 'Excluído' };
  const custom = presentId(order.status_custom_id);
  // A cancelled order stays cancelled whatever custom status it still carries.
  if (context.useCustomStatus && custom && order.status !== MERCOS_STATUS.cancelled) {
    const name = context.customStatusNames.get(custom);
    return { status: mercosCustomStatusCode(custom), ...(name ? { statusLabel: name } : {}) };
  }
  const label = FIXED_STATUS_LABELS.get(order.status);
  return { status: order.status, ...(label ? { statusLabel: label } : {}) };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}


/** IPI/ST absent or zero: Mercos writes numbers, sometimes "." decimal text; null or "" is none (`Number` reads both as 0). */
function isZero(value: unknown): boolean {
  return value === undefined || Number(value) === 0;
}

/**
 * Mercos order (v2, or the v1 shape with `items`) -> canonical order. Prices Mercos derives from percentage
 * discounts (`preco_liquido`, `subtotal`, `total`) can carry more than two decimals; they are rounded half-up to
 * cents on the decimal text, never through float arithmetic. An order without items or without any contact is a
 * legitimate Mercos record (a quote being written) and is kept.
 */
export function mapMercosOrder(raw: unknown, context: MapContext): PlatformOrderInput {
  const order = readMercosOrder(raw);
  const derived = { round: true, ...DECIMAL } as const;
  const warnings: OrderWarning[] = [];
  const itemsField = order.itens ? 'itens' : 'items';

  const lines = liveItems(order).map(({ item, index }) => {
      const productId = String(item.produto_id);
      const product = context.products.get(productId);
      const sku = nonEmpty(item.produto_codigo) ?? nonEmpty(product?.codigo);
      const unmatched = sku
        ? undefined
        : product
          ? { reason: 'sku-missing' as const, detail: `o produto ${productId} não tem código no Mercos` }
          : { reason: 'sku-not-found' as const, detail: `produto ${productId} não encontrado no Mercos` };
      if (!isZero(item.ipi) || !isZero(item.st)) {
        warnings.push({
          code: 'field-ignored',
          field: `${itemsField}.${index}.ipi`,
          message: `IPI/ST do item ${index} (ipi ${String(item.ipi ?? 0)}, st ${String(item.st ?? 0)}) não somados aos impostos: a API não diz se subtotal e total já os incluem`,
        });
      }
      return {
        line: {
          ...(presentId(item.id) ? { lineId: String(item.id) } : {}),
          ...(sku ? { sku } : {}),
          name: nonEmpty(item.produto_nome) ?? nonEmpty(product?.nome) ?? `produto ${productId}`,
          quantityMilli: parseQuantity(item.quantidade, { field: `${itemsField}.${index}.quantidade`, ...DECIMAL }),
          unitPriceCents: parseCents(item.preco_liquido, { field: `${itemsField}.${index}.preco_liquido`, ...derived }),
          productRef: { productId },
          ...(unmatched ? { unmatched } : {}),
        },
        // Every published item carries `subtotal` (IPI included); one without is priced from its net price below.
        subtotalCents: item.subtotal == null ? undefined : parseCents(item.subtotal, { field: `${itemsField}.${index}.subtotal`, ...derived }),
      };
    });

  // Absent in the docs' list example, `null` where the schema allows it: no freight.
  const shippingCents = parseCents(order.valor_frete ?? 0, { field: 'valor_frete', ...derived });
  const totalCents = parseCents(order.total, { field: 'total', ...derived });
  const itemsCents = sumCents(lines.map(({ line, subtotalCents }) => subtotalCents ?? Math.round((line.unitPriceCents * line.quantityMilli) / 1000)));

  const updatedAt = localDateTimeToInstant(order.ultima_alteracao, context.timeZone, 'ultima_alteracao');
  const createdAt = createdAtOf(order, context.timeZone) ?? updatedAt;

  return {
    externalId: String(order.id),
    number: String(order.numero),
    ...statusOf(order, context),
    customer: customerOf(order, context, warnings),
    lines: lines.map(({ line }) => line),
    // Discounts (seller, promotion, policy, coupon) are already inside `preco_liquido` and `subtotal`; Mercos sends
    // no order-level discount total, so the breakdown carries none.
    totals: { itemsCents, shippingCents, totalCents },
    warnings,
    createdAt,
    updatedAt,
    raw: redactValue(raw),
  };
}

/**
 * The customer record (`/v1/clientes/{id}`) when Mercos has it, else what the order inlines (`cliente_*`, v1 and
 * some accounts), else the contact's name. Nothing found is not an error: the order is kept with what there is.
 */
function customerOf(order: MercosOrder, context: MapContext, warnings: OrderWarning[]): PlatformOrderInput['customer'] {
  const clienteId = presentId(order.cliente_id);
  const record = clienteId ? context.customers?.get(clienteId) : undefined;
  if (clienteId && context.customers && !record) {
    warnings.push({
      code: 'field-ignored',
      field: 'cliente_id',
      message: `cliente ${clienteId} não encontrado em /v1/clientes; usados os dados do próprio pedido`,
    });
  }
  const name =
    record?.name ?? nonEmpty(order.cliente_razao_social) ?? nonEmpty(order.cliente_nome_fantasia) ?? nonEmpty(order.nome_contato) ?? nonEmpty(order.contato_nome) ?? '';
  const rawDocument = record?.document ?? nonEmpty(order.cliente_cnpj);
  // Passed through core's normaliser; one that is neither CPF nor CNPJ goes on as sent and core drops it with a warning.
  const document = rawDocument ? (normalizeTaxId(rawDocument)?.value ?? rawDocument) : undefined;
  const email = record?.email ?? nonEmpty(order.cliente_email);
  const phone = record?.phone ?? nonEmpty(order.cliente_telefone);
  return {
    name,
    ...(email ? { email } : {}),
    ...(document ? { document } : {}),
    ...(phone ? { phone } : {}),
  };
}

/** `data_criacao` only exists when sent on create; `data_emissao` is a date, read as local midnight. */
function createdAtOf(order: MercosOrder, timeZone: string): string | undefined {
  const created = nonEmpty(order.data_criacao);
  if (created) return localDateTimeToInstant(created, timeZone, 'data_criacao');
  const issued = nonEmpty(order.data_emissao);
  if (issued && /^\d{4}-\d{2}-\d{2}$/.test(issued)) return localDateTimeToInstant(`${issued} 00:00:00`, timeZone, 'data_emissao');
  return undefined;
}
