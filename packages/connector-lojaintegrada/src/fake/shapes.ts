import { LOJAINTEGRADA_SITUACOES } from '../statuses.js';
import { addressedByExternalId, itemsCents, localStamp, money, price, quantity, totalCents, utcStamp, type FakeOrder, type FakeProduct } from './state.js';

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

/**
 * `GET /v1/pedido/{numero}`, key for key as LI's documentation example (`tests/fixtures/platforms/lojaintegrada/
 * pedido-165-openapi.json`; a test compares the key sets). Item prices carry four decimals as in the older published
 * copy ("11.1000"), totals two.
 */
export function detailJson(order: FakeOrder, timeZone: string): Record<string, unknown> {
  const detail = wellFormedDetail(order, timeZone);
  order.corrupt?.(detail);
  return detail;
}

function wellFormedDetail(order: FakeOrder, timeZone: string): Record<string, unknown> {
  const { cliente } = order;
  const document = { cnpj: cliente.cnpj, cpf: cliente.cpf };
  return {
    cliente: {
      ...document,
      data_nascimento: null,
      email: cliente.email,
      id: cliente.id,
      nome: cliente.nome,
      razao_social: cliente.razao_social,
      resource_uri: `/api/v1/cliente/${cliente.id}`,
      sexo: '',
      telefone_celular: cliente.telefone_celular,
      telefone_principal: cliente.telefone_principal,
    },
    cliente_obs: null,
    cupom_desconto: order.discountCents > 0 ? 'DESCONTO5' : null,
    data_criacao: localStamp(order.createdMicros, timeZone),
    data_expiracao: localStamp(order.createdMicros + 7 * 86_400_000_000, timeZone),
    data_modificacao: localStamp(order.modifiedMicros, timeZone),
    endereco_entrega: {
      bairro: 'Bonsucesso',
      cep: '21041040',
      cidade: 'Rio de Janeiro',
      ...(order.entrega ? { cnpj: order.entrega.cnpj, cpf: null } : document),
      complemento: null,
      endereco: 'Avenida Nova York',
      estado: 'RJ',
      id: 51_870_000 + order.numero,
      ie: cliente.cnpj || order.entrega ? '0590064258' : 'isento',
      nome: order.entrega?.nome ?? cliente.nome,
      numero: '1',
      pais: 'Brasil',
      razao_social: order.entrega?.razao_social ?? cliente.razao_social,
      referencia: null,
      rg: null,
      tipo: cliente.cnpj || order.entrega ? 'PJ' : 'PF',
    },
    envios: [
      {
        data_criacao: localStamp(order.createdMicros, timeZone),
        data_modificacao: localStamp(order.modifiedMicros, timeZone),
        forma_envio: { code: 'PAC', id: 141909, nome: 'Enviali', tipo: 'PAC ' },
        id: 69_290_000 + order.numero,
        objeto: null,
        prazo: 7,
        valor: money(order.shippingCents),
      },
    ],
    id_anymarket: null,
    id_externo: null,
    itens: order.itens.map((item, index) => {
      const preco = price(item.unitCents);
      return {
        altura: 2,
        disponibilidade: 0,
        id: item.id,
        largura: 12,
        linha: index + 1,
        nome: item.nome,
        pedido: `/api/v1/pedido/${order.numero}`,
        peso: '0.450',
        preco_cheio: preco,
        preco_custo: null,
        preco_promocional: preco,
        preco_subtotal: preco,
        preco_venda: order.malformed && index === 0 ? order.malformed.value : preco,
        // The current spec shows an object, the old one a URI string; the fake alternates so both are exercised.
        produto: addressedByExternalId(order.numero, item)
          ? { id_externo: 9_000 + (item.produtoId % 1000), resource_uri: `/api/v1/produto/${9_000 + (item.produtoId % 1000)}?id_externo=1` }
          : index % 2 === 0
            ? { id_externo: null, resource_uri: `/api/v1/produto/${item.produtoId}` }
            : `/api/v1/produto/${item.produtoId}`,
        produto_pai: item.tipo === 'atributo_opcao' ? `/api/v1/produto/${item.produtoId - 1000}` : null,
        profundidade: 6,
        quantidade: quantity(item.quantityMilli),
        sku: item.sku,
        tipo: item.tipo,
      };
    }),
    numero: order.numero,
    pagamentos: [
      {
        authorization_code: null,
        banco: null,
        bandeira: 'Mastercard',
        codigo_retorno_gateway: null,
        forma_pagamento: {
          codigo: 'pagsegurov2',
          configuracoes: { ativo: true, disponivel: true },
          id: 24,
          imagem: 'https://cdn.awsli.com.br/production/static/painel/img/formas-de-pagamento/pagsegurov2-logo.png',
          nome: 'PagSeguro V2',
          resource_uri: '/api/v1/pagamento/24',
        },
        id: 69_291_000 + order.numero,
        identificador_id: null,
        mensagem_gateway: null,
        pagamento_tipo: 'creditCard',
        parcelamento: { numero_parcelas: 1, valor_parcela: totalCents(order) / 100 },
        transacao_id: null,
        valor: money(totalCents(order)),
        valor_pago: money(totalCents(order)),
      },
    ],
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
    cliente: { id: order.cliente.id, nome: order.cliente.nome, email: order.cliente.email, cpf: order.cliente.cpf, cnpj: order.cliente.cnpj, razao_social: order.cliente.razao_social },
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
    tipo: product.tipo,
    ativo: true,
    removido: false,
    pai: product.paiId === undefined ? null : `/api/v1/produto/${product.paiId}`,
    resource_uri: `/api/v1/produto/${product.id}`,
  };
}

export function estoqueJson(product: FakeProduct) {
  return {
    gerenciado: product.gerenciado,
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
