import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MATRIZ, NAMES, PLATFORM_IDS, allOrders, createWorld, seedPaid, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

describe('e2e: automatic mode, every platform', () => {
  it('takes orders from all five platforms to done, one tagged Mainô order each', async () => {
    world = await createWorld({ companies: 1, mode: 'automatic' });
    const seeded = seedPaid(world, 3, [1_000]);
    const runner = world.runner();
    await runner.drain();

    const orders = await allOrders(world);
    expect(orders).toHaveLength(15);
    for (const id of PLATFORM_IDS) {
      for (const externalId of seeded[id]) {
        const detail = await world.pipeline.getOrder(world.orderId(id, externalId));
        const expected = world.fakes[id].expectedOrder(externalId);
        expect(detail.order.lines.map((line) => [line.sku, line.quantityMilli])).toEqual(expected.lines.map((line) => [line.sku, line.quantityMilli]));
        expect(detail.movements.length, `${id}:${externalId} has movements`).toBeGreaterThan(0);
        expect(detail.movements.every((m) => m.state === 'done'), `${id}:${externalId} done`).toBe(true);
        const reference = world.reference(id, externalId, MATRIZ);
        expect(world.maino.countByReference(MATRIZ, reference), `${reference} once`).toBe(1);
        const mainoOrder = world.maino.orders(MATRIZ).find((o) => o.referencia_externa === reference)!;
        expect(mainoOrder.tags).toContain(NAMES[id]);
        expect(mainoOrder.status).toBe('em_aberto');
        // Every line of the platform order is in the Mainô order, with its quantity.
        const byCode = new Map<string, number>();
        for (const item of mainoOrder.itens) byCode.set(item.codigo, (byCode.get(item.codigo) ?? 0) + item.qtdeMilli);
        const wanted = new Map<string, number>();
        for (const line of expected.lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantityMilli);
        expect(byCode).toEqual(wanted);
      }
    }
    expect(world.maino.orders(MATRIZ)).toHaveLength(15);

    // A second drain (a restart, a duplicate poll) creates nothing.
    await world.runner().drain();
    expect(world.maino.orders(MATRIZ)).toHaveLength(15);
  });
});
