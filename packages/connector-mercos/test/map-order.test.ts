import { parsePlatformOrder, resolveStatus } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { mercosDefaultStatusDictionary, mapMercosOrder, type MapContext } from '../src/index.js';
import { lookupsOf } from '../src/map-order.js';

const context = (overrides: Partial<MapContext> = {}): MapContext => ({
  products: new Map([
    ['11', { codigo: 'CAFE-1KG', nome: 'Café 1 kg' }],
    ['12', { codigo: 'ACUCAR-5KG', nome: 'Açúcar 5 kg' }],
  ]),
  timeZone: 'America/Sao_Paulo',
  useCustomStatus: false,
  customStatusNames: new Map(),
  ...overrides,
});

/** Trimmed from the `GET /v2/pedidos` example shape. */
const order = (overrides: Record<string, unknown> = {}) => ({
  id: 9001,
  numero: 77,
  cliente_razao_social: 'Padaria Pão Quente Ltda',
  cliente_nome_fantasia: 'Pão Quente',
  cliente_cnpj: '12.345.678/0001-95',
  cliente_email: '',
  cliente_telefone: '(11) 98888-7777',
  status: '2',
  status_custom_id: 0,
  data_emissao: '2026-03-01',
  data_criacao: null,
  ultima_alteracao: '2026-03-02 21:12:05',
  valor_frete: 15.9,
  total: 148.33,
  itens: [
    { id: 1, produto_id: 11, quantidade: 1.5, preco_tabela: 52.9, preco_liquido: 47.61, subtotal: 71.42, excluido: false },
    // Percentage discounts leave more decimals than cents; Mercos shows the rounded cent.
    { id: 2, produto_id: 12, quantidade: 3, preco_tabela: 22.22, preco_liquido: 20.336666, subtotal: 61.01, excluido: false },
    { id: 3, produto_id: 12, quantidade: 9, preco_tabela: 22.22, preco_liquido: 22.22, subtotal: 199.98, excluido: true },
  ],
  ...overrides,
});

describe('mapMercosOrder', () => {
  it('maps amounts to integer cents and milli-units, skipping excluded items', () => {
    const mapped = mapMercosOrder(order(), context());
    expect(mapped.lines).toEqual([
      { lineId: '1', sku: 'CAFE-1KG', name: 'Café 1 kg', quantityMilli: 1500, unitPriceCents: 4761, productRef: { productId: '11' } },
      { lineId: '2', sku: 'ACUCAR-5KG', name: 'Açúcar 5 kg', quantityMilli: 3000, unitPriceCents: 2034, productRef: { productId: '12' } },
    ]);
    expect(mapped.totals).toEqual({ itemsCents: 7142 + 6101, shippingCents: 1590, totalCents: 14833 });
    expect(mapped.customer).toEqual({ name: 'Padaria Pão Quente Ltda', document: '12345678000195', phone: '(11) 98888-7777' });
  });

  it('reads Mercos times as Brasília wall time', () => {
    const mapped = mapMercosOrder(order(), context());
    expect(mapped.updatedAt).toBe('2026-03-03T00:12:05.000Z');
    expect(mapped.createdAt).toBe('2026-03-01T03:00:00.000Z');
    expect(mapMercosOrder(order({ data_criacao: '2026-03-01 10:30:00' }), context()).createdAt).toBe('2026-03-01T13:30:00.000Z');
  });

  it('reports cancelled, excluded and (when enabled) custom statuses', () => {
    expect(mapMercosOrder(order({ status: '0', status_custom_id: 4 }), context({ useCustomStatus: true })).status).toBe('0');
    expect(mapMercosOrder(order({ excluido: true }), context()).status).toBe('excluido');
    expect(mapMercosOrder(order({ status_custom_id: 4 }), context()).status).toBe('2');
    const custom = mapMercosOrder(order({ status_custom_id: 4 }), context({ useCustomStatus: true, customStatusNames: new Map([['4', 'Em transporte']]) }));
    expect(custom).toMatchObject({ status: 'custom:4', statusLabel: 'Em transporte' });
  });

  it('an item whose product is unknown or has no code is kept unmatched; a bad amount is rejected naming the Mercos field', () => {
    const unknownProduct = parsePlatformOrder(order(), (raw) => mapMercosOrder(raw, context({ products: new Map() })), { platform: 'mercos', externalId: '9001' });
    expect('order' in unknownProduct && unknownProduct.order.lines.map((line) => [line.sku, line.unmatched?.reason])).toEqual([
      [undefined, 'sku-not-found'],
      [undefined, 'sku-not-found'],
    ]);
    expect('order' in unknownProduct && unknownProduct.order.warnings.map((warning) => warning.code)).toEqual(['line-unmatched', 'line-unmatched']);
    const noCode = mapMercosOrder(order(), context({ products: new Map([['11', { codigo: ' ', nome: 'Café 1 kg' }]]) }));
    expect(noCode.lines[0]).toMatchObject({ name: 'Café 1 kg', unmatched: { reason: 'sku-missing' } });
    const badTotal = parsePlatformOrder(order({ total: 'R$ muito' }), (raw) => mapMercosOrder(raw, context()), { platform: 'mercos', externalId: '9001' });
    expect('rejected' in badTotal && badTotal.rejected.error.path).toBe('total');
  });
});

