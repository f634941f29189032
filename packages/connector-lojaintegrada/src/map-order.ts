import { formatCents, normalizeTaxId, parseCents, parseQuantity, parseWith, sumCents, type OrderWarning, type PlatformOrderInput } from '@conecta/core';
import { liDateTimeToMicros, microsToInstant } from './dates.js';
import type { ProductSku } from './product-skus.js';
import { ItemSchema, PedidoSchema, type Item, type Pedido } from './schemas.js';

/** LI writes decimals with "." in GET answers ("11.10", "11.1000") and as JSON numbers in webhooks: never ",". */
const DECIMAL = { decimalSeparator: '.' } as const;

/**
 * One LI order (a `GET /v1/pedido/{numero}` detail or a webhook body) to the canonical order. Decimal strings and
 * webhook numbers both go through core's exact parsers; field paths name LI's own fields.
 */
export function mapPedido(raw: unknown, timeZone: string, products: ReadonlyMap<string, ProductSku> = new Map()): PlatformOrderInput {
  const pedido = parseWith(PedidoSchema, raw);
  const cents = (value: unknown, field: string) => parseCents(value ?? '0', { field, ...DECIMAL });
  const warnings: OrderWarning[] = [];

  const lines = pedido.itens.map((item, index) => mapItem(item, index, products));
  // Items are what the lines add up to (what the Mainô order carries); LI's own subtotal is compared, not trusted.
  const itemsCents = sumCents(lines.map((line) => lineCents(line.quantityMilli, line.unitPriceCents)));
  const valorSubtotal = cents(pedido.valor_subtotal, 'valor_subtotal');
  if (valorSubtotal !== itemsCents) {
    warnings.push({
      code: 'field-ignored',
      field: 'valor_subtotal',
      message: `valor_subtotal ${formatCents(valorSubtotal)} difere da soma dos itens (quantidade x preco_venda) ${formatCents(itemsCents)}; usada a soma dos itens`,
    });
  }

  return {
    externalId: String(pedido.numero),
    number: String(pedido.numero),
    status: pedido.situacao.codigo,
    ...(pedido.situacao.nome ? { statusLabel: pedido.situacao.nome } : {}),
    customer: customerOf(pedido),
    lines,
    totals: {
      itemsCents,
      shippingCents: cents(pedido.valor_envio, 'valor_envio'),
      discountCents: cents(pedido.valor_desconto, 'valor_desconto'),
      totalCents: cents(pedido.valor_total, 'valor_total'),
    },
    warnings,
    createdAt: microsToInstant(liDateTimeToMicros(pedido.data_criacao, timeZone, 'data_criacao')),
    updatedAt: microsToInstant(liDateTimeToMicros(pedido.data_modificacao, timeZone, 'data_modificacao')),
    raw,
  };
}

function mapItem(item: Item, index: number, products: ReadonlyMap<string, ProductSku>): PlatformOrderInput['lines'][number] {
  const own = ownProdutoId(item);
  // The line's own SKU, else its product's (read from /v1/produto/{id} by the caller), else unmatched with the reason.
  const found = skuOf(item.sku) === undefined && own ? products.get(own) : undefined;
  const sku = skuOf(item.sku) ?? (found && 'sku' in found ? found.sku : undefined);
  const unmatched =
    found && 'unmatched' in found
      ? { reason: found.unmatched, detail: found.detail }
      : { reason: 'sku-missing' as const, detail: 'Loja Integrada enviou o item sem sku' };
  const productRef = productRefOf(item);
  return {
    ...(item.id !== null && item.id !== undefined ? { lineId: String(item.id) } : {}),
    ...(sku ? { sku } : {}),
    name: item.nome ?? '',
    quantityMilli: parseQuantity(item.quantidade, { field: `itens.${index}.quantidade`, ...DECIMAL }),
    unitPriceCents: parseCents(item.preco_venda, { field: `itens.${index}.preco_venda`, ...DECIMAL }),
    ...(productRef ? { productRef } : {}),
    ...(sku ? {} : { unmatched }),
  };
}

