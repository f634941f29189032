import { describe, expect, it } from 'vitest';
import { UpstreamError, createMemoryStore, createRunner, type Store } from '../src/index.js';
import type { MemoryErp } from '../src/testing/index.js';
import { FILIAL, MATRIZ, OUTLET, allocateSyncCreate, imported, line, minute, named, order, setupPipeline, type PipelineSetup, type PipelineSetupOptions } from './support/pipeline-fixture.js';

// The pipeline's steps where several things happen at once or in an unusual order: a worker stopped midway, another
// worker moving the same movements, held orders waiting for stock, a company with several Mainô orders for one order,
// and stock readings whose age matters. As in pipeline-steps.test.ts, each outcome is checked where the user sees it.

function setup(options: PipelineSetupOptions = {}): PipelineSetup {
  return setupPipeline({ pageSize: 5, stockFreshnessMs: 0, stockReuseMs: 0, ...options, integration: { mode: 'on-command', ...options.integration } });
}

const ONE_COMPANY = [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }];
const TWO_COMPANIES = [...ONE_COMPANY, { cnpj: FILIAL, name: 'Filial SP', priority: 2 }];
const ERP_OPERATIONS = ['findProduct', 'getStock', 'listStock', 'createSalesOrder', 'findSalesOrderByReference', 'cancelSalesOrder'] as const;

/**
 * Makes the memory ERP behave as an HTTP client does with an AbortSignal: a call whose signal is already aborted is
 * refused before it reaches Mainô (so it is not in `erp.calls`). Returns the calls that came without the signal.
 */
function honourSignals(erp: MemoryErp, signal: AbortSignal): string[] {
  const withoutSignal: string[] = [];
  const target = erp as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const operation of ERP_OPERATIONS) {
    const real = target[operation]?.bind(erp);
    if (!real) continue;
    target[operation] = async (...args: unknown[]) => {
      // listStock takes its options second, the others third.
      const options = args[operation === 'listStock' ? 1 : 2] as { signal?: AbortSignal } | undefined;
      if (options?.signal !== signal) withoutSignal.push(operation);
      options?.signal?.throwIfAborted();
      return real(...args);
    };
  }
  return withoutSignal;
}

/** Mainô stores the company's order, then the process dies before marking its movements done. */
async function crashAfterCreate(s: PipelineSetup, externalId: string, cnpj: string, sku: string, units: number): Promise<string> {
  const { order: stored } = await s.erp.createSalesOrder(cnpj, {
    externalReference: `conecta:loja:${externalId}:${cnpj}`,
    tag: 'Loja Virtual',
    orderNumber: `#${externalId}`,
    customer: { name: 'Cliente' },
    issuedAt: minute(1),
    lines: [{ sku, name: sku, quantityMilli: units * 1000, unitPriceCents: 1000 }],
  });
  return stored.id;
}

const cancelledOnPlatform = (s: PipelineSetup, externalId: string, lines: Parameters<typeof order>[1]) =>
  s.pipeline.ingest('loja', [order(externalId, lines, { status: 'cancelled', updatedAt: minute(9) })]);