describe('mapMercosOrder customers and shapes', () => {
  const customer = { id: '14', name: 'Loja do Zé LTDA', document: '12ABC34501DE35', tipo: 'J', email: 'jose@zestore.com.br', phone: '(47) 9876-5432' };

  it('takes the customer from /v1/clientes when the order names only cliente_id', () => {
    const bare = { ...order(), cliente_razao_social: undefined, cliente_nome_fantasia: undefined, cliente_cnpj: undefined, cliente_telefone: undefined, cliente_id: 14 };
    const mapped = mapMercosOrder(bare, context({ customers: new Map([['14', customer]]) }));
    expect(mapped.customer).toEqual({ name: 'Loja do Zé LTDA', email: 'jose@zestore.com.br', document: '12ABC34501DE35', phone: '(47) 9876-5432' });
    expect(mapped.warnings).toEqual([]);
  });

  it('keeps an order without items and without any contact, saying when the customer was not found', () => {
    const empty = { id: 78, numero: 2, cliente_id: 14, status: '1', nome_contato: '', itens: [], total: 0, valor_frete: 0, ultima_alteracao: '2017-02-20 11:19:52', data_emissao: '2017-02-20' };
    const mapped = mapMercosOrder(empty, context({ customers: new Map() }));
    expect(mapped.lines).toEqual([]);
    expect(mapped.customer).toEqual({ name: '' });
    expect(mapped.warnings).toEqual([expect.objectContaining({ code: 'field-ignored', field: 'cliente_id' })]);
    expect(parsePlatformOrder(empty, (raw) => mapMercosOrder(raw, context({ customers: new Map() })), { platform: 'mercos', externalId: '78' })).toHaveProperty('order');
  });

  it('reads the v1 shape (items, produto_codigo) without a product lookup', () => {
    const v1 = { ...order(), itens: undefined, items: [{ id: 5, produto_id: 99, produto_codigo: 'WWW', produto_nome: 'Produto W', quantidade: 2, preco_bruto: 100, preco_liquido: 92.15, subtotal: 184.3 }], total: 200.2 };
    const mapped = mapMercosOrder(v1, context({ products: new Map() }));
    expect(mapped.lines).toEqual([{ lineId: '5', sku: 'WWW', name: 'Produto W', quantityMilli: 2000, unitPriceCents: 9215, productRef: { productId: '99' } }]);
  });

  it('says so when an item carries IPI or ST it cannot place in the breakdown', () => {
    const taxed = order({ itens: [{ id: 1, produto_id: 11, quantidade: 1, preco_liquido: 10, subtotal: 10, ipi: 5, tipo_ipi: 'P', st: 0 }], total: 10.5, valor_frete: 0 });
    expect(mapMercosOrder(taxed, context()).warnings).toEqual([expect.objectContaining({ code: 'field-ignored', field: 'itens.0.ipi' })]);
  });
});

