import { ValidationError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { mapLojaIntegradaOrder } from '../src/index.js';
import { liDateTimeToMicros } from '../src/dates.js';

const TZ = 'America/Sao_Paulo';

function pedido(overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) {
  return {
    numero: 165,
    situacao: { codigo: 'pedido_pago', nome: 'Pedido Pago', aprovado: true, cancelado: false, final: false, id: 4 },
    data_criacao: '2022-10-31T12:28:05.704751',
    data_modificacao: '2022-10-31T12:30:00.000001',
    valor_subtotal: '32.48',
    valor_envio: '15.10',
    valor_desconto: '0.00',
    valor_total: '47.58',
    cliente: { nome: 'Ana', email: 'ana@example.com', cpf: '123.456.789-09', telefone_celular: '11999990000' },
    itens: [{ id: 7, sku: 'KG-1', nome: 'Café a granel', quantidade: '1.25', preco_venda: '25.99', ...item }],
    ...overrides,
  };
}

describe('mapLojaIntegradaOrder', () => {
  it('turns decimal strings into exact cents and milli-units; items are the lines, LI\'s subtotal is checked', () => {
    const order = mapLojaIntegradaOrder(pedido(), TZ);
    // 1.25 x 25.99 = 32.4875, half-up 32.49; LI says 32.48: the order is kept, with both figures in a warning.
    expect(order.totals).toEqual({ itemsCents: 3249, shippingCents: 1510, discountCents: 0, totalCents: 4758 });
    expect(order.warnings).toEqual([expect.objectContaining({ code: 'field-ignored', field: 'valor_subtotal', message: expect.stringContaining('32.48') })]);
    expect(order.lines).toEqual([{ lineId: '7', sku: 'KG-1', name: 'Café a granel', quantityMilli: 1250, unitPriceCents: 2599 }]);
    expect(order.customer).toEqual({ name: 'Ana', email: 'ana@example.com', document: '12345678909', phone: '11999990000' });
    expect(order.status).toBe('pedido_pago');
    expect(mapLojaIntegradaOrder(pedido({ valor_subtotal: '32.49' }), TZ).warnings).toEqual([]);
  });

  it("names a line by LI's item id, as text; a line without one carries none", () => {
    expect(mapLojaIntegradaOrder(pedido({}, { id: 5012 }), TZ).lines[0]!.lineId).toBe('5012');
    expect(mapLojaIntegradaOrder(pedido({}, { id: '5012' }), TZ).lines[0]!.lineId).toBe('5012');
    for (const id of [null, undefined]) expect(mapLojaIntegradaOrder(pedido({}, { id }), TZ).lines[0], String(id)).not.toHaveProperty('lineId');
    // Nor a name, where LI sent none.
    expect(mapLojaIntegradaOrder(pedido({}, { nome: null }), TZ).lines[0]!.name).toBe('');
  });

  it('reads a numeric SKU as its decimal string, and keeps a line without SKU unmatched', () => {
    expect(mapLojaIntegradaOrder(pedido({}, { sku: 345 }), TZ).lines[0]).toMatchObject({ sku: '345' });
    expect(mapLojaIntegradaOrder(pedido({}, { sku: 0 }), TZ).lines[0]).toMatchObject({ sku: '0' });
    // A number no SKU text could have been written as exactly (too large to be exact, negative, fractional).
    for (const sku of [2 ** 53, -345, 3.45]) expect(mapLojaIntegradaOrder(pedido({}, { sku }), TZ).lines[0]!.unmatched?.reason, String(sku)).toBe('sku-missing');
    for (const sku of ['', '   ', null, undefined]) {
      const line = mapLojaIntegradaOrder(pedido({}, { sku }), TZ).lines[0]!;
      expect(line.sku, String(sku)).toBeUndefined();
      expect(line.unmatched).toEqual({ reason: 'sku-missing', detail: 'Loja Integrada enviou o item sem sku' });
    }
  });

  it('names the product and its variant from the produto URIs, never from an external id', () => {
    const variant = { produto: { id_externo: null, resource_uri: '/api/v1/produto/88568855' }, produto_pai: '/api/v1/produto/182904918' };
    expect(mapLojaIntegradaOrder(pedido({}, variant), TZ).lines[0]!.productRef).toEqual({ productId: '182904918', variantId: '88568855' });
    expect(mapLojaIntegradaOrder(pedido({}, { produto: '/api/v1/produto/77' }), TZ).lines[0]!.productRef).toEqual({ productId: '77' });
    expect(mapLojaIntegradaOrder(pedido({}, { produto: { resource_uri: '/api/v1/produto/88568855?id_externo=1' } }), TZ).lines[0]!.productRef).toBeUndefined();
    expect(mapLojaIntegradaOrder(pedido({}, { produto: '/api/v1/produto/casaco-azul' }), TZ).lines[0]!.productRef).toBeUndefined();
    // A parent URI naming the line's own product: a simple product, not a variation of itself.
    expect(mapLojaIntegradaOrder(pedido({}, { produto: '/api/v1/produto/77', produto_pai: '/api/v1/produto/77' }), TZ).lines[0]!.productRef).toEqual({ productId: '77' });
    // Ids as numbers are a webhook body's way (webhook.test.ts, `mapLojaIntegradaWebhookBody`): a detail names URIs.
    expect(mapLojaIntegradaOrder(pedido({}, { produto: null, produto_id: 88568855, produto_id_pai: 182904918 }), TZ).lines[0]!.productRef).toBeUndefined();
  });

  it('normalises CPF and CNPJ customers, alphanumeric CNPJs included', () => {
    const company = (cnpj: string) => mapLojaIntegradaOrder(pedido({ cliente: { nome: 'Ana', razao_social: 'Café & Cia LTDA', cpf: null, cnpj } }), TZ).customer;
    expect(company('12.ABC.345/01DE-35')).toEqual({ name: 'Café & Cia LTDA', document: '12ABC34501DE35' });
    expect(company('12.abc.345/01de-35').document).toBe('12ABC34501DE35');
    expect(company('46.487.899/0001-10').document).toBe('46487899000110');
    // Not a valid document: passed on as sent, for core to drop with a warning that quotes it.
    expect(company('12.ABC.345/01DE-99').document).toBe('12.ABC.345/01DE-99');
  });

  it('a cliente named only by URI (as search summaries carry it) leaves the delivery address to name the buyer', () => {
    const entrega = { nome: 'Ana Souza', razao_social: null, cpf: '140.937.717-23', cnpj: null };
    expect(mapLojaIntegradaOrder(pedido({ cliente: '/api/v1/cliente/34220641', endereco_entrega: entrega }), TZ).customer).toEqual({ name: 'Ana Souza', document: '14093771723' });
    const company = { ...entrega, razao_social: 'Loja do Zé LTDA', cpf: null, cnpj: '46.487.899/0001-10' };
    expect(mapLojaIntegradaOrder(pedido({ cliente: null, endereco_entrega: company }), TZ).customer).toEqual({ name: 'Loja do Zé LTDA', document: '46487899000110' });
    expect(mapLojaIntegradaOrder(pedido({ cliente: undefined, endereco_entrega: null }), TZ).customer).toEqual({ name: '' });
  });

  it('keeps values a float would spoil exact', () => {
    const order = mapLojaIntegradaOrder(pedido({ valor_total: '0.30', valor_subtotal: '0.30' }, { quantidade: '0.10', preco_venda: '1.15' }), TZ);
    expect(order.totals.totalCents).toBe(30);
    expect(order.lines[0]).toMatchObject({ quantityMilli: 100, unitPriceCents: 115 });
  });

  it('reads local times with microseconds as São Paulo wall time', () => {
    const order = mapLojaIntegradaOrder(pedido(), TZ);
    expect(order.createdAt).toBe('2022-10-31T15:28:05.704Z');
    expect(liDateTimeToMicros('2022-10-31T12:28:05.704751', TZ, 'd') % 1_000_000).toBe(704_751);
  });

  it('maps a webhook-style body with JSON numbers and UTC dates the same way', () => {
    const order = mapLojaIntegradaOrder(
      pedido({ valor_total: 47.58, valor_subtotal: 32.48, valor_envio: 15.1, data_criacao: '2024-12-11T21:09:38.888Z', data_modificacao: '2024-12-11T21:09:38.888Z' }, { quantidade: 2, preco_venda: 16.24 }),
      TZ,
    );
    expect(order.totals.totalCents).toBe(4758);
    expect(order.lines[0]).toMatchObject({ quantityMilli: 2000, unitPriceCents: 1624 });
    expect(order.updatedAt).toBe('2024-12-11T21:09:38.888Z');
  });

  it('names the LI field of a bad value', () => {
    expect(() => mapLojaIntegradaOrder(pedido({}, { preco_venda: '12,3x' }), TZ)).toThrowError(ValidationError);
    try {
      mapLojaIntegradaOrder(pedido({}, { quantidade: '1.2345' }), TZ);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).path).toBe('itens.0.quantidade');
    }
    try {
      mapLojaIntegradaOrder(pedido({ situacao: { nome: 'x' } }), TZ);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).path).toBe('situacao.codigo');
    }
  });
});