/**
 * LI's SKU is text, but real answers carry it as a JSON number too (`"sku": 345`): that is the SKU "345", written
 * in decimal. A blank or absent SKU leaves the line unmatched; nothing is guessed from the name.
 */
function skuOf(sku: Item['sku']): string | undefined {
  if (typeof sku === 'number') return Number.isSafeInteger(sku) && sku >= 0 ? String(sku) : undefined;
  const trimmed = sku?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * `/api/v1/produto/182904918` -> "182904918". A URI ending in `?id_externo=1` addresses the product by the merchant's
 * external id, not by LI's id, so it names no LI product id.
 */
function produtoIdOf(uri: string | null | undefined): string | undefined {
  if (!uri || /[?&]id_externo=1\b/.test(uri)) return undefined;
  return /\/produto\/(\d+)/.exec(uri)?.[1];
}

/** The LI id of the produto a line sold (the variation child itself, for a variation). */
function ownProdutoId(item: Pick<Item, 'produto' | 'produto_id'>): string | undefined {
  const produto = typeof item.produto === 'string' ? item.produto : item.produto?.resource_uri;
  return produtoIdOf(produto) ?? idText(item.produto_id);
}

/**
 * Produto ids of the lines an LI order sends without SKU, read leniently (a malformed order is reported by the
 * mapping, not here): the caller looks their SKUs up before mapping.
 */
export function produtoIdsWithoutSku(raw: unknown): string[] {
  const itens = raw && typeof raw === 'object' ? (raw as { itens?: unknown }).itens : undefined;
  if (!Array.isArray(itens)) return [];
  return itens.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object') return [];
    const parsed = ItemSchema.safeParse(item);
    if (!parsed.success || skuOf(parsed.data.sku) !== undefined) return [];
    const id = ownProdutoId(parsed.data);
    return id ? [id] : [];
  });
}

/** A variation child (`atributo_opcao`) is its own produto under `produto_pai`; a simple product has no parent. */
function productRefOf(item: Item): { productId?: string; variantId?: string } | undefined {
  const own = ownProdutoId(item);
  const parent = produtoIdOf(item.produto_pai) ?? idText(item.produto_id_pai);
  if (parent && own && parent !== own) return { productId: parent, variantId: own };
  const productId = own ?? parent;
  return productId ? { productId } : undefined;
}

function idText(id: number | string | null | undefined): string | undefined {
  const text = id === null || id === undefined ? '' : String(id).trim();
  return /^\d+$/.test(text) && text !== '0' ? text : undefined;
}

/** quantity x unit price, half-up to the cent, in integers (milli-units times cents). */
function lineCents(quantityMilli: number, unitPriceCents: number): number {
  return Number((BigInt(quantityMilli) * BigInt(unitPriceCents) + 500n) / 1000n);
}

function customerOf(pedido: Pedido): PlatformOrderInput['customer'] {
  const cliente = typeof pedido.cliente === 'object' && pedido.cliente !== null ? pedido.cliente : undefined;
  const entrega = pedido.endereco_entrega ?? undefined;
  // The buyer's own document first; the delivery address repeats it (or names the company receiving the goods).
  const candidates = [cliente?.cnpj, cliente?.cpf, entrega?.cnpj, entrega?.cpf].filter((value): value is string => typeof value === 'string' && value.trim() !== '');
  const document = candidates.map((value) => normalizeTaxId(value)?.value).find((value) => value !== undefined) ?? candidates[0];
  const phone = cliente?.telefone_celular || cliente?.telefone_principal || undefined;
  return {
    name: cliente?.razao_social || cliente?.nome || entrega?.razao_social || entrega?.nome || '',
    ...(cliente?.email ? { email: cliente.email } : {}),
    // An unreadable document is passed on as sent: core drops it with a `field-ignored` warning that quotes it.
    ...(document ? { document } : {}),
    ...(phone ? { phone } : {}),
  };
}
