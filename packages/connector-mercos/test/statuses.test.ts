import { describe, expect, it } from 'vitest';
import { collect, setup } from './helpers.js';

describe('statuses and custom statuses', () => {
  it('lists only the fixed statuses unless custom statuses are enabled, without calling Mercos', async () => {
    const { fake, connector } = setup();
    expect((await connector.statuses()).map((status) => status.code)).toEqual(['0', '1', '2', 'excluido']);
    expect(fake.requests()).toEqual([]);
  });

  it('adds the account custom statuses from /v1/pedidos/status and labels orders with them', async () => {
    const { fake, make } = setup();
    const waiting = fake.addCustomStatus('Aguardando estoque');
    const shipping = fake.addCustomStatus('Em transporte');
    const [a, b] = fake.seedOrders(2);
    fake.modifyOrder(a!, { status: `custom:${shipping}` });
    fake.modifyOrder(b!, { status: '0' });
    const connector = make({ customStatuses: { use: true, states: { [String(shipping)]: 'finalized' } } });

    const statuses = await connector.statuses();
    expect(statuses).toContainEqual({ code: `custom:${waiting}`, label: 'Aguardando estoque' });
    expect(connector.defaultStatusDictionary.entries[`custom:${shipping}`]?.state).toBe('finalized');

    const orders = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    expect(orders.find((order) => order.externalId === a)).toMatchObject({ status: `custom:${shipping}`, statusLabel: 'Em transporte' });
    expect(orders.find((order) => order.externalId === b)).toMatchObject({ status: '0', statusLabel: 'Cancelado' });
  });
});
