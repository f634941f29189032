import { formatCents, formatCnpj, formatQuantity } from '@conecta/core';
import type { FakeOrder, FakeProduct } from './state.js';

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
    qtde_armazenada: 0,
  };
}

/** `quantityField: 'quantidade'` sends each item's quantity as public client code shows it: a decimal string under `quantidade`. */
export function orderJson(order: FakeOrder, quantityField: 'qtde' | 'quantidade' = 'qtde'): Record<string, unknown> {
  let total = 0;
  const itens = order.itens.map((item) => {
    total += Math.round((item.qtdeMilli * item.valorUnitarioCents) / 1000);
    return {
      codigo: item.codigo,
      descricao: item.descricao,
      ...(quantityField === 'qtde' ? { qtde: Number(formatQuantity(item.qtdeMilli)) } : { quantidade: formatQuantity(item.qtdeMilli) }),
      valor_unitario: formatCents(item.valorUnitarioCents),
    };
  });
  return {
    id: order.id,
    referencia_externa: order.referencia_externa,
    tags: order.tags,
    status: order.status,
    numero_pedido_ecommerce: order.numero_pedido_ecommerce,
    data_emissao: order.data_emissao,
    cliente: order.cliente,
    itens,
    valor_total: formatCents(total),
  };
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
