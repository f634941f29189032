import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CompanyGroupSchema, ConflictError, IntegrationSchema, createMemoryStore, createPipeline, createRunner, type ErpPort } from '../src/index.js';
import { keepLease } from '../src/pipeline/lease-keeper.js';
import { createMemoryConnector, createMemoryErp, platformOrder } from '../src/testing/index.js';

const MATRIZ = '11222333000181';

function worker(store: ReturnType<typeof createMemoryStore>, erp: ErpPort) {
  const connector = createMemoryConnector({ platform: 'memory', pageSize: 50 });
  connector.put(platformOrder('1', { lines: [{ sku: 'A', name: 'Caneca', quantityMilli: 1000, unitPriceCents: 1000 }] }));
  const group = CompanyGroupSchema.parse({ id: 'g', name: 'Grupo', companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
  const integration = IntegrationSchema.parse({ id: 'loja', platform: 'memory', name: 'Loja', groupId: 'g', mode: 'automatic', statusDictionary: connector.defaultStatusDictionary });
  // Each worker its own store object over the same data, as two processes on one database: nothing in-process is shared.
  return createPipeline({ store: { ...store }, erp, groups: [group], integrations: [{ integration, connector }] });
}

describe('leases while a worker processes an order', () => {
  it('a create slower than the lease keeps its order: a second worker never creates it again', async () => {
    const store = createMemoryStore();
    const memory = createMemoryErp({ companies: [{ cnpj: MATRIZ }] });
    memory.setStock(MATRIZ, 'A', 10_000);
    // Mainô taking 300 ms (three times the lease) to store a create, after the create-once lookup found nothing: a second
    // worker that looks meanwhile finds nothing either.
    const slow: ErpPort = {
      ...memory,
      createSalesOrder: async (cnpj, input, options = {}) => {
        const existing = options.firstAttempt ? null : await memory.findSalesOrderByReference(cnpj, input.externalReference);
        if (existing) return { order: existing, reused: true };
        await sleep(300);
        return memory.createSalesOrder(cnpj, input, { ...options, firstAttempt: true });
      },
    };
    const first = worker(store, slow);
    const second = worker(store, slow);
    await first.poll('loja');
    const a = createRunner(first, { leaseMs: 90, maxLeaseHoldMs: 5_000, concurrency: 1, workerId: 'a' });
    const b = createRunner(second, { leaseMs: 90, concurrency: 1, workerId: 'b', workIntervalMs: 10, pollIntervalMs: 60_000 });
    const draining = a.drain();
    await sleep(20);
    b.start();
    await draining;
    await sleep(200);
    await b.stop();
    expect(memory.createdOrders(MATRIZ)).toHaveLength(1);
    expect((await store.getMovements('loja:1')).map((movement) => movement.state)).toEqual(['done']);
  });

  it("a worker whose lease another worker took stops before the ERP create, with a ConflictError", async () => {
    const store = createMemoryStore();
    await store.upsertOrder({ integrationId: 'loja', order: platformOrder('1'), intakeState: 'pending', at: '2026-01-10T12:00:00.000Z' });
    let now = '2026-01-10T12:00:00.000Z';
    const [late] = await store.claimOrders({ limit: 1, owner: 'late', leaseMs: 60_000, now });
    const keeper = keepLease(store, late!.order.id, late!.lease, 60_000, () => now);
    await expect(keeper.check()).resolves.toBeUndefined();
    keeper.stop();
    // The late worker was paused past its lease (renewed until 12:01:00); another worker claims the order.
    now = '2026-01-10T12:05:00.000Z';
    expect(await store.claimOrders({ limit: 1, owner: 'other', leaseMs: 60_000, now })).toHaveLength(1);
    await expect(keeper.check()).rejects.toBeInstanceOf(ConflictError);
  });
});
