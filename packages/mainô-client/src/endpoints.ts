import { formatCents, formatDateBr, formatQuantity } from '@conecta/core';
import type { CreateSalesOrderInput } from '@conecta/core';

/**
 * Every Mainô route and body shape the client relies on, in one place, each row with its sources. The official
 * reference was not reachable; rows rest on third-party notes, on one public client that read a real account
 * (`aabeck33/maino_api`), on Mainô's help centre, or on nothing (assumed). When Mainô confirms or corrects a row,
 * override it through `endpoints` instead of patching the client.
 */
export type EndpointConfidence =
  /** Seen in real answers from a real account (values in public client code and its output). */
  | 'observed'
  /** Named by third-party notes citing the official docs, or by Mainô's help centre, without a real answer. */
  | 'reported'
  /** Our guess, made to fit the reported conventions. */
  | 'assumed';

interface EndpointBase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL; `{id}` is replaced by the order id. */
  path: string;
  confidence: EndpointConfidence;
  note: string;
  /** Where each part of the row comes from (repository and path, help-centre article, research notes). */
  sources: readonly string[];
}

export interface AuthenticateEndpoint extends EndpointBase {
  /**
   * Milliseconds a token lives when the answer does not say: an `expires_in` in the answer wins, then a JWT `exp`
   * claim; real tokens are opaque, so usually this decides.
   */
  fallbackTokenTtlMs: number;
}

export interface ListEndpoint extends EndpointBase {
  /** Name of the array in the response (`produtos`, `pedidos`). */
  listKey: string;
  perPage: number;
}

export interface ProductsEndpoint extends ListEndpoint {
  /** Query parameter that filters by SKU. */
  skuParam: string;
  /** Field holding the SKU (the client matches it itself). */
  skuField: string;
  /** Field holding the total on hand. */
  onHandField: string;
  /** Fields subtracted from the total to get what is available to sell; a missing one is reported and taken as 0. */
  reservedFields: readonly string[];
  /** Query parameter that lists only products changed since a date (dd/mm/aaaa), for incremental stock snapshots. */
  modifiedSinceParam: string;
  /**
   * Whether `modifiedSinceParam` is known to work. False (the default) until Mainô confirms it: listings are then
   * whole catalogues, since a filter the server ignored would look like "nothing changed".
   */
  modifiedSinceWorks: boolean;
}

export interface OrdersEndpoint extends ListEndpoint {
  /** Query parameter that filters by external reference; the client checks the reference itself anyway. */
  referenceParam: string;
  dateFromParam: string;
  dateToParam: string;
  /** Fields of an order that may hold our external reference, first readable one wins. */
  referenceFields: readonly string[];
  /** Fields of an item that may hold its quantity, first present one wins (`quantidade` is observed, `qtde` assumed). */
  quantityFields: readonly string[];
  /** Fields of an item that may hold its unit price. */
  unitPriceFields: readonly string[];
  /** Status labels that mean the order no longer holds stock, matched on the label lowercased without accents. */
  cancelledStatus: RegExp;
}

export interface CreateOrderEndpoint extends EndpointBase {
  buildBody: (input: CreateSalesOrderInput) => unknown;
  /** A refusal (400/422) whose text matches this is a lack of stock: the order can be planned again on fresh figures. */
  stockRefusal: RegExp;
  /** Key wrapping the created order in the response, if any (an unwrapped order is accepted too). */
  responseKey: string | null;
}

export interface GetOrderEndpoint extends EndpointBase {
  responseKey: string | null;
}

export interface InvoiceEndpoint extends EndpointBase {
  /** Key wrapping the invoice in the response. */
  responseKey: string | null;
}

export interface MainoEndpointTable {
  authenticate: AuthenticateEndpoint;
  products: ProductsEndpoint;
  orders: OrdersEndpoint;
  getOrder: GetOrderEndpoint;
  createOrder: CreateOrderEndpoint;
  cancelOrder: EndpointBase;
  invoice: InvoiceEndpoint;
}

/** Per-row partial overrides: `{ products: { skuParam: 'codigo_produto' } }` changes one field of one row. */
export type MainoEndpointOverrides = { [K in keyof MainoEndpointTable]?: Partial<MainoEndpointTable[K]> };

/**
 * The assumed `POST /pedidos` body: Portuguese field names in the style of the reported ones (`cliente`, `qtde`).
 * The order-level amounts (`valor_frete`, `valor_desconto`, `valor_outras_despesas`) are assumed too, named after the
 * NF-e totals they become (vFrete, vDesc, vOutro); they are sent only on the sales order that carries the charges.
 */
export function buildMainoOrderBody(input: CreateSalesOrderInput): unknown {
  return {
    pedido: {
      referencia_externa: input.externalReference,
      tags: [input.tag],
      numero_pedido_ecommerce: input.orderNumber,
      data_emissao: formatDateBr(input.issuedAt),
      ...(input.charges
        ? {
            valor_frete: formatCents(input.charges.shippingCents),
            valor_desconto: formatCents(input.charges.discountCents),
            valor_outras_despesas: formatCents(input.charges.otherExpensesCents),
          }
        : {}),
      cliente: {
        razao_social: input.customer.name,
        cpf_cnpj: input.customer.document,
        email: input.customer.email,
        telefone: input.customer.phone,
      },
      itens: input.lines.map((line) => ({
        codigo: line.sku,
        descricao: line.name,
        qtde: formatQuantity(line.quantityMilli),
        valor_unitario: formatCents(line.unitPriceCents),
      })),
    },
  };
}

