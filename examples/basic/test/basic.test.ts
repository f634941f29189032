import { describe, expect, it } from 'vitest';
import { FILIAL, MATRIZ, main } from '../src/main.js';

describe('example: basic', () => {
  it('takes three WooCommerce orders to ERP sales orders, splitting a line the Matriz cannot cover', async () => {
    const lines: string[] = [];
    const report = await main((line) => lines.push(line));

    expect(report.orders).toEqual([
      { number: '1001', status: 'processing', intakeState: 'pending' },
      { number: '1002', status: 'processing', intakeState: 'pending' },
      { number: '1003', status: 'processing', intakeState: 'pending' },
    ]);
    // Order 1001 asks 3 of WOO-1; the Matriz (priority 1) has 2, the Filial supplies the third.
    expect(report.movementsByCompany).toEqual({ [MATRIZ]: 6, [FILIAL]: 1 });

    expect(report.erpOrders).toHaveLength(4);
    expect(report.erpOrders.every((order) => order.tag === 'Loja WooCommerce')).toBe(true);
    expect(report.erpOrders.filter((order) => order.cnpj === MATRIZ).map((order) => order.reference).sort()).toEqual([
      `conecta:loja-woo:1001:${MATRIZ}`,
      `conecta:loja-woo:1002:${MATRIZ}`,
      `conecta:loja-woo:1003:${MATRIZ}`,
    ]);
    expect(report.erpOrders.find((order) => order.cnpj === FILIAL)).toEqual({
      cnpj: FILIAL,
      reference: `conecta:loja-woo:1001:${FILIAL}`,
      tag: 'Loja WooCommerce',
      lines: ['WOO-1 x1'],
    });

    expect(report.events).toEqual({ imported: 3, movementsCreated: 3, erpOrdersCreated: 4 });
    expect(lines.some((line) => line.startsWith('polled 1 page(s): 3 order(s) imported'))).toBe(true);
  });
});
