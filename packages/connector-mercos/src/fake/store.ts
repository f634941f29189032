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
  /**
   * IPI percentage (`tipo_ipi` "P") Mercos adds from the product registration. Applied after the discount and
   * included in the item subtotal, rounded there (M-SDK's sandbox notes); `preco_liquido` stays before IPI.
   */
  ipiPercent: number;
  excluido: boolean;
}

export interface FakeOrder {
  id: number;
  numero: number;
  status: '0' | '1' | '2';
  statusCustomId: number | null;
  excluido: boolean;
  /** The customer's id: like the real `GET /v2/pedidos`, an order names only `cliente_id`. */
  clienteId: number;
  nomeContato: string;
  items: FakeItem[];
  freightCents: number;
  /** `date`, may be null (the docs' schema): a quote still being written has none. */
  dataEmissao: string | null;
  /** Only set when the order was created with it (`data_criacao`); Brasília wall time. */
  dataCriacao: string | null;
  ultimaAlteracao: string;
  /** Replaces fields of the rendered JSON: how a malformed payload is produced. */
  override?: (json: Record<string, unknown>) => void;
}

export interface FakeCustomer {
  id: number;
  razaoSocial: string;
  nomeFantasia: string;
  /** "J" with a CNPJ (some alphanumeric), "F" with a CPF (assumed to travel in `cnpj`, as the single document field). */
  tipo: 'J' | 'F';
  cnpj: string;
  email: string;
  telefone: string;
  ultimaAlteracao: string;
}

export interface FakeCustomStatus {
  id: number;
  nome: string;
  excluido: boolean;
  ultimaAlteracao: string;
}

/** Integer cents -> JSON number, exact through its shortest representation (12990 -> 129.9). */
const decimal = (scaled: number, scale: number): number => Number((scaled / scale).toFixed(scale === 100 ? 2 : 3));

/** Mercos rounds the item subtotal: net price times quantity, plus IPI, half-up to the cent. */
export function subtotalCents(item: FakeItem): number {
  return Math.floor((item.netCents * item.quantityMilli * (100 + item.ipiPercent) + 50_000) / 100_000);
}

export function orderTotalCents(order: FakeOrder): number {
  return order.items.filter((item) => !item.excluido).reduce((sum, item) => sum + subtotalCents(item), 0) + order.freightCents;
}

/**
 * `GET /v2/pedidos` items, key for key as Mercos' documentation example (`tests/fixtures/platforms/mercos/
 * pedido-v2-77-por-id.json`; a test compares the key sets), plus `status_custom_id`, which the schema documents.
 * No `cliente_*` fields: the customer is `cliente_id`, read from `/v1/clientes/{id}`.
 */
export function renderOrder(order: FakeOrder): Record<string, unknown> {
  const json: Record<string, unknown> = {
    cliente_id: order.clienteId,
    status: order.status,
    condicao_pagamento: '30 dias',
    forma_pagamento_id: 0,
    transportadora_id: 0,
    tipo_pedido_id: null,
    nome_contato: order.nomeContato,
    itens: order.items.map((item) => ({
      tipo_ipi: 'P',
      quantidade: decimal(item.quantityMilli, 1000),
      preco_tabela: decimal(item.tableCents, 100),
      tabela_preco_id: 0,
      ipi: item.ipiPercent,
      observacoes: '',
      st: 0,
      produto_id: item.produtoId,
      quantidade_grades: [],
      cotacao_moeda: 1,
      excluido: item.excluido,
      subtotal: decimal(subtotalCents(item), 100),
      id: item.id,
      preco_liquido: decimal(item.netCents, 100),
      descontos_do_vendedor: item.discountPercent ? [item.discountPercent] : [],
      descontos_de_promocoes: [],
      descontos_de_politicas: [],
      desconto_de_cupom: null,
    })),
    status_faturamento: '0',
    observacoes: '',
    numero: order.numero,
    transportadora_nome: '',
    data_criacao: order.dataCriacao,
    ultima_alteracao: order.ultimaAlteracao,
    extras: [],
    endereco_entrega: { id: null, endereco: null, numero: null, complemento: null, bairro: null, cidade: null, estado: null, cep: null },
    condicao_pagamento_id: 0,
    data_emissao: order.dataEmissao,
    rastreamento: '',
    valor_frete: decimal(order.freightCents, 100),
    total: decimal(orderTotalCents(order), 100),
    id: order.id,
    criador_id: 7,
    status_b2b: null,
    cupom_de_desconto: null,
    representada_id: 0,
    // Mercos writes "none" in id fields as 0 as often as null.
    status_custom_id: order.statusCustomId ?? (order.numero % 2 === 0 ? 0 : null),
  };
  if (order.excluido) json['excluido'] = true;
  order.override?.(json);
  return json;
}

/** `GET /v1/clientes/{id}`, key for key as the documentation example (`tests/fixtures/platforms/mercos/cliente-7318748.json`). */
export function renderCustomer(customer: FakeCustomer): Record<string, unknown> {
  return {
    ultima_alteracao: customer.ultimaAlteracao,
    id: customer.id,
    razao_social: customer.razaoSocial,
    nome_fantasia: customer.nomeFantasia,
    tipo: customer.tipo,
    cnpj: customer.cnpj,
    inscricao_estadual: customer.tipo === 'J' ? 'ISENTO' : '',
    suframa: '',
    rua: 'Rua Abdon Batista',
    numero: '121',
    complemento: '',
    cep: '89201010',
    bairro: 'Centro',
    cidade: 'Joinville',
    estado: 'SC',
    observacao: '',
    excluido: false,
    bloqueado_b2b: false,
    bloqueado: false,
    tags: [],
    limite_credito: [],
    contatos: [
      {
        id: customer.id * 10,
        nome: 'Compras',
        cargo: 'Comprador',
        excluido: false,
        telefones: [{ id: customer.id * 10 + 1, numero: customer.telefone, tipo: 'T' }],
        emails: [{ id: customer.id * 10 + 2, email: `compras.${customer.email}`, tipo: 'T' }],
      },
    ],
    nome_excecao_fiscal: '',
    criador_id: 7,
    emails: [{ id: customer.id * 10 + 3, tipo: 'T', email: customer.email }],
    extras: [],
    enderecos_adicionais: [],
    telefones: [{ id: customer.id * 10 + 4, tipo: 'T', numero: customer.telefone }],
    representadas_ids: [0],
  };
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