describe('mapMercosOrder edges', () => {
  it('names the v1 items path when a v1 item is broken', () => {
    const v1 = { ...order(), itens: undefined, items: [{ id: 5, produto_id: 99, produto_codigo: 'WWW', quantidade: 'duas', preco_liquido: 92.15, subtotal: 184.3 }] };
    const parsed = parsePlatformOrder(v1, (raw) => mapMercosOrder(raw, context()), { platform: 'mercos', externalId: '9001' });
    expect('rejected' in parsed && parsed.rejected.error.path).toBe('items.0.quantidade');
  });

  it('quotes the IPI and ST it set aside, an absent one as 0', () => {
    const ipiOnly = order({ itens: [{ id: 1, produto_id: 11, quantidade: 1, preco_liquido: 10, subtotal: 10.5, ipi: 5 }], total: 10.5, valor_frete: 0 });
    expect(mapMercosOrder(ipiOnly, context()).warnings?.[0]?.message).toContain('ipi 5, st 0');
    const stOnly = order({ itens: [{ id: 1, produto_id: 11, quantidade: 1, preco_liquido: 10, subtotal: 11.2, st: 1.2 }], total: 11.2, valor_frete: 0 });
    expect(mapMercosOrder(stOnly, context()).warnings?.[0]?.message).toContain('ipi 0, st 1.2');
  });

  it('prices an item without subtotal from its net price and quantity', () => {
    const noSubtotal = order({ itens: [{ id: 1, produto_id: 11, quantidade: 2.5, preco_liquido: 47.61 }], total: 119.03, valor_frete: 0 });
    expect(mapMercosOrder(noSubtotal, context()).totals.itemsCents).toBe(11903);
  });

  it('without a customer directory, keeps what the order inlines and warns of nothing', () => {
    const mapped = mapMercosOrder(order({ cliente_id: 14 }), context());
    expect(mapped.customer.name).toBe('Padaria Pão Quente Ltda');
    expect(mapped.warnings).toEqual([]);
  });

  it('an order that names no customer is not a customer missing from the directory', () => {
    expect(mapMercosOrder(order({ cliente_id: 0 }), context({ customers: new Map() })).warnings).toEqual([]);
  });

  it('passes a document that is neither CPF nor CNPJ on as written, for core to set aside', () => {
    expect(mapMercosOrder(order({ cliente_cnpj: '123' }), context()).customer.document).toBe('123');
  });

  it('reads data_emissao only as a date; a date with a time is not taken for one', () => {
    const mapped = mapMercosOrder(order({ data_emissao: '2026-03-01T10:00:00' }), context());
    expect(mapped.createdAt).toBe(mapped.updatedAt);
  });

  it('looks up the customer and the products of live lines without their own code, and nothing for an order without items', () => {
    const v1 = { ...order(), cliente_id: 14, itens: undefined, items: [{ id: 5, produto_id: 99, produto_codigo: 'WWW', quantidade: 2, preco_liquido: 1, subtotal: 2 }, { id: 6, produto_id: 98, quantidade: 1, preco_liquido: 1, subtotal: 1 }] };
    expect(lookupsOf(v1)).toEqual({ productIds: ['98'], customerId: '14' });
    expect(lookupsOf({ ...order(), itens: undefined })).toEqual({ productIds: [], customerId: undefined });
  });
});

describe('default status dictionary', () => {
  it('maps the fixed statuses and the custom ones the integration names', () => {
    const dictionary = mercosDefaultStatusDictionary({ '4': 'finalized' });
    expect(resolveStatus(dictionary, '0').state).toBe('cancelled');
    expect(resolveStatus(dictionary, 'excluido').state).toBe('cancelled');
    expect(resolveStatus(dictionary, '1').state).toBe('ignored');
    expect(resolveStatus(dictionary, '2').state).toBe('pending');
    expect(resolveStatus(dictionary, 'custom:4').state).toBe('finalized');
    expect(resolveStatus(dictionary, 'custom:5').unmapped).toBe(true);
  });
});
