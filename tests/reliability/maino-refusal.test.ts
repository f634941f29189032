import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MATRIZ, createWorld, seedPaid, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

const posts = (w: World) => w.maino.requests().filter((entry) => entry.method === 'POST' && entry.url.startsWith('pedidos')).length;

describe('reliability: Mainô refuses an order for good', () => {
  it('records the failure once instead of sending the refused order on every lease, and a person can retry', async () => {
    world = await createWorld({ companies: 1, platforms: ['woocommerce'] });
    const w = world;
    const [externalId] = seedPaid(w, 1, [100]).woocommerce;
    const orderId = w.orderId('woocommerce', externalId!);
    w.maino.inject({ kind: 'status', status: 422, times: 1_000, route: { method: 'POST', path: 'pedidos' } });

    await w.runner({ leaseMs: 50 }).drain();
    expect(posts(w)).toBe(1);
    for (let round = 0; round < 3; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 80));
      await w.runner({ leaseMs: 50 }).drain();
    }
    // Not sent again: the movement stays failed, with Mainô's reason, for a person to see.
    expect(posts(w)).toBe(1);
    const detail = await w.pipeline.getOrder(orderId);
    expect(detail.movements.length).toBeGreaterThan(0);
    for (const m of detail.movements) expect([m.state, m.failure?.code, m.failure?.retryable]).toEqual(['failed', 'VALIDATION', false]);
    expect((await w.pipeline.listOrders({ integrationId: 'woocommerce', filter: 'failed' })).total).toBe(1);

    // The cause is fixed; a person retries.
    w.maino.reset();
    expect((await w.pipeline.retryFailed(orderId, { actor: 'ana' })).synced).toHaveLength(detail.movements.length);
    expect((await w.pipeline.createErpOrder(orderId, { actor: 'ana' })).pending).toEqual([]);
    expect(w.maino.countByReference(MATRIZ, w.reference('woocommerce', externalId!, MATRIZ))).toBe(1);
    expect((await w.pipeline.getOrder(orderId)).movements.every((m) => m.state === 'done')).toBe(true);
  });
});
