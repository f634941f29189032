import {
  ValidationError,
  customerDocument,
  fromZodError,
  localDateTimeToInstant,
  parseCents,
  parseQuantity,
  sumCents,
  redactValue,
  type PlatformOrderInput,
} from '@conecta/core';
import { MercosOrderSchema, type MercosOrder } from './schemas.js';
import { EXCLUDED_STATUS, MERCOS_STATUS, MERCOS_STATUSES, customStatusCode } from './statuses.js';

export interface ProductRef {
  codigo: string;
  nome: string;
}

export interface MapContext {
  /** Product id -> product, for the SKU join (items carry only `produto_id`). */
  products: ReadonlyMap<string, ProductRef>;
  timeZone: string;
  useCustomStatus: boolean;
  /** Custom status id -> name, when known. */
  customStatusNames: ReadonlyMap<string, string>;
}

export function readMercosOrder(raw: unknown): MercosOrder {
  const result = MercosOrderSchema.safeParse(raw);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

/** Product ids an order's live items refer to, read leniently: a malformed order is reported later, not here. */
export function productIdsOf(raw: unknown): string[] {
  const items = raw && typeof raw === 'object' ? (raw as { itens?: unknown }).itens : undefined;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) => {
    const id = item && typeof item === 'object' ? (item as { produto_id?: unknown }).produto_id : undefined;
    return typeof id === 'number' || (typeof id === 'string' && id !== '') ? [String(id)] : [];
  });
}

/** Mercos "0" in an id field means "none". */
function presentId(value: string | number | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' || value === 0 || value === '0' ? undefined : String(value);
}

function statusOf(order: MercosOrder, context: MapContext): { status: string; statusLabel?: string } {
  if (order.excluido === true) return { status: EXCLUDED_STATUS, statusLabel: 'Excluído' };
  const custom = presentId(order.status_custom_id);
  // A cancelled order stays cancelled whatever custom status it still carries.
  if (context.useCustomStatus && custom && order.status !== MERCOS_STATUS.cancelled) {
    const name = context.customStatusNames.get(custom);
    return { status: customStatusCode(custom), ...(name ? { statusLabel: name } : {}) };
  }
  const label = MERCOS_STATUSES.find((status) => status.code === order.status)?.label;
  return { status: order.status, ...(label ? { statusLabel: label } : {}) };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Mercos order (v2) -> canonical order. Prices Mercos derives from percentage discounts (`preco_liquido`,
 * `subtotal`, `total`) can carry more than two decimals; they are rounded half-up to cents on the decimal text,
 * never through float arithmetic.
 */
export function mapMercosOrder(raw: unknown, context: MapContext): PlatformOrderInput {
  const order = readMercosOrder(raw);
  const derived = { round: true } as const;

  const lines = (order.itens ?? [])
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.excluido !== true)
    .map(({ item, index }) => {
      const productId = String(item.produto_id);
      const product = context.products.get(productId);
      return {
        ...(presentId(item.id) ? { lineId: String(item.id) } : {}),
        // An unknown product leaves the line unmatched (imported, no movement) until a person maps it to a SKU.
        ...(product?.codigo ? { sku: product.codigo } : {}),
        name: product?.nome ?? `produto ${productId}`,
        quantityMilli: parseQuantity(item.quantidade, { field: `itens.${index}.quantidade`, decimalSeparator: '.' }),
        unitPriceCents: parseCents(item.preco_liquido, { field: `itens.${index}.preco_liquido`, decimalSeparator: '.', ...derived }),
        subtotalCents:
          item.subtotal === undefined || item.subtotal === null
            ? undefined
            : parseCents(item.subtotal, { field: `itens.${index}.subtotal`, decimalSeparator: '.', ...derived }),
        ...(product?.codigo
          ? {}
          : { unmatched: { reason: product ? ('sku-missing' as const) : ('sku-not-found' as const), detail: `produto_id ${productId}` } }),
      };
    });

  const shippingCents =
    order.valor_frete === undefined || order.valor_frete === null ? 0 : parseCents(order.valor_frete, { field: 'valor_frete', decimalSeparator: '.', ...derived });
  const totalCents = parseCents(order.total, { field: 'total', decimalSeparator: '.', ...derived });
  const itemsCents = sumCents(
    lines.map((line) => line.subtotalCents ?? Math.round((line.unitPriceCents * line.quantityMilli) / 1000)),
  );

  const updatedAt = localDateTimeToInstant(order.ultima_alteracao, context.timeZone, 'ultima_alteracao');
  const createdAt = createdAtOf(order, context.timeZone) ?? updatedAt;
  const customerName =
    nonEmpty(order.cliente_razao_social) ?? nonEmpty(order.cliente_nome_fantasia) ?? nonEmpty(order.nome_contato);
  if (!customerName) throw new ValidationError([{ path: 'cliente_razao_social', message: 'the order names no customer' }]);
  const document = customerDocument(order.cliente_cnpj);

  return {
    externalId: String(order.id),
    number: String(order.numero),
    ...statusOf(order, context),
    customer: {
      name: customerName,
      ...(nonEmpty(order.cliente_email) ? { email: nonEmpty(order.cliente_email) } : {}),
      ...(document ? { document } : {}),
      ...(nonEmpty(order.cliente_telefone) ? { phone: nonEmpty(order.cliente_telefone) } : {}),
    },
    lines: lines.map(({ subtotalCents: _subtotal, ...line }) => line),
    // Discounts are already inside `preco_liquido` and `subtotal`; Mercos sends no order-level discount total.
    totals: { itemsCents, shippingCents, totalCents },
    createdAt,
    updatedAt,
    raw: redactValue(raw),
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
