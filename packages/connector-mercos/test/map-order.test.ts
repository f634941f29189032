import { parsePlatformOrder, resolveStatus } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { buildStatusDictionary, mapMercosOrder, type MapContext } from '../src/index.js';

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
  cliente_cnpj: '12.ABC.345/01DE-35',
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
      { lineId: '1', sku: 'CAFE-1KG', name: 'Café 1 kg', quantityMilli: 1500, unitPriceCents: 4761 },
      { lineId: '2', sku: 'ACUCAR-5KG', name: 'Açúcar 5 kg', quantityMilli: 3000, unitPriceCents: 2034 },
    ]);
    expect(mapped.totals).toEqual({ itemsCents: 7142 + 6101, shippingCents: 1590, totalCents: 14833 });
    expect(mapped.customer).toEqual({ name: 'Padaria Pão Quente Ltda', document: '12ABC34501DE35', phone: '(11) 98888-7777' });
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

  it('an item whose product is unknown is imported unmatched; a bad amount is rejected naming the Mercos field', () => {
    const unknownProduct = parsePlatformOrder(order(), (raw) => mapMercosOrder(raw, context({ products: new Map() })), { platform: 'mercos', externalId: '9001' });
    if (!('order' in unknownProduct)) throw new Error('expected the order to be imported');
    const line = unknownProduct.order.lines[0]!;
    expect(line.sku).toBeUndefined();
    expect(line.unmatched?.reason).toBe('sku-not-found');
    expect(unknownProduct.order.warnings).toContainEqual(expect.objectContaining({ code: 'line-unmatched', lineIndex: 0 }));
    const badTotal = parsePlatformOrder(order({ total: 'R$ muito' }), (raw) => mapMercosOrder(raw, context()), { platform: 'mercos', externalId: '9001' });
    expect('rejected' in badTotal && badTotal.rejected.error.path).toBe('total');
  });
});

describe('default status dictionary', () => {
  it('maps the fixed statuses and the custom ones the integration names', () => {
    const dictionary = buildStatusDictionary({ '4': 'finalized' });
    expect(resolveStatus(dictionary, '0').state).toBe('cancelled');
    expect(resolveStatus(dictionary, 'excluido').state).toBe('cancelled');
    expect(resolveStatus(dictionary, '1').state).toBe('ignored');
    expect(resolveStatus(dictionary, '2').state).toBe('pending');
    expect(resolveStatus(dictionary, 'custom:4').state).toBe('finalized');
    expect(resolveStatus(dictionary, 'custom:5').unmapped).toBe(true);
  });
});
