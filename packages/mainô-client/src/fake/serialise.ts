import { formatCents, formatCnpj, formatQuantity } from '@conecta/core';
import type { FakeInvoice, FakeOrder, FakeProduct } from './state.js';
import { CANCELLED_STATUS_LABEL, OPEN_STATUS_LABEL, realQuantity } from './templates.js';

/**
 * How the fake writes an order:
 * - `real`: the keys real `GET /pedidos` answers were seen with (UUID `id`, `numero`, status label, `itens[].codigo`
 *   and `itens[].quantidade` as "2.0"), plus what this package assumes Mainô keeps from its create body
 *   (`referencia_externa`, `tags`) and a `cobranca.parcelas` total (key names from the one real client's reading);
 * - `bare`: only the keys seen in real answers, nothing assumed (no reference: a lookup cannot match it);
 * - `legacy`: the shape the research notes suggested (`qtde`, `valor_unitario`, `valor_total`, status codes).
 */
export type OrderShape = 'real' | 'bare' | 'legacy';

/** Quantities go out as JSON numbers and money as decimal strings, the mix a Rails API of this kind answers with. */
export function productJson(product: FakeProduct): Record<string, unknown> {
  return {
    id: product.id,
    codigo: product.codigo,
    descricao: product.descricao,
    ativo: true,
    unidade_de_medida: 'UN',
    pu_saida: formatCents(product.priceCents),
    qtde: Number(formatQuantity(product.qtdeMilli)),
    qtde_comprometida: Number(formatQuantity(product.committedMilli)),
    qtde_armazenada: Number(formatQuantity(product.storedMilli)),
  };
}

export function orderJson(order: FakeOrder, shape: OrderShape = 'real'): Record<string, unknown> {
  let total = 0;
  for (const item of order.itens) total += Math.round((item.qtdeMilli * item.valorUnitarioCents) / 1000);
  if (shape === 'legacy') {
    return {
      id: Number(order.id) || order.id,
      referencia_externa: order.referencia_externa,
      tags: order.tags,
      status: order.status,
      numero_pedido_ecommerce: order.numero_pedido_ecommerce,
      data_emissao: order.data_emissao,
      cliente: order.cliente,
      itens: order.itens.map((item) => ({
        codigo: item.codigo,
        descricao: item.descricao,
        qtde: Number(formatQuantity(item.qtdeMilli)),
        valor_unitario: formatCents(item.valorUnitarioCents),
      })),
      valor_total: formatCents(total),
    };
  }
  const observed: Record<string, unknown> = {
    id: order.id,
    numero: order.numero,
    status: order.status === 'cancelado' ? CANCELLED_STATUS_LABEL : OPEN_STATUS_LABEL,
    itens: order.itens.map((item) => ({ codigo: item.codigo, quantidade: realQuantity(formatQuantity(item.qtdeMilli)) })),
  };
  if (shape === 'bare') return observed;
  return {
    ...observed,
    referencia_externa: order.referencia_externa,
    tags: order.tags,
    cobranca: { parcelas: [{ valor: formatCents(total) }] },
  };
}

/** `{nota_fiscal: {id, status, danfe_url}}` as real answers carry it. */
export function invoiceJson(invoice: FakeInvoice, origin: string): Record<string, unknown> {
  return { nota_fiscal: { id: invoice.id, status: invoice.status, danfe_url: `${origin}/danfe/${invoice.id}/${invoice.accessKey}` } };
}

export function loginJson(company: { cnpj: string; name: string }, user: { email: string; name: string }, token: string): Record<string, unknown> {
  return {
    email: user.email,
    user_name: user.name,
    company_name: company.name,
    cnpj: formatCnpj(company.cnpj),
    access_token: token,
    refresh_token: `refresh-${token.slice(-12)}`,
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** Paginates the way the reported clients read it: the array plus `pagination.next_page`. */
export function pageJson(listKey: string, items: unknown[], page: number, perPage: number): Response {
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return json({
    [listKey]: slice,
    pagination: {
      current_page: page,
      next_page: page < totalPages ? page + 1 : null,
      prev_page: page > 1 ? page - 1 : null,
      total_pages: totalPages,
      total_count: items.length,
    },
  });
}
