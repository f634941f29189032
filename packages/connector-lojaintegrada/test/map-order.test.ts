import { ValidationError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { mapPedido } from '../src/index.js';
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

describe('mapPedido', () => {
  it('turns decimal strings into exact cents and milli-units', () => {
    const order = mapPedido(pedido(), TZ);
    expect(order.totals).toEqual({ itemsCents: 3248, shippingCents: 1510, discountCents: 0, totalCents: 4758 });
    expect(order.lines).toEqual([{ lineId: '7', sku: 'KG-1', name: 'Café a granel', quantityMilli: 1250, unitPriceCents: 2599 }]);
    expect(order.customer).toEqual({ name: 'Ana', email: 'ana@example.com', document: '12345678909', phone: '11999990000' });
    expect(order.status).toBe('pedido_pago');
  });

  it('keeps values a float would spoil exact', () => {
    const order = mapPedido(pedido({ valor_total: '0.30', valor_subtotal: '0.30' }, { quantidade: '0.10', preco_venda: '1.15' }), TZ);
    expect(order.totals.totalCents).toBe(30);
    expect(order.lines[0]).toMatchObject({ quantityMilli: 100, unitPriceCents: 115 });
  });

  it('reads local times with microseconds as São Paulo wall time', () => {
    const order = mapPedido(pedido(), TZ);
    expect(order.createdAt).toBe('2022-10-31T15:28:05.704Z');
    expect(liDateTimeToMicros('2022-10-31T12:28:05.704751', TZ, 'd') % 1_000_000).toBe(704_751);
  });

  it('maps a webhook-style body with JSON numbers and UTC dates the same way', () => {
    const order = mapPedido(
      pedido({ valor_total: 47.58, valor_subtotal: 32.48, valor_envio: 15.1, data_criacao: '2024-12-11T21:09:38.888Z', data_modificacao: '2024-12-11T21:09:38.888Z' }, { quantidade: 2, preco_venda: 16.24 }),
      TZ,
    );
    expect(order.totals.totalCents).toBe(4758);
    expect(order.lines[0]).toMatchObject({ quantityMilli: 2000, unitPriceCents: 1624 });
    expect(order.updatedAt).toBe('2024-12-11T21:09:38.888Z');
  });

  it('names the LI field of a bad value', () => {
    expect(() => mapPedido(pedido({}, { preco_venda: '12,3x' }), TZ)).toThrowError(ValidationError);
    try {
      mapPedido(pedido({}, { quantidade: '1.2345' }), TZ);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).path).toBe('itens.0.quantidade');
    }
    try {
      mapPedido(pedido({ situacao: { nome: 'x' } }), TZ);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).path).toBe('situacao.codigo');
    }
  });
});
