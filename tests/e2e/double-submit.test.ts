import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MATRIZ, createWorld, seedPaid, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

async function syncedOrder(w: World): Promise<{ orderId: string; reference: string; quantity: number; sku: string[] }> {
  const [externalId] = seedPaid(w, 1, [100]).woocommerce;
  await w.pipeline.poll('woocommerce');
  const orderId = w.orderId('woocommerce', externalId!);
  await w.pipeline.createMovements(orderId, { actor: 'ana' });
  expect((await w.pipeline.sync(orderId, { actor: 'ana' })).failed).toEqual([]);
  const { movements } = await w.pipeline.getOrder(orderId);
  return {
    orderId,
    reference: w.reference('woocommerce', externalId!, MATRIZ),
    quantity: movements.reduce((sum, m) => sum + m.quantityMilli, 0),
    sku: [...new Set(movements.map((m) => m.sku))],
  };
}

function committed(w: World, skus: string[]): number {
  return skus.reduce((sum, sku) => sum + (w.maino.stockOf(MATRIZ, sku)?.committedMilli ?? 0), 0);
}

describe('e2e: the Mainô order asked for twice at once', () => {
  it('a double click creates one Mainô order', async () => {
    world = await createWorld({ companies: 1, mode: 'on-command', platforms: ['woocommerce'] });
    const { orderId, reference, quantity, sku } = await syncedOrder(world);
    const [a, b] = await Promise.all([world.pipeline.createErpOrder(orderId, { actor: 'ana' }), world.pipeline.createErpOrder(orderId, { actor: 'bia' })]);
    expect([...a.created, ...b.created]).toHaveLength(1);
    expect(world.maino.countByReference(MATRIZ, reference)).toBe(1);
    expect(committed(world, sku)).toBe(quantity);
    // Cancelling gives every unit back.
    await world.pipeline.cancel(orderId, { actor: 'ana' });
    expect(committed(world, sku)).toBe(0);
  });

  it('two processes at once: the duplicate nothing refers to is cancelled, the stock is held once', async () => {
    world = await createWorld({ companies: 1, mode: 'on-command', platforms: ['woocommerce'] });
    const { orderId, reference, quantity, sku } = await syncedOrder(world);
    const other = world.another();
    await Promise.all([world.pipeline.createErpOrder(orderId, { actor: 'ana' }), other.pipeline.createErpOrder(orderId, { actor: 'bia' })]);
    const open = world.maino.orders(MATRIZ).filter((order) => order.referencia_externa === reference && order.status === 'em_aberto');
    expect(open).toHaveLength(1);
    const { movements } = await world.pipeline.getOrder(orderId);
    expect(movements.every((m) => m.state === 'done' && m.erpOrderId === String(open[0]!.id))).toBe(true);
    expect(committed(world, sku)).toBe(quantity);
    await world.pipeline.cancel(orderId, { actor: 'ana' });
    expect(committed(world, sku)).toBe(0);
  });
});
