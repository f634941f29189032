import { formatCents, formatDateBr, formatQuantity } from '@conecta/core';
import type { CreateSalesOrderInput } from '@conecta/core';

/**
 * Every Mainô route and body shape the client relies on, in one place. Only the base URL, `POST /authentication`,
 * `GET /produtos`, `GET /pedidos` and `DELETE /pedidos/{id}` appear in third-party notes; the rest is assumed (see
 * README). When Mainô confirms or corrects a row, override it through `endpoints` instead of patching the client.
 */
export type EndpointConfidence = 'reported' | 'assumed';

interface EndpointBase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL; `{id}` is replaced by the order id. */
  path: string;
  /** `reported`: named by third-party notes citing the official docs (still [3P]); `assumed`: our guess. */
  confidence: EndpointConfidence;
  note: string;
}

export interface AuthenticateEndpoint extends EndpointBase {
  /** Milliseconds a token lives when the token itself does not say (a JWT `exp` wins). */
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
}

export interface OrdersEndpoint extends ListEndpoint {
  /** Query parameter that filters by external reference; the client checks the reference itself anyway. */
  referenceParam: string;
  dateFromParam: string;
  dateToParam: string;
}

export interface CreateOrderEndpoint extends EndpointBase {
  buildBody: (input: CreateSalesOrderInput) => unknown;
  /** Key wrapping the created order in the response, if any (an unwrapped order is accepted too). */
  responseKey: string | null;
}

export interface GetOrderEndpoint extends EndpointBase {
  responseKey: string | null;
}

export interface MainoEndpointTable {
  authenticate: AuthenticateEndpoint;
  products: ProductsEndpoint;
  orders: OrdersEndpoint;
  getOrder: GetOrderEndpoint;
  createOrder: CreateOrderEndpoint;
  cancelOrder: EndpointBase;
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

export const DEFAULT_MAINO_ENDPOINTS: MainoEndpointTable = {
  authenticate: {
    method: 'POST',
    path: 'authentication',
    confidence: 'reported',
    note: 'Body {application_uid, email, password}; answer keyed by CNPJ, maybe wrapped in "value" (both read). Refresh route unknown: the client logs in again.',
    fallbackTokenTtlMs: 60 * 60 * 1000,
  },
  products: {
    method: 'GET',
    path: 'produtos',
    confidence: 'assumed',
    note: 'Route reported; the SKU filter name "codigo" is assumed (the client still matches codigo itself).',
    listKey: 'produtos',
    perPage: 100,
    skuParam: 'codigo',
  },
  orders: {
    method: 'GET',
    path: 'pedidos',
    confidence: 'assumed',
    note: 'Route, page/per_page, data_inicio/data_fim (dd/mm/aaaa) reported; the "referencia_externa" filter is assumed.',
    listKey: 'pedidos',
    perPage: 50,
    referenceParam: 'referencia_externa',
    dateFromParam: 'data_inicio',
    dateToParam: 'data_fim',
  },
  getOrder: {
    method: 'GET',
    path: 'pedidos/{id}',
    confidence: 'assumed',
    note: 'Only /pedidos/{id}/nota_fiscal is reported; a plain GET of one order is assumed.',
    responseKey: 'pedido',
  },
  createOrder: {
    method: 'POST',
    path: 'pedidos',
    confidence: 'assumed',
    note: 'Creating a sales order through the API is not in any source; route and body are assumed, the order-level valor_frete, valor_desconto and valor_outras_despesas included.',
    buildBody: buildMainoOrderBody,
    responseKey: 'pedido',
  },
  cancelOrder: {
    method: 'DELETE',
    path: 'pedidos/{id}',
    confidence: 'reported',
    note: 'DELETE /pedidos/{id} is reported; that it cancels (and releases committed stock) rather than erases is assumed.',
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
