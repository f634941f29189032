import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MATRIZ, STATUSES, createWorld, seedPaid, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

describe('reliability: an order changes while a worker processes it', () => {
  it('a cancellation imported during the Mainô create is not lost when the worker releases the order', async () => {
    world = await createWorld({ companies: 1, platforms: ['woocommerce'] });
    const w = world;
    const [externalId] = seedPaid(w, 1, [100]).woocommerce;
    const orderId = w.orderId('woocommerce', externalId!);
    await w.pipeline.poll('woocommerce');
    let once = false;
    w.interceptErp(async (method, _args, call) => {
      if (method === 'createSalesOrder' && !once) {
        once = true;
        // The shopper cancels while the worker is creating the Mainô order; the poll (another loop) imports it.
        w.fakes.woocommerce.modifyOrder(externalId!, { status: STATUSES.woocommerce.cancelled });
        await w.pipeline.poll('woocommerce');
      }
      return call();
    });
    await w.runner({ leaseMs: 5_000 }).drain();
    await w.runner({ leaseMs: 5_000 }).drain();

    const detail = await w.pipeline.getOrder(orderId);
    expect(detail.order.intakeState).toBe('cancelled');
    expect(detail.movements.every((m) => m.state === 'reversed' || m.state === 'cancelled'), JSON.stringify(detail.movements.map((m) => m.state))).toBe(true);
    const mainoOrders = w.maino.orders(MATRIZ).filter((o) => o.referencia_externa === w.reference('woocommerce', externalId!, MATRIZ));
    expect(mainoOrders.map((o) => o.status)).toEqual(['cancelado']);
    for (const sku of new Set(detail.movements.map((m) => m.sku))) expect(w.maino.stockOf(MATRIZ, sku)?.committedMilli).toBe(0);
  });
});
