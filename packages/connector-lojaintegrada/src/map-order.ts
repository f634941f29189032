import { customerDocument, formatCents, parseCents, parseQuantity, parseWith, sumCents, type OrderWarning, type PlatformOrderInput } from '@conecta/core';
import { liDateTimeToMicros, microsToInstant } from './dates.js';
import type { ProductSku } from './product-skus.js';
import { PedidoSchema, type Cliente, type Entrega, type Item, type Pedido } from './schemas.js';

/** LI writes decimals with "." in GET answers ("11.10", "11.1000") and as JSON numbers in webhooks: never ",". */
const DECIMAL = { decimalSeparator: '.' } as const;

/**
 * One LI order, as `GET /v1/pedido/{numero}` answers it, to the canonical order; field paths name LI's own fields.
 * Decimals go through core's exact parsers as strings or JSON numbers alike, and instants in LI's naive local form or
 * in UTC: a webhook body (`mapLojaIntegradaWebhookBody`) differs from a detail only in how its items name products.
 */
export function mapLojaIntegradaOrder(raw: unknown, timeZone: string, products: ProductLookups = new Map()): PlatformOrderInput {
  const pedido = parseWith(PedidoSchema, raw);
  const cents = (value: unknown, field: string) => parseCents(value ?? 0, { field, ...DECIMAL });
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

/**
 * What `GET /v1/produto/{id}` said of the products that lines without SKU name, by LI product id. Keyed by
 * `string | undefined` so that a line naming no LI product (one addressed by an external id) simply finds nothing.
 */
type ProductLookups = ReadonlyMap<string | undefined, ProductSku>;

const SENT_WITHOUT_SKU: ProductSku = { unmatched: 'sku-missing', detail: 'Loja Integrada enviou o item sem sku' };

function mapItem(item: Item, index: number, products: ProductLookups): PlatformOrderInput['lines'][number] {
  // The line's own SKU, else its product's (looked up by the caller), else unmatched with the reason.
  const own = skuOf(item.sku);
  const product = products.get(ownProdutoId(item)) ?? SENT_WITHOUT_SKU;
  const match = own !== undefined ? { sku: own } : 'sku' in product ? { sku: product.sku } : { unmatched: { reason: product.unmatched, detail: product.detail } };
  const productRef = productRefOf(item);
  return {
    ...(item.id == null ? {} : { lineId: String(item.id) }),
    ...match,
    name: item.nome ?? '',
    quantityMilli: parseQuantity(item.quantidade, { field: `itens.${index}.quantidade`, ...DECIMAL }),
    unitPriceCents: parseCents(item.preco_venda, { field: `itens.${index}.preco_venda`, ...DECIMAL }),
    ...(productRef ? { productRef } : {}),
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
function ownProdutoId(item: Pick<Item, 'produto'>): string | undefined {
  return produtoIdOf(typeof item.produto === 'string' ? item.produto : item.produto?.resource_uri);
}

/** Produto ids of the lines an LI order sends without SKU: the caller looks their SKUs up before mapping. */
export function produtoIdsWithoutSku(raw: unknown): string[] {
  const parsed = PedidoSchema.safeParse(raw);
  // An order the mapping will refuse costs no product reads.
  if (!parsed.success) return [];
  return parsed.data.itens
    .filter((item) => skuOf(item.sku) === undefined)
    .map(ownProdutoId)
    .filter((id) => id !== undefined);
}

/** A variation child (`atributo_opcao`) is its own produto under `produto_pai`; a simple product has no parent. */
function productRefOf(item: Item): { productId?: string; variantId?: string } | undefined {
  const own = ownProdutoId(item);
  const parent = produtoIdOf(item.produto_pai);
  if (parent && own && parent !== own) return { productId: parent, variantId: own };
  const productId = own ?? parent;
  return productId ? { productId } : undefined;
}

/** quantity x unit price, half-up to the cent, in integers (milli-units times cents). */
function lineCents(quantityMilli: number, unitPriceCents: number): number {
  return Number((BigInt(quantityMilli) * BigInt(unitPriceCents) + 500n) / 1000n);
}

function customerOf(pedido: Pedido): PlatformOrderInput['customer'] {
  // No cliente object (a summary names it by URI): the delivery address is all that names the buyer.
  const cliente: Cliente = pedido.cliente ?? {};
  const entrega: Entrega = pedido.endereco_entrega ?? {};
  // The buyer's own document first; the delivery address repeats it (or names the company receiving the goods).
  const document = customerDocument(cliente.cnpj, cliente.cpf, entrega.cnpj, entrega.cpf);
  const phone = cliente.telefone_celular || cliente.telefone_principal;
  return {
    name: cliente.razao_social || cliente.nome || entrega.razao_social || entrega.nome || '',
    ...(cliente.email ? { email: cliente.email } : {}),
    // An unreadable document is passed on as sent: core drops it with a `field-ignored` warning that quotes it.
    ...(document ? { document } : {}),
    ...(phone ? { phone } : {}),
  };
}
