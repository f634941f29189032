import { describe, expect, it } from 'vitest';
import { ValidationError, type CreateSalesOrderInput } from '@conecta/core';
import { buildMainoOrderBody, createMainoClient } from '../src/index.js';

const input: CreateSalesOrderInput = {
  externalReference: 'conecta:tray:1042:12ABC34501DE35',
  tag: 'Tray',
  orderNumber: '1042',
  customer: { name: 'Loja Alfa Ltda', document: '12ABC34501DE35' },
  issuedAt: '2024-05-01T15:00:00.000Z',
  lines: [{ sku: 'CANECA', name: 'Caneca', quantityMilli: 1500, unitPriceCents: 1990 }],
};

describe('the assumed POST /pedidos body', () => {
  it('carries freight, discount and other expenses as exact decimals on the order that holds them', () => {
    const body = buildMainoOrderBody({ ...input, charges: { shippingCents: 1590, discountCents: 500, otherExpensesCents: 299695 } }) as { pedido: Record<string, unknown> };
    expect(body.pedido).toMatchObject({ valor_frete: '15.90', valor_desconto: '5.00', valor_outras_despesas: '2996.95' });
    expect(body.pedido['cliente']).toMatchObject({ cpf_cnpj: '12ABC34501DE35' });
  });

  it('sends no order-level amounts on the other companies orders', () => {
    const body = buildMainoOrderBody(input) as { pedido: Record<string, unknown> };
    expect(Object.keys(body.pedido)).not.toContain('valor_frete');
    expect(Object.keys(body.pedido)).not.toContain('valor_desconto');
  });

  it('refuses charges that are not integer cents before any request', async () => {
    const client = createMainoClient({
      group: { cnpjs: ['12.ABC.345/01DE-35'] },
      auth: { kind: 'api-key', keys: { '12.abc.345/01de-35': 'key-alfa-123456' } },
      fetch: async () => {
        throw new Error('must not be called');
      },
    });
    const error = await client.createSalesOrder('12.ABC.345/01DE-35', { ...input, charges: { shippingCents: 15.9, discountCents: 0, otherExpensesCents: 0 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['charges.shippingCents']);
  });
});
