import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError, UpstreamError } from '@conecta/core';
import { MATRIZ, PLATFORM_IDS, STATUSES, allOrders, createWorld, seedPaid, stopServer, type PlatformId, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  world?.interceptErp(undefined);
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

function committed(w: World, cnpj: string, skus: Iterable<string>): number {
  let sum = 0;
  for (const sku of skus) sum += w.maino.stockOf(cnpj, sku)?.committedMilli ?? 0;
  return sum;
}

describe('e2e: cancellation after done', () => {
  it('cancels the Mainô order and gives its stock back, on every platform', async () => {
    world = await createWorld({ companies: 1, mode: 'automatic' });
    const seeded = seedPaid(world, 2, [1_000]);
    await world.runner().drain();
    const skus = new Set<string>();
    for (const id of PLATFORM_IDS) for (const externalId of seeded[id]) for (const line of world.fakes[id].expectedOrder(externalId).lines) skus.add(line.sku);
    const before = committed(world, MATRIZ, skus);
    expect(before).toBeGreaterThan(0);
    expect(world.maino.orders(MATRIZ).every((order) => order.status === 'em_aberto')).toBe(true);

    // The first order of each platform is cancelled in the store.
    const cancelled = PLATFORM_IDS.map((id) => [id, seeded[id][0]!] as [PlatformId, string]);
    let released = 0;
    for (const [id, externalId] of cancelled) {
      world.fakes[id].modifyOrder(externalId, { status: STATUSES[id].cancelled });
      const mainoOrder = world.maino.orders(MATRIZ).find((order) => order.referencia_externa === world!.reference(id, externalId, MATRIZ))!;
      released += mainoOrder.itens.reduce((sum, item) => sum + item.qtdeMilli, 0);
    }
    await world.runner().drain();

    for (const [id, externalId] of cancelled) {
      const detail = await world.pipeline.getOrder(world.orderId(id, externalId));
      expect(detail.order.intakeState, `${id}:${externalId}`).toBe('cancelled');
      expect(detail.movements.every((m) => m.state === 'reversed'), `${id}:${externalId} reversed`).toBe(true);
      const mainoOrders = world.maino.orders(MATRIZ).filter((order) => order.referencia_externa === world!.reference(id, externalId, MATRIZ));
      expect(mainoOrders).toHaveLength(1);
      expect(mainoOrders[0]!.status).toBe('cancelado');
    }
    expect(committed(world, MATRIZ, skus)).toBe(before - released);
    // The other orders are untouched.
    for (const id of PLATFORM_IDS) {
      const detail = await world.pipeline.getOrder(world.orderId(id, seeded[id][1]!));
      expect(detail.movements.every((m) => m.state === 'done')).toBe(true);
    }
    // The store holds nothing for the cancelled orders either.
    const reserved = await world.store.reservedStock([MATRIZ]);
    expect([...(reserved.get(MATRIZ)?.values() ?? [])].reduce((a, b) => a + b, 0)).toBe(0);
    // Cancelling again is a no-op.
    for (const [id, externalId] of cancelled) expect(await world.pipeline.cancel(world.orderId(id, externalId), { actor: 'ana' })).toEqual({ released: 0, reversed: 0 });
    expect(world.maino.orders(MATRIZ).filter((order) => order.status === 'cancelado')).toHaveLength(5);
  });
});

describe('e2e: restart in the middle of a backlog', () => {
  it('finishes every order once after the store is closed and reopened', async () => {
    world = await createWorld({ companies: 1, mode: 'automatic' });
    const seeded = seedPaid(world, 4, [1_000]);
    for (const id of PLATFORM_IDS) await world.pipeline.poll(id);
    const ids = PLATFORM_IDS.flatMap((id) => seeded[id].map((externalId) => world!.orderId(id, externalId)));
    expect(ids).toHaveLength(20);

    // Part of the backlog is processed.
    for (const orderId of ids.slice(0, 6)) expect((await world.pipeline.process(orderId)).outcome).toBe('done');
    // One order dies right after Mainô stored its order, before the movements were marked done.
    const crashed = ids[6]!;
    world.interceptErp(async (method, _args, call) => {
      const out = await call();
      if (method === 'createSalesOrder') throw new UpstreamError('process killed after the create');
      return out;
    });
    // The step takes the error for an ambiguous failure: the order waits with its movements synced.
    expect(await world.pipeline.process(crashed)).toEqual({ outcome: 'waiting', retry: true });
    const [crashedPlatform, crashedExternal] = crashed.split(':') as [PlatformId, string];
    expect(world.mainoCount(crashedPlatform, crashedExternal)).toBe(1);
    world.interceptErp(undefined);
    expect((await world.pipeline.getOrder(crashed)).movements.every((m) => m.state === 'synced')).toBe(true);
    // Two more were leased by a worker that then died: their leases must expire before anyone picks them up.
    const leased = await world.store.claimOrders({ limit: 2, owner: 'dead-worker', leaseMs: 300, now: new Date().toISOString() });
    expect(leased.length).toBeGreaterThan(0);

    await world.reopen();
    await new Promise((resolve) => setTimeout(resolve, 350));
    await world.runner({ leaseMs: 5_000 }).drain();

    for (const orderId of ids) {
      const detail = await world.pipeline.getOrder(orderId);
      expect(detail.movements.length, orderId).toBeGreaterThan(0);
      expect(detail.movements.every((m) => m.state === 'done'), `${orderId} done`).toBe(true);
      const [platform, externalId] = orderId.split(':') as [PlatformId, string];
      expect(world.mainoCount(platform, externalId), `${orderId} has one Mainô order`).toBe(1);
    }
    expect(world.maino.orders(MATRIZ)).toHaveLength(20);
    expect(await allOrders(world)).toHaveLength(20);
  });
});

describe('e2e: the same order by webhook and by poll at once', () => {
  it('stores one order and creates one Mainô order', async () => {
    world = await createWorld({ companies: 1, mode: 'automatic' });
    const seeded = seedPaid(world, 1, [1_000]);
    const hooked = PLATFORM_IDS.filter((id) => world!.fakes[id].webhooks);
    expect(hooked.sort()).toEqual(['lojaintegrada', 'recompra', 'tray', 'woocommerce']);
    for (const id of hooked) {
      const externalId = seeded[id][0]!;
      const [outcome] = await Promise.all([world.pipeline.receiveWebhook(id, world.fakes[id].webhooks!.valid(externalId)), world.pipeline.poll(id)]);
      expect(outcome.status).toBe('accepted');
    }
    // Two workers at once.
    await Promise.all([world.runner().drain(), world.runner().drain()]);
    for (const id of hooked) {
      const externalId = seeded[id][0]!;
      const listed = await world.pipeline.listOrders({ integrationId: id, search: externalId });
      expect(listed.items.filter((item) => item.order.externalId === externalId), id).toHaveLength(1);
      expect(world.mainoCount(id, externalId), id).toBe(1);
      const detail = await world.pipeline.getOrder(world.orderId(id, externalId));
      expect(detail.movements.every((m) => m.state === 'done')).toBe(true);
    }
    // The same delivery again is a replay.
    for (const id of hooked) {
      const again = await world.pipeline.receiveWebhook(id, world.fakes[id].webhooks!.valid(seeded[id][0]!)).catch((error: unknown) => error as Error);
      if (again instanceof Error) expect(again).not.toBeInstanceOf(ConflictError);
      else expect(['duplicate', 'accepted'], id).toContain(again.status);
    }
    await world.runner().drain();
    for (const id of hooked) expect(world.mainoCount(id, seeded[id][0]!)).toBe(1);
  });
});