/** Source keys used in the table; README explains each. */
const REAL_ORDERS = 'aabeck33/maino_api src/export_orders.py and work/pedidos_confirmados.xlsx @ 9fcb6da0 (real account, July 2026)';
const RESEARCH_NOTES = 'third-party research notes on the Mainô API (knowledge bank, Flowmax), citing changelog.maino.com.br/api-reference-maino';
const CLIENT_CODE = 'third-party clients calling api.maino.com.br (Laravel, PHP and Python services)';
const HELP_STOCK = 'ajuda.maino.com.br article 5314428 (quantidade total e quantidade disponível)';

export const DEFAULT_MAINO_ENDPOINTS: MainoEndpointTable = {
  authenticate: {
    method: 'POST',
    path: 'authentication',
    confidence: 'reported',
    note:
      'Body {application_uid, email, password}; answer keyed by CNPJ, maybe wrapped in "value" (both read). A working ' +
      'token seen in real code is a 43-character opaque string, not a JWT: its lifetime is unknown, so the fallback ' +
      'decides. Refresh route unknown: the client logs in again.',
    sources: [RESEARCH_NOTES, `${REAL_ORDERS} (token shape)`, 'public runbook logging POST /authentication 200'],
    fallbackTokenTtlMs: 60 * 60 * 1000,
  },
  products: {
    method: 'GET',
    path: 'produtos',
    confidence: 'reported',
    note:
      'Route, 100 per page and the fields codigo, qtde, qtde_comprometida, qtde_armazenada reported; available = qtde ' +
      '- qtde_comprometida - qtde_armazenada per the help centre. The SKU filter name "codigo" is assumed (the client ' +
      'still matches codigo itself). The "ultima_modificacao" filter is reported, its value format is not: unconfirmed, ' +
      'off until Mainô confirms it (modifiedSinceWorks). No real answer seen.',
    sources: [RESEARCH_NOTES, HELP_STOCK],
    listKey: 'produtos',
    perPage: 100,
    skuParam: 'codigo',
    skuField: 'codigo',
    onHandField: 'qtde',
    reservedFields: ['qtde_comprometida', 'qtde_armazenada'],
    modifiedSinceParam: 'ultima_modificacao',
    modifiedSinceWorks: false,
  },
  orders: {
    method: 'GET',
    path: 'pedidos',
    confidence: 'observed',
    note:
      'Real answers: {pedidos, pagination.next_page}; id a UUID string, numero a string, status a label ("Pedido ' +
      'gerado"), itens[].codigo and itens[].quantidade as "2.0"; no item price, no reference, no date seen. The ' +
      '"referencia_externa" filter and field, qtde and valor_unitario are assumed; the status filter is reported not ' +
      'to work, so unknown filters are likely ignored.',
    sources: [REAL_ORDERS, CLIENT_CODE],
    listKey: 'pedidos',
    perPage: 50,
    referenceParam: 'referencia_externa',
    dateFromParam: 'data_inicio',
    dateToParam: 'data_fim',
    referenceFields: ['referencia_externa'],
    quantityFields: ['quantidade', 'qtde'],
    unitPriceFields: ['valor_unitario'],
    cancelledStatus: /cancelad|cancelled|excluid/,
  },
  getOrder: {
    method: 'GET',
    path: 'pedidos/{id}',
    confidence: 'assumed',
    note: 'Only /pedidos/{id}/nota_fiscal is seen; a plain GET of one order is assumed.',
    sources: [],
    responseKey: 'pedido',
  },
  createOrder: {
    method: 'POST',
    path: 'pedidos',
    confidence: 'assumed',
    note:
      'Creating a sales order through the API is not in any source; route and body are assumed, the order-level valor_frete, valor_desconto and valor_outras_despesas included. So is the refusal for ' +
      'lack of stock (a 422 naming "estoque" or "quantidade disponível"); the help centre says a company setting lets ' +
      'orders go past zero, in which case Mainô accepts them.',
    sources: [HELP_STOCK],
    buildBody: buildMainoOrderBody,
    stockRefusal: /estoque|quantidade dispon/i,
    responseKey: 'pedido',
  },
  cancelOrder: {
    method: 'DELETE',
    path: 'pedidos/{id}',
    confidence: 'reported',
    note: 'DELETE /pedidos/{id} is reported; that it cancels (and releases committed stock) rather than erases is assumed.',
    sources: [RESEARCH_NOTES],
  },
  invoice: {
    method: 'GET',
    path: 'pedidos/{id}/nota_fiscal',
    confidence: 'observed',
    note:
      'Real answers: {nota_fiscal: {id (UUID), status: NAO_TRANSMITIDA | ACEITA | REJEITADA, danfe_url}}; 404 when the ' +
      'order has no invoice (the 404 body was not seen).',
    sources: [REAL_ORDERS, RESEARCH_NOTES],
    responseKey: 'nota_fiscal',
  },
};

export function resolveEndpoints(overrides: MainoEndpointOverrides = {}): MainoEndpointTable {
  const table = { ...DEFAULT_MAINO_ENDPOINTS } as Record<keyof MainoEndpointTable, unknown>;
  for (const key of Object.keys(overrides) as Array<keyof MainoEndpointTable>) {
    table[key] = { ...DEFAULT_MAINO_ENDPOINTS[key], ...overrides[key] };
  }
  return table as MainoEndpointTable;
}

export function orderPath(template: string, id: string): string {
  return template.replace('{id}', encodeURIComponent(id));
}
