import { LOJAINTEGRADA_SITUACOES } from '../statuses.js';
import { itemsCents, localStamp, money, quantity, totalCents, utcStamp, type FakeOrder, type FakeProduct } from './state.js';

/** LI's JSON shapes (Tastypie resources), as transcribed from the public spec examples. */

export function situacaoJson(codigo: string) {
  const known = LOJAINTEGRADA_SITUACOES.find((situacao) => situacao.codigo === codigo);
  const id = known?.id ?? 1000;
  return {
    aprovado: known?.aprovado ?? false,
    cancelado: known?.cancelado ?? false,
    codigo,
    final: known?.final ?? false,
    id,
    nome: known?.nome ?? codigo,
    notificar_comprador: true,
    padrao: codigo === 'pedido_efetuado',
    resource_uri: `/api/v1/situacao/${id}`,
  };
}

export function summaryJson(order: FakeOrder, timeZone: string) {
  return {
    cliente: `/api/v1/cliente/${order.cliente.id}`,
    data_criacao: localStamp(order.createdMicros, timeZone),
    data_expiracao: localStamp(order.createdMicros + 7 * 86_400_000_000, timeZone),
    data_modificacao: localStamp(order.modifiedMicros, timeZone),
    id_anymarket: null,
    id_externo: null,
    numero: order.numero,
    peso_real: '0.450',
    resource_uri: `/api/v1/pedido/${order.numero}`,
    situacao: situacaoJson(order.codigo),
    utm_campaign: null,
    valor_desconto: money(order.discountCents),
    valor_envio: money(order.shippingCents),
    valor_subtotal: money(itemsCents(order)),
    valor_total: money(totalCents(order)),
  };
}

export function detailJson(order: FakeOrder, timeZone: string) {
  return {
    ...summaryJson(order, timeZone),
    cupom_desconto: null,
    cliente_obs: null,
    cliente: {
      ...order.cliente,
      cnpj: null,
      razao_social: null,
      data_nascimento: '1990-01-01',
      sexo: 'f',
      telefone_principal: null,
      resource_uri: `/api/v1/cliente/${order.cliente.id}`,
    },
    endereco_entrega: {
      id: order.numero,
      tipo: 'PF',
      nome: order.cliente.nome,
      endereco: 'Rua Exemplo',
      numero: '100',
      complemento: null,
      bairro: 'Centro',
      cidade: 'São Paulo',
      estado: 'SP',
      cep: '01001000',
      pais: 'Brasil',
    },
    envios: [
      {
        id: 9_000_000 + order.numero,
        objeto: null,
        prazo: 5,
        valor: money(order.shippingCents),
        data_criacao: localStamp(order.createdMicros, timeZone),
        data_modificacao: localStamp(order.modifiedMicros, timeZone),
        forma_envio: { code: 'pac', id: 1, nome: 'PAC', tipo: 'correios' },
      },
    ],
    pagamentos: [],
    itens: order.itens.map((item, index) => {
      const preco = money(item.unitCents);
      return {
        id: item.id,
        linha: index + 1,
        nome: item.nome,
        sku: item.sku,
        tipo: item.tipo,
        quantidade: quantity(item.quantityMilli),
        preco_cheio: preco,
        preco_custo: null,
        preco_promocional: preco,
        preco_subtotal: money((item.quantityMilli * item.unitCents) / 1000),
        preco_venda: order.malformed && index === 0 ? order.malformed.value : preco,
        peso: '0.450',
        altura: 10,
        largura: 15,
        profundidade: 5,
        disponibilidade: 0,
        pedido: `/api/v1/pedido/${order.numero}`,
        // The current spec shows an object, the old one a URI string; the fake alternates so both are exercised.
        produto: index % 2 === 0 ? { id_externo: null, resource_uri: `/api/v1/produto/${item.produtoId}` } : `/api/v1/produto/${item.produtoId}`,
        produto_pai: item.tipo === 'atributo_opcao' ? `/api/v1/produto/${item.produtoId - 1000}` : null,
      };
    }),
  };
}

/** A delivery body per secondary notes: numbers instead of strings, top-level dates in UTC, the internal id. */
export function webhookJson(order: FakeOrder) {
  return {
    id: order.id,
    numero: order.numero,
    situacao: { ...situacaoJson(order.codigo), situacao_alterada: true },
    data_criacao: utcStamp(order.createdMicros),
    data_modificacao: utcStamp(order.modifiedMicros),
    valor_desconto: order.discountCents / 100,
    valor_envio: order.shippingCents / 100,
    valor_subtotal: itemsCents(order) / 100,
    valor_total: totalCents(order) / 100,
    cliente: { id: order.cliente.id, nome: order.cliente.nome, email: order.cliente.email, cpf: order.cliente.cpf },
    itens: order.itens.map((item) => ({
      id: item.id,
      nome: item.nome,
      sku: item.sku,
      produto_id: item.produtoId,
      produto_id_pai: item.tipo === 'atributo_opcao' ? item.produtoId - 1000 : null,
      quantidade: item.quantityMilli / 1000,
      preco_venda: item.unitCents / 100,
    })),
    marketplace_info: null,
  };
}

export function produtoJson(product: FakeProduct) {
  return {
    id: product.id,
    sku: product.sku,
    nome: product.nome,
    tipo: 'normal',
    ativo: true,
    removido: false,
    pai: null,
    resource_uri: `/api/v1/produto/${product.id}`,
  };
}

export function estoqueJson(product: FakeProduct) {
  return {
    gerenciado: true,
    id: product.stockRowId,
    produto: `/api/v1/produto/${product.id}`,
    quantidade: product.quantidade,
    quantidade_disponivel: product.quantidade,
    quantidade_reservada: 0,
    resource_uri: `/api/v1/produto_estoque/${product.id}`,
    situacao_em_estoque: product.situacao_em_estoque,
    situacao_sem_estoque: product.situacao_sem_estoque,
  };
}

export function listJson<T>(objects: T[], total: number, limit: number, offset: number, path: string, query: URLSearchParams) {
  const link = (at: number) => {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    params.set('offset', String(at));
    return `/api/v1/${path}?${params}`;
  };
  return {
    meta: {
      limit,
      next: offset + limit < total ? link(offset + limit) : null,
      offset,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      total_count: total,
    },
    objects,
  };
}
