/** The fake's records, kept in integer cents and milli-units, and rendered to Mercos' JSON shapes. */

export interface FakeProduct {
  id: number;
  codigo: string;
  nome: string;
  priceCents: number;
  /** Milli-units; Mercos keeps two decimals. */
  stockMilli: number;
  excluido: boolean;
  ultimaAlteracao: string;
}

export interface FakeItem {
  id: number;
  produtoId: number;
  quantityMilli: number;
  tableCents: number;
  /** Net unit price after the salesperson's discount. */
  netCents: number;
  discountPercent: number;
  excluido: boolean;
}

export interface FakeOrder {
  id: number;
  numero: number;
  status: '0' | '1' | '2';
  statusCustomId: number | null;
  excluido: boolean;
  cliente: { id: number; razaoSocial: string; nomeFantasia: string; cnpj: string; email: string; telefone: string };
  items: FakeItem[];
  freightCents: number;
  dataEmissao: string;
  ultimaAlteracao: string;
  /** Replaces fields of the rendered JSON: how a malformed payload is produced. */
  override?: (json: Record<string, unknown>) => void;
}

export interface FakeCustomStatus {
  id: number;
  nome: string;
  excluido: boolean;
  ultimaAlteracao: string;
}

/** Integer cents -> JSON number, exact through its shortest representation (12990 -> 129.9). */
const decimal = (scaled: number, scale: number): number => Number((scaled / scale).toFixed(scale === 100 ? 2 : 3));

/** Mercos rounds the item subtotal: net price times quantity, half-up to the cent. */
export function subtotalCents(item: FakeItem): number {
  return Math.floor((item.netCents * item.quantityMilli + 500) / 1000);
}

export function orderTotalCents(order: FakeOrder): number {
  return order.items.filter((item) => !item.excluido).reduce((sum, item) => sum + subtotalCents(item), 0) + order.freightCents;
}

export function renderOrder(order: FakeOrder): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: order.id,
    numero: order.numero,
    cliente_id: order.cliente.id,
    cliente_razao_social: order.cliente.razaoSocial,
    cliente_nome_fantasia: order.cliente.nomeFantasia,
    cliente_cnpj: order.cliente.cnpj,
    cliente_inscricao_estadual: '',
    cliente_rua: 'Rua das Flores',
    cliente_numero: '100',
    cliente_complemento: '',
    cliente_cep: '01001-000',
    cliente_bairro: 'Centro',
    cliente_cidade: 'São Paulo',
    cliente_estado: 'SP',
    cliente_suframa: '',
    cliente_telefone: order.cliente.telefone,
    cliente_email: order.cliente.email,
    nome_contato: 'Compras',
    status: order.status,
    status_faturamento: '0',
    status_custom_id: order.statusCustomId,
    status_b2b: null,
    data_emissao: order.dataEmissao,
    data_criacao: null,
    ultima_alteracao: order.ultimaAlteracao,
    criador_id: 7,
    representada_id: 0,
    representada_nome_fantasia: '',
    representada_razao_social: '',
    transportadora_id: 0,
    transportadora_nome: '',
    valor_frete: decimal(order.freightCents, 100),
    total: decimal(orderTotalCents(order), 100),
    rastreamento: '',
    observacoes: '',
    prazo_entrega: '',
    modalidade_entrega_nome: '',
    possui_informacao_pagamento: false,
    condicao_pagamento: '30 dias',
    condicao_pagamento_id: 0,
    forma_pagamento_id: 0,
    tipo_pedido_id: null,
    cupom_de_desconto: '',
    percentual_total_comissao_pedido: 0,
    comissoes_vendedores: [],
    extras: [],
    endereco_entrega: null,
    itens: order.items.map((item) => ({
      id: item.id,
      produto_id: item.produtoId,
      tabela_preco_id: 0,
      quantidade: decimal(item.quantityMilli, 1000),
      quantidade_grades: [],
      preco_tabela: decimal(item.tableCents, 100),
      preco_liquido: decimal(item.netCents, 100),
      ipi: 0,
      tipo_ipi: 'P',
      st: 0,
      subtotal: decimal(subtotalCents(item), 100),
      cotacao_moeda: 1,
      observacoes: '',
      excluido: item.excluido,
      descontos_do_vendedor: item.discountPercent ? [item.discountPercent] : [],
      descontos_de_promocoes: [],
      descontos_de_politicas: [],
      desconto_de_cupom: 0,
    })),
  };
  if (order.excluido) json['excluido'] = true;
  order.override?.(json);
  return json;
}

export function renderProduct(product: FakeProduct): Record<string, unknown> {
  return {
    id: product.id,
    codigo: product.codigo,
    nome: product.nome,
    comissao: null,
    preco_tabela: decimal(product.priceCents, 100),
    preco_minimo: null,
    ipi: null,
    tipo_ipi: 'P',
    st: null,
    grade_cores: null,
    grade_tamanhos: null,
    moeda: '0',
    unidade: 'UN',
    saldo_estoque: decimal(Math.floor(product.stockMilli / 10) * 10, 1000),
    observacoes: '',
    ultima_alteracao: product.ultimaAlteracao,
    excluido: product.excluido,
    ativo: true,
    categoria_id: null,
    codigo_ncm: '',
    multiplo: null,
    peso_bruto: null,
    largura: null,
    altura: null,
    comprimento: null,
    peso_dimensoes_unitario: false,
    exibir_no_b2b: true,
    produtos_grade: [],
  };
}

export function renderCustomStatus(status: FakeCustomStatus): Record<string, unknown> {
  return { id: status.id, nome: status.nome, excluido: status.excluido, ultima_alteracao: status.ultimaAlteracao };
}