describe('a worker stopped midway (abort signal)', () => {
  it('a cancellation stopped after its first Mainô call makes no other; the next run finishes it', async () => {
    for (const stopAfter of ['findSalesOrderByReference', 'cancelSalesOrder'] as const) {
      const s = setup({ companies: TWO_COMPANIES, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
      s.erp.setStock(MATRIZ, 'A', 1000);
      s.erp.setStock(FILIAL, 'A', 5000);
      const id = await imported(s, '1', [line('A', 3)]);
      await s.pipeline.createMovements(id, { actor: 'ana' });
      await s.pipeline.sync(id, { actor: 'ana' });
      // Both companies' orders reached Mainô, and the process died before marking either done.
      await crashAfterCreate(s, '1', MATRIZ, 'A', 1);
      await crashAfterCreate(s, '1', FILIAL, 'A', 2);
      await cancelledOnPlatform(s, '1', [line('A', 3)]);

      const stop = new AbortController();
      const withoutSignal = honourSignals(s.erp, stop.signal);
      const realCall = s.erp[stopAfter].bind(s.erp) as (...args: unknown[]) => Promise<unknown>;
      (s.erp as unknown as Record<string, unknown>)[stopAfter] = async (...args: unknown[]) => {
        const answer = await realCall(...args);
        stop.abort();
        return answer;
      };
      const callsBefore = s.erp.calls.length;
      await expect(s.pipeline.process(id, { signal: stop.signal })).rejects.toThrow();
      expect(withoutSignal, stopAfter).toEqual([]);
      // Mainô saw the one call that was under way, nothing after it.
      expect(s.erp.calls.slice(callsBefore).map((call) => call.operation), stopAfter).toEqual(stopAfter === 'cancelSalesOrder' ? ['findSalesOrderByReference', 'cancelSalesOrder'] : ['findSalesOrderByReference']);
      expect(s.erp.createdOrders(FILIAL)[0]!.status, stopAfter).toBe('open');

      // The next worker's run cancels what is left.
      (s.erp as unknown as Record<string, unknown>)[stopAfter] = realCall;
      expect((await s.pipeline.process(id, { signal: new AbortController().signal })).outcome).toBe('cancelled');
      expect(s.erp.createdOrders().map((o) => o.status)).toEqual(['cancelled', 'cancelled']);
      expect((await s.pipeline.getOrder(id)).movements.map((m) => m.state)).toEqual(['cancelled', 'cancelled']);
    }
  });

  it('reversing an order stopped after its first Mainô cancel leaves the other company\'s order for the next run', async () => {
    const s = setup({ companies: TWO_COMPANIES });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '2', [line('A', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    await s.pipeline.createErpOrder(id, { actor: 'ana' });
    await cancelledOnPlatform(s, '2', [line('A', 3)]);
    const stop = new AbortController();
    const withoutSignal = honourSignals(s.erp, stop.signal);
    const realCancel = s.erp.cancelSalesOrder.bind(s.erp);
    s.erp.cancelSalesOrder = async (...args) => {
      await realCancel(...args);
      stop.abort();
    };
    await expect(s.pipeline.process(id, { signal: stop.signal })).rejects.toThrow();
    expect(withoutSignal).toEqual([]);
    expect(s.erp.createdOrders().map((o) => [o.cnpj, o.status])).toEqual([[MATRIZ, 'cancelled'], [FILIAL, 'open']]);
  });

  it('every Mainô call of an automatic run carries the run\'s signal: allocation, check, create, refusal, reuse and cleanup', async () => {
    const stop = new AbortController();
    const check = (s: PipelineSetup) => honourSignals(s.erp, stop.signal);
    const automatic = { integration: { mode: 'automatic' as const }, allocation: { strategy: 'priority-greedy' as const, shortfall: 'partial' as const } };

    for (const stockFreshnessMs of [0, 60_000]) {
      // Allocation, the check, and the create.
      const plain = setup({ ...automatic, stockFreshnessMs, companies: TWO_COMPANIES });
      plain.erp.setStock(MATRIZ, 'A', 5000);
      const missingPlain = check(plain);
      await imported(plain, '3', [line('A', 1)]);
      expect((await plain.pipeline.process('loja:3', { signal: stop.signal })).outcome).toBe('done');
      expect(missingPlain, `plain, freshness ${stockFreshnessMs}`).toEqual([]);

      // Mainô refuses for lack of stock: the fresh figures are read under the same signal.
      const refused = setup({ ...automatic, stockFreshnessMs, companies: TWO_COMPANIES, refuseOversell: true });
      refused.erp.setStock(MATRIZ, 'A', 5000);
      refused.erp.setStock(FILIAL, 'A', 5000);
      const missingRefused = check(refused);
      const realCreate = refused.erp.createSalesOrder.bind(refused.erp);
      let sold = false;
      refused.erp.createSalesOrder = async (...args) => {
        if (!sold) refused.erp.setStock(MATRIZ, 'A', 0);
        sold = true;
        return realCreate(...args);
      };
      await imported(refused, '4', [line('A', 1)]);
      await refused.pipeline.process('loja:4', { signal: stop.signal });
      expect(named(refused.events, 'stock-refused')).toHaveLength(1);
      expect(missingRefused, `refused, freshness ${stockFreshnessMs}`).toEqual([]);

      // An order an earlier run stored is reused and the stock read again.
      const reused = setup({ ...automatic, stockFreshnessMs, companies: ONE_COMPANY });
      reused.erp.setStock(MATRIZ, 'A', 5000);
      const id = await imported(reused, '5', [line('A', 1)]);
      await reused.pipeline.createMovements(id, { actor: 'ana' });
      await reused.pipeline.sync(id, { actor: 'ana' });
      await crashAfterCreate(reused, '5', MATRIZ, 'A', 1);
      const missingReused = check(reused);
      await reused.pipeline.process(id, { signal: stop.signal });
      expect(named(reused.events, 'erp-order-created')).toEqual([expect.objectContaining({ reused: true })]);
      expect(missingReused, `reused, freshness ${stockFreshnessMs}`).toEqual([]);
    }

    // The order cancelled while its create was in flight, and a duplicate of another worker: both Mainô orders that
    // must not outlive the run are cancelled under the run's signal.
    const inFlight = setup({ ...automatic, companies: ONE_COMPANY });
    inFlight.erp.setStock(MATRIZ, 'A', 5000);
    const missingInFlight = check(inFlight);
    const realCreate = inFlight.erp.createSalesOrder.bind(inFlight.erp);
    inFlight.erp.createSalesOrder = async (...args) => {
      // A person's cancel (a command of its own, with no signal of this run) lands while the create is in flight.
      await inFlight.pipeline.cancel('loja:6', { actor: 'bia' });
      missingInFlight.length = 0;
      return realCreate(...args);
    };
    await imported(inFlight, '6', [line('A', 1)]);
    await inFlight.pipeline.process('loja:6', { signal: stop.signal });
    expect(inFlight.erp.createdOrders(MATRIZ).map((o) => o.status)).toEqual(['cancelled']);
    expect(missingInFlight).toEqual([]);

    const duplicate = setup({ ...automatic, companies: ONE_COMPANY });
    duplicate.erp.setStock(MATRIZ, 'A', 5000);
    const missingDuplicate = check(duplicate);
    const realDuplicateCreate = duplicate.erp.createSalesOrder.bind(duplicate.erp);
    duplicate.erp.createSalesOrder = async (cnpj, input, options) => {
      const theirs = await realDuplicateCreate(cnpj, input, { firstAttempt: true, signal: stop.signal });
      for (const movement of await duplicate.store.getMovements('loja:7')) {
        await duplicate.store.transitionMovement(movement.id, ['synced'], 'done', { erpOrderId: theirs.order.id, erpReference: input.externalReference }, { at: minute(5), actor: 'worker-2', action: 'create-erp-order' });
      }
      return realDuplicateCreate(cnpj, input, { ...options, firstAttempt: true });
    };
    await imported(duplicate, '7', [line('A', 1)]);
    await duplicate.pipeline.process('loja:7', { signal: stop.signal });
    expect(duplicate.erp.createdOrders(MATRIZ).map((o) => o.status)).toEqual(['open', 'cancelled']);
    expect(missingDuplicate).toEqual([]);
  });

  it('a check stopped after the allocation asks Mainô nothing more and records why on the movements', async () => {
    const s = setup({ companies: ONE_COMPANY, integration: { mode: 'automatic' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const stop = new AbortController();
    const withoutSignal = honourSignals(s.erp, stop.signal);
    s.pipeline.events.on('movements-created', () => stop.abort());
    await imported(s, '8', [line('A', 1)]);
    const callsBefore = s.erp.calls.length;
    const result = await s.pipeline.process('loja:8', { signal: stop.signal });
    expect(result.outcome).toBe('failed');
    expect(withoutSignal).toEqual([]);
    expect(s.erp.calls.slice(callsBefore).map((call) => call.operation)).toEqual(['getStock']);
    expect((await s.pipeline.getOrder('loja:8')).movements.map((m) => m.state)).toEqual(['failed']);
    expect(s.erp.createdOrders()).toEqual([]);
  });
});

describe('another worker moves the same movements', () => {
  /** A store whose reads of the order's movements let another worker act right after them (between read and write). */
  function racingStore(memory: Store, orderId: string): { store: Store; afterRead(action: () => Promise<void>): void } {
    let pending: (() => Promise<void>) | undefined;
    const store: Store = {
      ...memory,
      async getMovements(id) {
        const movements = await memory.getMovements(id);
        if (id === orderId && pending) {
          const action = pending;
          pending = undefined;
          await action();
        }
        return movements;
      },
    };
    return { store, afterRead: (action) => (pending = action) };
  }

  it('a cancel counts only the movements it released itself; another worker\'s release stands', async () => {
    const memory = createMemoryStore();
    const race = racingStore(memory, 'loja:10');
    const s = setup({ store: race.store, companies: TWO_COMPANIES });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '10', [line('A', 3)]);
    const { movements } = await s.pipeline.createMovements(id, { actor: 'ana' });
    race.afterRead(async () => {
      await memory.transitionMovement(movements[1]!.id, ['created'], 'cancelled', {}, { at: minute(5), actor: 'worker-2', action: 'release' });
    });
    expect(await s.pipeline.cancel(id, { actor: 'bia' })).toEqual({ released: 1, reversed: 0 });
    const after = (await s.pipeline.getOrder(id)).movements;
    expect(after.map((m) => [m.state, m.audit.at(-1)!.actor])).toEqual([['cancelled', 'bia'], ['cancelled', 'worker-2']]);
    expect(named(s.events, 'order-cancelled')).toEqual([{ integrationId: 'loja', orderId: id, released: 1, reversed: 0 }]);
  });

  it('a store failure during a cancel is not taken for another worker\'s move: the cancel fails and can be run again', async () => {
    const memory = createMemoryStore();
    let failing = true;
    const store: Store = {
      ...memory,
      async transitionMovement(...args) {
        if (failing) throw new UpstreamError('database unavailable', { status: 503 });
        return memory.transitionMovement(...args);
      },
    };
    const s = setup({ store, companies: ONE_COMPANY });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '11', [line('A', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await expect(s.pipeline.cancel(id, { actor: 'bia' })).rejects.toThrow('database unavailable');
    expect((await s.pipeline.getOrder(id)).movements.map((m) => m.state)).toEqual(['created']);
    failing = false;
    expect(await s.pipeline.cancel(id, { actor: 'bia' })).toEqual({ released: 1, reversed: 0 });
  });

  it('a check whose movement another worker moved first reports only its own verdicts', async () => {
    const memory = createMemoryStore();
    const race = racingStore(memory, 'loja:12');
    const s = setup({ store: race.store, companies: ONE_COMPANY });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    const id = await imported(s, '12', [line('A', 1), line('B', 1)]);
    const { movements } = await s.pipeline.createMovements(id, { actor: 'ana' });
    race.afterRead(async () => {
      await memory.transitionMovement(movements[0]!.id, ['created'], 'synced', {}, { at: minute(5), actor: 'worker-2', action: 'sync' });
    });
    const result = await s.pipeline.sync(id, { actor: 'ana' });
    expect(result.failed).toEqual([]);
    expect(result.synced.map((m) => m.sku)).toEqual(['B']);
    expect(named(s.events, 'movement-synced').map((event) => event['movementId'])).toEqual([movements[1]!.id]);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => [m.sku, m.state, m.audit.at(-1)!.actor])).toEqual([['A', 'synced', 'worker-2'], ['B', 'synced', 'ana']]);
  });

  it('a create during which one of the company\'s movements is released cancels its Mainô order and undoes the rest', async () => {
    const memory = createMemoryStore();
    const s = setup({ store: memory, companies: ONE_COMPANY });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    const id = await imported(s, '13', [line('A', 1), line('B', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    const [first] = await memory.getMovements(id);
    const realCreate = s.erp.createSalesOrder.bind(s.erp);
    s.erp.createSalesOrder = async (...args) => {
      // A cancellation is under way in another worker: it has released the first movement, not yet the second.
      await memory.transitionMovement(first!.id, ['synced'], 'cancelled', {}, { at: minute(5), actor: 'worker-2', action: 'release' });
      return realCreate(...args);
    };
    await s.pipeline.createErpOrder(id, { actor: 'ana' });
    const [erpOrder] = s.erp.createdOrders(MATRIZ);
    expect(erpOrder!.status).toBe('cancelled');
    expect(s.erp.stockOf(MATRIZ, 'B')!.availableMilli).toBe(5000);
    // No movement says "in Mainô" for an order Mainô has cancelled: the one the create marked is reversed with it.
    const after = (await s.pipeline.getOrder(id)).movements;
    expect(after.map((m) => [m.sku, m.state, m.audit.at(-1)!.actor, m.audit.at(-1)!.action])).toEqual([['A', 'cancelled', 'worker-2', 'release'], ['B', 'reversed', 'ana', 'reverse']]);
    expect(after[1]!.audit.at(-1)!.detail).toBe(`Mainô order ${erpOrder!.id} cancelled: the order was cancelled while it was being created`);
  });

  it('a create racing another worker that marked only some of the movements with its own order keeps theirs', async () => {
    const memory = createMemoryStore();
    const s = setup({ store: memory, companies: ONE_COMPANY });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    const id = await imported(s, '14', [line('A', 1), line('B', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    const realCreate = s.erp.createSalesOrder.bind(s.erp);
    s.erp.createSalesOrder = async (cnpj, input, options) => {
      const theirs = await realCreate(cnpj, input, { firstAttempt: true });
      // The other worker has marked the first movement with its order when this one's marks land.
      const [first] = await memory.getMovements(id);
      await memory.transitionMovement(first!.id, ['synced'], 'done', { erpOrderId: theirs.order.id, erpReference: input.externalReference }, { at: minute(5), actor: 'worker-2', action: 'create-erp-order' });
      return realCreate(cnpj, input, { ...options, firstAttempt: true });
    };
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    const [theirs, mine] = s.erp.createdOrders(MATRIZ);
    // Ours marked the second movement, so it is referred to: it is reported, not cancelled as a stray duplicate.
    expect(result.created.map((entry) => entry.erpOrderId)).toEqual([mine!.id]);
    expect([theirs!.status, mine!.status]).toEqual(['open', 'open']);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => m.erpOrderId)).toEqual([theirs!.id, mine!.id]);
  });
});

describe('held orders get another chance when stock is freed', () => {
  async function heldBehindAnother(options: PipelineSetupOptions = {}) {
    const s = setup({ companies: ONE_COMPANY, integration: { mode: 'automatic' }, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' }, ...options });
    s.erp.setStock(MATRIZ, 'A', 2000);
    s.connector.put(order('20', [line('A', 2)]));
    s.connector.put(order('21', [line('A', 2)], { createdAt: minute(2), updatedAt: minute(2) }));
    const runner = createRunner(s.pipeline);
    await runner.drain();
    expect((await s.pipeline.getOrder('loja:20')).movements.map((m) => m.state)).toEqual(['done']);
    expect((await s.pipeline.getOrder('loja:21')).movements).toEqual([]);
    return { s, runner };
  }

  it('a cancel puts the orders held on the companies it freed back in the queue, and they are allocated', async () => {
    const { s, runner } = await heldBehindAnother();
    await cancelledOnPlatform(s, '20', [line('A', 2)]);
    await runner.drain();
    expect(named(s.events, 'held-requeued')).toEqual([{ integrationIds: ['loja'], count: 1 }]);
    expect((await s.pipeline.getOrder('loja:21')).movements.map((m) => [m.state, m.quantityMilli])).toEqual([['done', 2000]]);
  });

  it('a cancel that frees nothing, and a create of a new order, wake no held order', async () => {
    const { s } = await heldBehindAnother();
    expect(await s.pipeline.cancel('loja:21', { actor: 'bia' })).toEqual({ released: 0, reversed: 0 });
    const third = await imported(s, '22', [line('B', 1)], { createdAt: minute(3), updatedAt: minute(3) });
    s.erp.setStock(MATRIZ, 'B', 1000);
    await s.pipeline.createMovements(third, { actor: 'ana' });
    await s.pipeline.sync(third, { actor: 'ana' });
    expect((await s.pipeline.createErpOrder(third, { actor: 'ana' })).created[0]!.reused).toBe(false);
    expect(named(s.events, 'held-requeued')).toEqual([]);
  });

  it('an order found stored by an earlier run wakes the orders held on its company', async () => {
    const { s, runner } = await heldBehindAnother();
    const third = await imported(s, '23', [line('B', 1)], { createdAt: minute(3), updatedAt: minute(3) });
    s.erp.setStock(MATRIZ, 'B', 1000);
    await s.pipeline.createMovements(third, { actor: 'ana' });
    await s.pipeline.sync(third, { actor: 'ana' });
    await crashAfterCreate(s, '23', MATRIZ, 'B', 1);
    expect((await s.pipeline.createErpOrder(third, { actor: 'ana' })).created[0]!.reused).toBe(true);
    expect(named(s.events, 'held-requeued')).toEqual([{ integrationIds: ['loja'], count: 1 }]);
    // Still short of A: tried again, held again.
    await runner.drain();
    expect((await s.pipeline.getOrder('loja:21')).movements).toEqual([]);
  });
});

describe('a company with several Mainô orders for one order', () => {
  it('freight and fees ride only on the company\'s first Mainô order, not on the one a line mapped later gets', async () => {
    const s = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    const totals = { itemsCents: 2000, shippingCents: 1590, discountCents: 0, feesCents: 0, taxCents: 0, totalCents: 3590 };
    s.connector.put(order('30', [line('A', 1), { name: 'Caneca (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }], { totals }));
    await s.pipeline.poll('loja');
    for (const step of ['first', 'mapped later'] as const) {
      if (step === 'mapped later') await s.pipeline.mapOrderLine('loja:30', 1, 'B', 'bia');
      await allocateSyncCreate(s, 'loja:30');
    }
    const [first, later] = s.erp.createdOrders(MATRIZ);
    expect(first!.input.charges).toEqual({ shippingCents: 1590, discountCents: 0, otherExpensesCents: 0 });
    expect(later!.externalReference).toBe(`conecta:loja:30:${MATRIZ}:2`);
    expect('charges' in later!.input).toBe(false);
  });

  it('a line mapped later counts only its own company\'s earlier Mainô orders in its reference', async () => {
    const s = setup({ companies: TWO_COMPANIES, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    s.erp.setStock(FILIAL, 'B', 5000);
    s.connector.put(order('31', [line('A', 3), { name: 'Caneca (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    for (const step of ['first', 'mapped later'] as const) {
      if (step === 'mapped later') await s.pipeline.mapOrderLine('loja:31', 1, 'B', 'bia');
      await allocateSyncCreate(s, 'loja:31');
    }
    expect(s.erp.createdOrders(MATRIZ).map((o) => o.externalReference)).toEqual([`conecta:loja:31:${MATRIZ}`]);
    expect(s.erp.createdOrders(FILIAL).map((o) => o.externalReference)).toEqual([`conecta:loja:31:${FILIAL}`, `conecta:loja:31:${FILIAL}:2`]);
    expect(s.erp.createdOrders().every((o) => o.status === 'open')).toBe(true);
  });

  it('an order a person cancelled after it reached Mainô, then allocated again, gets a new Mainô order, not the cancelled one back', async () => {
    const s = setup({ companies: ONE_COMPANY });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '32', [line('A', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(await s.pipeline.cancel(id, { actor: 'ana' })).toEqual({ released: 0, reversed: 1 });
    // The order is still paid on the platform: a person allocates it again.
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(result.created).toEqual([expect.objectContaining({ reference: `conecta:loja:32:${MATRIZ}:2`, reused: false })]);
    expect(s.erp.createdOrders(MATRIZ).map((o) => [o.externalReference, o.status])).toEqual([
      [`conecta:loja:32:${MATRIZ}`, 'cancelled'],
      [`conecta:loja:32:${MATRIZ}:2`, 'open'],
    ]);
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(3000);
  });
});

describe('a create that may skip its lookup (first attempt)', () => {
  it('each company is judged on its own history: one validated just now, one validated by an earlier run', async () => {
    const s = setup({ companies: TWO_COMPANIES, integration: { mode: 'automatic' }, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const realFind = s.erp.findProduct.bind(s.erp);
    let filialShort = true;
    s.erp.findProduct = async (cnpj, sku, options) => {
      const product = await realFind(cnpj, sku, options);
      return cnpj === FILIAL && filialShort && product ? { ...product, availableMilli: 0 } : product;
    };
    await imported(s, '40', [line('A', 3)]);
    // First run: the Matriz passes its check, the Filial does not; all-or-nothing creates nothing.
    expect((await s.pipeline.process('loja:40')).outcome).toBe('failed');
    expect(s.erp.createdOrders()).toEqual([]);
    filialShort = false;
    // Second run: only the Filial is checked (again); the Matriz was validated by the first run.
    expect((await s.pipeline.process('loja:40')).outcome).toBe('done');
    const creates = s.erp.calls.filter((call) => call.operation === 'createSalesOrder');
    // The Matriz's order may have been sent by the first run's end: it is looked up. The Filial's cannot have been.
    expect(creates.map((call) => [call.cnpj, call.firstAttempt ?? false])).toEqual([[MATRIZ, false], [FILIAL, true]]);
  });
});

describe('stock readings whose age matters (a clock that moves)', () => {
  function clock(start = minute(0)) {
    let at = Date.parse(start);
    return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
  }

  it('without snapshots, the check reuses the allocation\'s reading up to stockReuseMs old, not a millisecond more', async () => {
    for (const [stockReuseMs, ageMs, reused] of [[60_000, 60_000, true], [60_000, 60_001, false], [0, 0, false]] as const) {
      const time = clock();
      const s = setup({ companies: ONE_COMPANY, integration: { mode: 'automatic' }, stockReuseMs, now: time.now });
      s.erp.setStock(MATRIZ, 'A', 5000);
      s.pipeline.events.on('movements-created', () => void time.advance(ageMs));
      await imported(s, '50', [line('A', 1)]);
      const before = s.erp.calls.length;
      expect((await s.pipeline.process('loja:50')).outcome).toBe('done');
      const lookups = s.erp.calls.slice(before).filter((call) => call.operation === 'findProduct');
      const detail = (await s.pipeline.getOrder('loja:50')).movements[0]!.audit.find((entry) => entry.action === 'sync')!.detail;
      const label = `reuse ${stockReuseMs}, age ${ageMs}`;
      expect(lookups, label).toHaveLength(reused ? 0 : 1);
      expect(detail, label).toBe(reused ? `checked against Mainô stock read at ${minute(0)} (${(ageMs / 1000).toFixed(1)} s old)` : 'checked against Mainô');
    }
  });

  it('with snapshots, the check uses the allocation\'s reading up to stockFreshnessMs old, then reads Mainô again', async () => {
    for (const [ageMs, reread] of [[60_000, false], [60_001, true]] as const) {
      const time = clock();
      const s = setup({ companies: ONE_COMPANY, integration: { mode: 'automatic' }, stockFreshnessMs: 60_000, now: time.now });
      s.erp.setStock(MATRIZ, 'A', 5000);
      s.pipeline.events.on('movements-created', () => void time.advance(ageMs));
      await imported(s, '51', [line('A', 1)]);
      const before = s.erp.calls.length;
      expect((await s.pipeline.process('loja:51')).outcome).toBe('done');
      const reads = s.erp.calls.slice(before).filter((call) => call.operation === 'getStock' || call.operation === 'listStock' || call.operation === 'findProduct');
      const detail = (await s.pipeline.getOrder('loja:51')).movements[0]!.audit.find((entry) => entry.action === 'sync')!.detail;
      // One read for the plan; a second only once the plan's reading is too old.
      expect(reads.map((call) => call.operation), `age ${ageMs}`).toEqual(reread ? ['listStock', 'listStock'] : ['listStock']);
      expect(detail, `age ${ageMs}`).toBe(reread ? `checked against Mainô stock read at ${new Date(Date.parse(minute(0)) + ageMs).toISOString()} (0.0 s old)` : `checked against Mainô stock read at ${minute(0)} (60.0 s old)`);
    }
  });

  it('the allocation\'s audit says how old the stock it planned on was, when time passed between the read and the plan', async () => {
    const time = clock();
    const s = setup({ companies: ONE_COMPANY, stockFreshnessMs: 60_000, now: time.now });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const realListStock = s.erp.listStock!.bind(s.erp);
    s.erp.listStock = async (...args) => {
      const listing = await realListStock(...args);
      time.advance(2_500);
      return listing;
    };
    const id = await imported(s, '52', [line('A', 1)]);
    const { movements } = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(movements[0]!.audit[0]!.detail).toBe(`stock read at ${minute(0)} (2.5 s old)`);
  });
});

describe('allocate step: what a person changes on an order already under way', () => {
  it('a finalized order (delivered before it was allocated) is allocated like a pending one', async () => {
    const s = setup({ companies: ONE_COMPANY });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '60', [line('A', 1)], { status: 'completed' });
    expect((await s.pipeline.getOrder(id)).order.intakeState).toBe('finalized');
    const result = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(result.movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 1000, 'created']]);
  });

  it('a choice on a line partly in a Mainô order already keeps that part and moves only the rest', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '61', [line('A', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.setStock(FILIAL, 'A', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    // The Matriz's part is in Mainô; the Filial's failed its check.
    expect((await s.pipeline.createErpOrder(id, { actor: 'ana' })).created.map((entry) => entry.companyCnpj)).toEqual([MATRIZ]);
    s.erp.setStock(OUTLET, 'A', 5000);
    await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    const live = (await s.pipeline.getOrder(id)).movements.filter((m) => m.state !== 'cancelled');
    expect(live.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 1000, 'done'], [OUTLET, 2000, 'created']]);
  });

  it('a choice on one line leaves what another line already holds out of that line\'s count', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    const id = await imported(s, '62', [line('A', 3), line('B', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.setStock(FILIAL, 'A', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    s.erp.setStock(OUTLET, 'A', 5000);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    const live = (await s.pipeline.getOrder(id)).movements.filter((m) => m.state !== 'cancelled');
    expect(live.map((m) => [m.lineIndex, m.companyCnpj, m.quantityMilli, m.state])).toEqual([
      [0, MATRIZ, 1000, 'synced'],
      [1, MATRIZ, 2000, 'synced'],
      [0, OUTLET, 2000, 'created'],
    ]);
    // Line 1 is whole in Mainô's hands: it is neither planned again nor explained as a new plan.
    expect(result.allocation!.explanation.map((entry) => [entry.lineIndex, entry.summary])).toEqual([[0, '2 from Outlet, chosen by a person']]);
  });

  it('a choice on a line already whole in Mainô moves nothing for it', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 1000);
    s.erp.setStock(FILIAL, 'B', 5000);
    const id = await imported(s, '63', [line('A', 2), line('B', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.setStock(FILIAL, 'B', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    s.erp.setStock(OUTLET, 'A', 5000);
    s.erp.setStock(OUTLET, 'B', 5000);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }, { lineIndex: 1, companyCnpj: OUTLET }] });
    const created = (await s.pipeline.getOrder(id)).movements.filter((m) => m.state === 'created');
    expect(created.map((m) => [m.lineIndex, m.companyCnpj, m.quantityMilli])).toEqual([[1, OUTLET, 2000]]);
    expect(created[0]!.audit[0]!.detail).toBe(`line 0 -> ${OUTLET}, line 1 -> ${OUTLET}`);
    expect(result.allocation!.explanation.map((entry) => entry.lineIndex)).toEqual([1]);
  });

  it('a choice on a later line is explained in line order with the lines planned by policy', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    s.erp.setStock(OUTLET, 'B', 5000);
    const id = await imported(s, '64', [line('A', 1), line('B', 1)]);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 1, companyCnpj: OUTLET }] });
    expect(result.allocation!.explanation.map((entry) => [entry.lineIndex, entry.summary])).toEqual([
      [0, '1 from Matriz (priority 1).'],
      [1, '1 from Outlet, chosen by a person'],
    ]);
    expect(result.movements.map((m) => [m.lineIndex, m.companyCnpj])).toEqual([[1, OUTLET], [0, MATRIZ]]);
  });

  it('only lines a person mapped are planned later: a line short of stock, and one still without a SKU, are not', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'C', 5000);
    s.erp.setStock(MATRIZ, 'D', 5000);
    const noSku = (name: string) => ({ name, quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: name } });
    s.connector.put(order('65', [line('A', 1), line('B', 1), noSku('caneca'), noSku('boné'), noSku('chaveiro')]));
    await s.pipeline.poll('loja');
    const first = await s.pipeline.createMovements('loja:65', { actor: 'ana' });
    expect(first.movements.map((m) => m.lineIndex)).toEqual([0]);
    // B arrives in stock; a person maps two of the three lines without a SKU.
    s.erp.setStock(MATRIZ, 'B', 5000);
    await s.pipeline.mapOrderLine('loja:65', 2, 'C', 'bia');
    await s.pipeline.mapOrderLine('loja:65', 3, 'D', 'bia');
    const topUp = await s.pipeline.createMovements('loja:65', { actor: 'bia' });
    const added = topUp.movements.filter((m) => m.lineIndex !== 0);
    expect(added.map((m) => [m.lineIndex, m.sku])).toEqual([[2, 'C'], [3, 'D']]);
    expect(added.every((m) => m.audit[0]!.detail === 'line(s) 2, 3 mapped to a SKU by a person')).toBe(true);
    // Asked again, nothing is planned twice: the mapped lines have their movements now.
    const before = s.erp.calls.length;
    const again = await s.pipeline.createMovements('loja:65', { actor: 'bia' });
    expect(again.created).toBe(false);
    expect(again.movements.map((m) => m.lineIndex).sort()).toEqual([0, 2, 3]);
    expect(s.erp.calls.length).toBe(before);
  });

  it('a line mapped later counts the stock of the order\'s lines already in Mainô once, through Mainô\'s own figure', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 4000);
    s.erp.setStock(FILIAL, 'A', 5000);
    s.connector.put(order('66', [line('A', 3), { name: 'Caneca (sem SKU)', quantityMilli: 2000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:66', { actor: 'ana' });
    await s.pipeline.sync('loja:66', { actor: 'ana' });
    await s.pipeline.createErpOrder('loja:66', { actor: 'ana' });
    // Mainô committed the 3 of line 0: it shows 1 free at the Matriz.
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(1000);
    await s.pipeline.mapOrderLine('loja:66', 1, 'A', 'bia');
    const topUp = await s.pipeline.createMovements('loja:66', { actor: 'bia' });
    expect(topUp.movements.filter((m) => m.lineIndex === 1).map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([[MATRIZ, 1000], [FILIAL, 1000]]);
  });
});

describe('sync step: the order\'s own validated movements, when Mainô has enough', () => {
  it('a line mapped later passes when Mainô holds enough for it and the validated lines of the same product together', async () => {
    const s = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 4000);
    s.connector.put(order('70', [line('A', 3), { name: 'Caneca (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:70', { actor: 'ana' });
    await s.pipeline.sync('loja:70', { actor: 'ana' });
    await s.pipeline.mapOrderLine('loja:70', 1, 'A', 'bia');
    await s.pipeline.createMovements('loja:70', { actor: 'bia' });
    // Exactly 3 + 1: both fit.
    const result = await s.pipeline.sync('loja:70', { actor: 'bia' });
    expect(result.failed).toEqual([]);
    expect(result.synced.map((m) => m.lineIndex)).toEqual([1]);
    await s.pipeline.createErpOrder('loja:70', { actor: 'bia' });
    expect(s.erp.createdOrders(MATRIZ)[0]!.lines.map((l) => l.quantityMilli)).toEqual([3000, 1000]);
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(0);
  });

  it('another product\'s validated movement does not count against a line mapped later', async () => {
    const s = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    s.connector.put(order('71', [line('B', 4), { name: 'Caneca (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:71', { actor: 'ana' });
    await s.pipeline.sync('loja:71', { actor: 'ana' });
    await s.pipeline.mapOrderLine('loja:71', 1, 'A', 'bia');
    await s.pipeline.createMovements('loja:71', { actor: 'bia' });
    const result = await s.pipeline.sync('loja:71', { actor: 'bia' });
    expect(result.failed).toEqual([]);
    expect(result.synced.map((m) => [m.lineIndex, m.sku])).toEqual([[1, 'A']]);
  });
});

describe('held orders: when an order counts as held, and what a person\'s choice frees', () => {
  it('an allocation that leaves an order with no movement marks it held; one that plans anything does not', async () => {
    const held = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' }, now: () => new Date(minute(30)) });
    held.erp.setStock(MATRIZ, 'A', 1000);
    const heldId = await imported(held, '80', [line('A', 2)]);
    await held.pipeline.createMovements(heldId, { actor: 'ana' });
    expect((await held.pipeline.getOrder(heldId)).order.heldAt).toBe(minute(30));

    const partial = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    partial.erp.setStock(MATRIZ, 'A', 1000);
    const partialId = await imported(partial, '81', [line('A', 2)]);
    expect((await partial.pipeline.createMovements(partialId, { actor: 'ana' })).movements).toHaveLength(1);
    expect((await partial.pipeline.getOrder(partialId)).order.heldAt).toBeUndefined();

    const covered = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    covered.erp.setStock(MATRIZ, 'A', 5000);
    const coveredId = await imported(covered, '82', [line('A', 2)]);
    await covered.pipeline.createMovements(coveredId, { actor: 'ana' });
    expect((await covered.pipeline.getOrder(coveredId)).order.heldAt).toBeUndefined();
  });

  it('a store that does not record held orders still takes a short allocation and a refusal', async () => {
    const { markHeld: _markHeld, ...withoutHeld } = createMemoryStore();
    const s = setup({ store: withoutHeld, companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' }, refuseOversell: true });
    s.erp.setStock(MATRIZ, 'A', 1000);
    const id = await imported(s, '83', [line('A', 2)]);
    expect((await s.pipeline.createMovements(id, { actor: 'ana' })).movements).toEqual([]);
    s.erp.setStock(MATRIZ, 'A', 5000);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    s.erp.setStock(MATRIZ, 'A', 1000);
    expect((await s.pipeline.createErpOrder(id, { actor: 'ana' })).refused).toHaveLength(1);
    expect((await s.pipeline.getOrder(id)).order.heldAt).toBeUndefined();
  });

  it('Mainô refusing the only company of an order leaves it held; refusing one of two leaves it not held', async () => {
    const only = setup({ companies: ONE_COMPANY, refuseOversell: true, now: () => new Date(minute(40)) });
    only.erp.setStock(MATRIZ, 'A', 5000);
    const onlyId = await imported(only, '84', [line('A', 2)]);
    await only.pipeline.createMovements(onlyId, { actor: 'ana' });
    await only.pipeline.sync(onlyId, { actor: 'ana' });
    only.erp.setStock(MATRIZ, 'A', 1000);
    await only.pipeline.createErpOrder(onlyId, { actor: 'ana' });
    expect((await only.pipeline.getOrder(onlyId)).order.heldAt).toBe(minute(40));

    const two = setup({ companies: TWO_COMPANIES, refuseOversell: true, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    two.erp.setStock(MATRIZ, 'A', 1000);
    two.erp.setStock(FILIAL, 'A', 5000);
    const twoId = await imported(two, '85', [line('A', 3)]);
    await two.pipeline.createMovements(twoId, { actor: 'ana' });
    await two.pipeline.sync(twoId, { actor: 'ana' });
    // The Matriz's unit is sold at the counter: Mainô refuses the Matriz's order; the Filial's goes through.
    two.erp.setStock(MATRIZ, 'A', 0);
    const result = await two.pipeline.createErpOrder(twoId, { actor: 'ana' });
    expect(result.refused.map((entry) => entry.companyCnpj)).toEqual([MATRIZ]);
    expect(result.created.map((entry) => entry.companyCnpj)).toEqual([FILIAL]);
    expect((await two.pipeline.getOrder(twoId)).order.heldAt).toBeUndefined();
  });

  it('a person\'s choice that releases movements elsewhere gives the orders held for that stock another chance', async () => {
    const s = setup({ companies: [...ONE_COMPANY, { cnpj: OUTLET, name: 'Outlet', priority: 3 }], integration: { mode: 'automatic' }, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(MATRIZ, 'A', 2000);
    // Order 90 is planned on the Matriz, then its check fails: the Matriz's 2 were sold at the counter meanwhile.
    let soldOnce = false;
    s.pipeline.events.on('movements-created', () => {
      if (!soldOnce) s.erp.setStock(MATRIZ, 'A', 0);
      soldOnce = true;
    });
    s.connector.put(order('90', [line('A', 2)]));
    const runner = createRunner(s.pipeline);
    await runner.drain();
    expect((await s.pipeline.getOrder('loja:90')).movements.map((m) => [m.companyCnpj, m.state])).toEqual([[MATRIZ, 'failed']]);
    // The stock comes back; order 91 wants 3, but order 90's failed movement still holds 2 of the Matriz's 4: held.
    s.erp.setStock(MATRIZ, 'A', 4000);
    s.connector.put(order('91', [line('A', 3)], { createdAt: minute(2), updatedAt: minute(2) }));
    await runner.drain();
    expect((await s.pipeline.getOrder('loja:90')).movements.map((m) => [m.companyCnpj, m.state])).toEqual([[MATRIZ, 'failed']]);
    expect((await s.pipeline.getOrder('loja:91')).movements).toEqual([]);
    expect(named(s.events, 'held-requeued')).toEqual([]);

    // A person sends order 90 to the Outlet: the Matriz's 2 are free again, and order 91 is queued for them.
    s.erp.setStock(OUTLET, 'A', 5000);
    await s.pipeline.createMovements('loja:90', { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(named(s.events, 'held-requeued')).toEqual([{ integrationIds: ['loja'], count: 1 }]);
    await runner.drain();
    expect((await s.pipeline.getOrder('loja:91')).movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 3000, 'done']]);
  });
});

describe('sync step: figures that must make a check fail', () => {
  it('a check on a snapshot read again fails when the snapshot shows too little', async () => {
    let at = Date.parse(minute(0));
    const s = setup({ companies: ONE_COMPANY, stockFreshnessMs: 60_000, now: () => new Date(at) });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '95', [line('A', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    // Sold at the counter; a minute later the snapshot is read again and shows 1.
    s.erp.setStock(MATRIZ, 'A', 1000);
    at += 61_000;
    const result = await s.pipeline.sync(id, { actor: 'ana' });
    expect(result.synced).toEqual([]);
    expect(result.failed.map((m) => m.failure!.reason)).toEqual([`company ${MATRIZ} has 1 of A free, the order needs 3`]);
  });

  it('a line mapped later is not let through by the order\'s own lines already in Mainô: only open movements are the order\'s own', async () => {
    const s = setup({ companies: ONE_COMPANY, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 6000);
    s.connector.put(order('96', [line('A', 3), { name: 'Caneca (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:96', { actor: 'ana' });
    await s.pipeline.sync('loja:96', { actor: 'ana' });
    await s.pipeline.createErpOrder('loja:96', { actor: 'ana' });
    // Another order holds 2 of the 3 Mainô still shows free.
    const other = await imported(s, '97', [line('A', 2)], { createdAt: minute(3), updatedAt: minute(3) });
    await s.pipeline.createMovements(other, { actor: 'ana' });
    await s.pipeline.mapOrderLine('loja:96', 1, 'A', 'bia');
    await s.pipeline.createMovements('loja:96', { actor: 'bia' });
    // Mainô drops to 2 free: the other order's 2 leave nothing for the new line (the 3 in Mainô's order are Mainô's).
    s.erp.setStock(MATRIZ, 'A', 5000);
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(2000);
    const result = await s.pipeline.sync('loja:96', { actor: 'bia' });
    expect(result.synced).toEqual([]);
    expect(result.failed.map((m) => [m.lineIndex, m.failure!.reason])).toEqual([[1, `company ${MATRIZ} has 0 of A free, the order needs 1`]]);
  });
});
