import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  StockShortfallError,
  UpstreamError,
  ValidationError,
  type PlatformOrder,
} from '../src/index.js';
import type { MemoryErp } from '../src/testing/index.js';
import { FILIAL, MATRIZ, OUTLET, allocateSyncCreate, imported, line, minute, named, order, setupPipeline, type PipelineSetup, type PipelineSetupOptions } from './support/pipeline-fixture.js';

// The pipeline's steps one command at a time (a person's clicks), each outcome checked where the user sees it: the
// ERP's orders and stock, the movements' states and the events.

// The steps are commands a person gives: on-command mode, and every stock check reads Mainô unless a test says so.
function setup(options: PipelineSetupOptions = {}): PipelineSetup {
  return setupPipeline({ pageSize: 5, stockFreshnessMs: 0, stockReuseMs: 0, ...options, integration: { mode: 'on-command', ...options.integration } });
}

const cancels = (erp: MemoryErp) => erp.calls.filter((call) => call.operation === 'cancelSalesOrder').map((call) => call.cnpj);

describe('cancel step', () => {
  it('releases the allocated movements and reverses the done ones of one order, cancelling each Mainô order once', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 2000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '1', [line('A', 3), line('B', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    await s.pipeline.createErpOrder(id, { actor: 'ana' });
    // Matriz's one Mainô order holds two lines (A and B); the Filial's holds the rest of A.
    expect(s.erp.createdOrders(MATRIZ)).toHaveLength(1);
    expect(s.erp.createdOrders(MATRIZ)[0]!.lines.map((l) => l.sku)).toEqual(['A', 'B']);
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(0);

    const result = await s.pipeline.cancel(id, { actor: 'bia' });
    expect(result).toEqual({ released: 0, reversed: 3 });
    expect(cancels(s.erp).sort()).toEqual([MATRIZ, FILIAL].sort());
    expect(s.erp.createdOrders(MATRIZ)[0]!.status).toBe('cancelled');
    expect(s.erp.createdOrders(FILIAL)[0]!.status).toBe('cancelled');
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(2000);
    const movements = (await s.pipeline.getOrder(id)).movements;
    expect(movements.map((m) => m.state)).toEqual(['reversed', 'reversed', 'reversed']);
    expect(movements.every((m) => m.audit.at(-1)!.actor === 'bia' && m.audit.at(-1)!.action === 'reverse')).toBe(true);
    expect(named(s.events, 'order-cancelled')).toEqual([{ integrationId: 'loja', orderId: id, released: 0, reversed: 3 }]);

    // Again: nothing left to undo, no Mainô call, no event.
    expect(await s.pipeline.cancel(id, { actor: 'bia' })).toEqual({ released: 0, reversed: 0 });
    expect(cancels(s.erp)).toHaveLength(2);
    expect(named(s.events, 'order-cancelled')).toHaveLength(1);
  });

  it('releases every movement not yet in Mainô, whatever its state: created, synced or failed', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 1000);
    s.erp.setStock(OUTLET, 'A', 1000);
    const id = await imported(s, '2', [line('A', 3)]);
    const { movements } = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(movements.map((m) => m.companyCnpj)).toEqual([MATRIZ, FILIAL, OUTLET]);
    // The Outlet's stock is gone before the check: Matriz and Filial pass, the Outlet fails; nothing reaches Mainô.
    s.erp.setStock(OUTLET, 'A', 0);
    const synced = await s.pipeline.sync(id, { actor: 'ana' });
    expect([synced.synced.length, synced.failed.length]).toEqual([2, 1]);

    const result = await s.pipeline.cancel(id, { actor: 'bia' });
    expect(result).toEqual({ released: 3, reversed: 0 });
    const after = (await s.pipeline.getOrder(id)).movements;
    expect(after.map((m) => m.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(after.every((m) => m.audit.at(-1)!.action === 'release' && m.audit.at(-1)!.actor === 'bia')).toBe(true);
    // No Mainô order existed under the references: nothing to cancel there. Only the companies whose movements were
    // validated were looked up: the Outlet's movement failed its check, so no order of it can exist.
    expect(cancels(s.erp)).toEqual([]);
    expect(s.erp.calls.filter((call) => call.operation === 'findSalesOrderByReference').map((call) => call.cnpj)).toEqual([MATRIZ, FILIAL]);
    expect(named(s.events, 'order-cancelled')).toEqual([{ integrationId: 'loja', orderId: id, released: 3, reversed: 0 }]);
  });

  it('cancels the Mainô order a crash left behind a movement that was later refused (failed after synced)', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '3', [line('A', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    // Mainô stored the order, then the process died before marking the movement done...
    await s.erp.createSalesOrder(MATRIZ, { externalReference: `conecta:loja:3:${MATRIZ}`, tag: 'Loja Virtual', orderNumber: '#3', customer: { name: 'x' }, issuedAt: minute(1), lines: [{ sku: 'A', name: 'A', quantityMilli: 2000, unitPriceCents: 1000 }] });
    // ...and the next run's create was refused for good, which failed the movement.
    s.erp.failNext('createSalesOrder', new ValidationError([{ path: 'cliente', message: 'cadastro incompleto' }], { subject: 'maino' }));
    const refused = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(refused.pending).toEqual([expect.objectContaining({ companyCnpj: MATRIZ, retryable: false })]);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => m.state)).toEqual(['failed']);

    expect(await s.pipeline.cancel(id, { actor: 'bia' })).toEqual({ released: 1, reversed: 0 });
    expect(s.erp.createdOrders(MATRIZ)[0]!.status).toBe('cancelled');
    expect(cancels(s.erp)).toEqual([MATRIZ]);
  });

  it('does not cancel again an orphan Mainô order that is already cancelled, nor look up companies never validated', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '4', [line('A', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    const { order: orphan } = await s.erp.createSalesOrder(MATRIZ, { externalReference: `conecta:loja:4:${MATRIZ}`, tag: 'Loja Virtual', orderNumber: '#4', customer: { name: 'x' }, issuedAt: minute(1), lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 1000 }] });
    await s.erp.cancelSalesOrder(MATRIZ, orphan.id);
    const lookupsBefore = s.erp.calls.filter((call) => call.operation === 'findSalesOrderByReference').length;
    const cancelsBefore = cancels(s.erp).length;
    expect(await s.pipeline.cancel(id, { actor: 'bia' })).toEqual({ released: 2, reversed: 0 });
    expect(cancels(s.erp)).toHaveLength(cancelsBefore);
    // Both companies' movements were validated, so both references are looked up; nothing else.
    expect(s.erp.calls.filter((call) => call.operation === 'findSalesOrderByReference').slice(lookupsBefore).map((call) => call.cnpj).sort()).toEqual([MATRIZ, FILIAL].sort());
  });

  it('looks up no reference for movements that were only allocated', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '5', [line('A', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(await s.pipeline.cancel(id, { actor: 'bia' })).toEqual({ released: 1, reversed: 0 });
    expect(s.erp.calls.filter((call) => call.operation === 'findSalesOrderByReference')).toEqual([]);
  });

  it('an unknown order is a NotFoundError', async () => {
    const s = setup();
    await expect(s.pipeline.cancel('loja:nope', { actor: 'bia' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('ERP order step', () => {
  async function syncedOrder(s: PipelineSetup, externalId: string, lines: PlatformOrder['lines']): Promise<string> {
    const id = await imported(s, externalId, lines);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    return id;
  }

  it('two creates of one order at once make one Mainô order: the second leaves it to the first', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '10', [line('A', 2)]);
    const [first, second] = await Promise.all([s.pipeline.createErpOrder(id, { actor: 'ana' }), s.pipeline.createErpOrder(id, { actor: 'bia' })]);
    expect(first.created).toEqual([{ companyCnpj: MATRIZ, erpOrderId: expect.any(String), reference: `conecta:loja:10:${MATRIZ}`, reused: false }]);
    expect(second).toEqual({ created: [], pending: [{ companyCnpj: '*', reason: 'the ERP orders of this order are being created right now', retryable: true }], refused: [] });
    expect(s.erp.createdOrders(MATRIZ)).toHaveLength(1);
    // Once the first is over, the order is free again: a later call finds everything done.
    expect(await s.pipeline.createErpOrder(id, { actor: 'bia' })).toEqual({ created: [], pending: [], refused: [] });
  });

  it('the guard is per order: two orders are created side by side', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const one = await syncedOrder(s, '11', [line('A', 1)]);
    const two = await syncedOrder(s, '12', [line('A', 1)]);
    const results = await Promise.all([s.pipeline.createErpOrder(one, { actor: 'ana' }), s.pipeline.createErpOrder(two, { actor: 'ana' })]);
    expect(results.map((result) => result.created.length)).toEqual([1, 1]);
    expect(s.erp.createdOrders(MATRIZ).map((o) => o.externalReference).sort()).toEqual([`conecta:loja:11:${MATRIZ}`, `conecta:loja:12:${MATRIZ}`]);
  });

  it('all-or-nothing: while one company is not validated, every company waits, each told why', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '13', [line('A', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.setStock(FILIAL, 'A', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(result.created).toEqual([]);
    expect(result.pending).toEqual([
      { companyCnpj: MATRIZ, reason: `waiting for the other companies of the order (${FILIAL}): all-or-nothing`, retryable: true },
      { companyCnpj: FILIAL, reason: '1 movement(s) not synced yet', retryable: true },
    ]);
    expect(s.erp.createdOrders()).toEqual([]);
    // The Filial's stock is back: validated again, both orders are created.
    s.erp.setStock(FILIAL, 'A', 5000);
    await s.pipeline.sync(id, { actor: 'ana' });
    expect((await s.pipeline.createErpOrder(id, { actor: 'ana' })).created.map((entry) => entry.companyCnpj)).toEqual([MATRIZ, FILIAL]);
  });

  it('partial: a validated company gets its order while another waits for its check', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '14', [line('A', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.setStock(FILIAL, 'A', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(result.created.map((entry) => entry.companyCnpj)).toEqual([MATRIZ]);
    expect(result.pending).toEqual([{ companyCnpj: FILIAL, reason: '1 movement(s) not synced yet', retryable: true }]);
    expect(s.erp.createdOrders(FILIAL)).toEqual([]);
  });

  it('a retryable failure leaves the movements synced for the next run; a refusal fails them with the reason', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '15', [line('A', 1)]);
    s.erp.failNext('createSalesOrder', new UpstreamError('Mainô answered 503', { status: 503 }));
    const retryable = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(retryable.pending).toEqual([{ companyCnpj: MATRIZ, reason: 'Mainô answered 503', retryable: true }]);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => m.state)).toEqual(['synced']);
    expect(named(s.events, 'movement-failed')).toEqual([]);

    s.erp.failNext('createSalesOrder', new ValidationError([{ path: 'cliente', message: 'cadastro incompleto' }], { subject: 'maino' }));
    const refused = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(refused.pending).toEqual([{ companyCnpj: MATRIZ, reason: 'maino: invalid field cliente: cliente: cadastro incompleto', retryable: false }]);
    const [movement] = (await s.pipeline.getOrder(id)).movements;
    expect(movement).toMatchObject({ state: 'failed', failure: { code: 'VALIDATION', reason: 'maino: invalid field cliente: cliente: cadastro incompleto', retryable: false } });
    expect(movement!.audit.at(-1)).toMatchObject({ actor: 'ana', action: 'create-erp-order', detail: 'maino: invalid field cliente: cliente: cadastro incompleto' });
    expect(named(s.events, 'movement-failed')).toEqual([
      { integrationId: 'loja', orderId: id, movementId: movement!.id, code: 'VALIDATION', reason: 'maino: invalid field cliente: cliente: cadastro incompleto', retryable: false },
    ]);
    expect(s.erp.createdOrders()).toEqual([]);
  });

  it('marks the movements done with the Mainô order, and says so in the event', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '16', [line('A', 1), line('A', 2)]);
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    const [erpOrder] = s.erp.createdOrders(MATRIZ);
    expect(result.created).toEqual([{ companyCnpj: MATRIZ, erpOrderId: erpOrder!.id, reference: `conecta:loja:16:${MATRIZ}`, reused: false }]);
    const movements = (await s.pipeline.getOrder(id)).movements;
    for (const movement of movements) {
      expect(movement).toMatchObject({ state: 'done', erpOrderId: erpOrder!.id, erpReference: `conecta:loja:16:${MATRIZ}` });
      expect(movement.failure ?? null).toBeNull();
      expect(movement.audit.at(-1)).toMatchObject({ actor: 'ana', action: 'create-erp-order', detail: `Mainô order ${erpOrder!.id}` });
    }
    expect(named(s.events, 'erp-order-created')).toEqual([{ integrationId: 'loja', orderId: id, companyCnpj: MATRIZ, erpOrderId: erpOrder!.id, reference: `conecta:loja:16:${MATRIZ}`, reused: false }]);
  });

  it('an order stored by an earlier run is reused, not created again, and the event says so', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '17', [line('A', 1)]);
    const { order: earlier } = await s.erp.createSalesOrder(MATRIZ, { externalReference: `conecta:loja:17:${MATRIZ}`, tag: 'Loja Virtual', orderNumber: '#17', customer: { name: 'x' }, issuedAt: minute(1), lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 1000 }] });
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(result.created).toEqual([{ companyCnpj: MATRIZ, erpOrderId: earlier.id, reference: `conecta:loja:17:${MATRIZ}`, reused: true }]);
    expect(s.erp.createdOrders(MATRIZ)).toHaveLength(1);
    expect(named(s.events, 'erp-order-created')).toEqual([expect.objectContaining({ erpOrderId: earlier.id, reused: true })]);
  });

  it('an order cancelled while its Mainô create was in flight does not leave that Mainô order open', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '18', [line('A', 2)]);
    const realCreate = s.erp.createSalesOrder.bind(s.erp);
    s.erp.createSalesOrder = async (...args) => {
      // The cancellation lands before Mainô stores the order: it finds nothing to cancel there yet.
      await s.pipeline.cancel(id, { actor: 'bia' });
      return realCreate(...args);
    };
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(s.erp.createdOrders(MATRIZ)).toHaveLength(1);
    expect(s.erp.createdOrders(MATRIZ)[0]!.status).toBe('cancelled');
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(5000);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => m.state)).toEqual(['cancelled']);
    expect(result.created.map((entry) => entry.companyCnpj)).toEqual([MATRIZ]);
  });

  it('a duplicate made while another process created and marked the same order is cancelled, not reported', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '19', [line('A', 2)]);
    const realCreate = s.erp.createSalesOrder.bind(s.erp);
    s.erp.createSalesOrder = async (cnpj, input, options) => {
      // Another worker (another process, which this one's in-flight guard cannot see) creates and marks first.
      const theirs = await realCreate(cnpj, input, { firstAttempt: true });
      for (const movement of await s.store.getMovements(id)) {
        await s.store.transitionMovement(movement.id, ['synced'], 'done', { erpOrderId: theirs.order.id, erpReference: input.externalReference }, { at: minute(5), actor: 'worker-2', action: 'create-erp-order' });
      }
      return realCreate(cnpj, input, { ...options, firstAttempt: true });
    };
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    const [theirs, mine] = s.erp.createdOrders(MATRIZ);
    expect(theirs!.status).toBe('open');
    expect(mine!.status).toBe('cancelled');
    expect(result.created).toEqual([]);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => [m.state, m.erpOrderId])).toEqual([['done', theirs!.id]]);
    expect(s.erp.stockOf(MATRIZ, 'A')!.availableMilli).toBe(3000);
  });

  it('Mainô refusing for lack of stock releases the movements with the reason and reads the stock again', async () => {
    for (const stockFreshnessMs of [0, 60_000]) {
      const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }, { cnpj: FILIAL, name: 'Filial SP', priority: 2 }], stockFreshnessMs, refuseOversell: true });
      s.erp.setStock(MATRIZ, 'A', 5000);
      s.erp.setStock(MATRIZ, 'B', 5000);
      const id = await syncedOrder(s, '20', [line('A', 2), line('B', 1)]);
      // Sold at the counter, outside the SDK, after the check: Mainô has 1 A left.
      s.erp.setStock(MATRIZ, 'A', 1000);
      const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
      expect(result.created).toEqual([]);
      expect(result.refused).toEqual([{ companyCnpj: MATRIZ, reason: 'memory erp: not enough stock of A' }]);
      expect(result.pending).toEqual([]);
      const movements = (await s.pipeline.getOrder(id)).movements;
      expect(movements.map((m) => m.state)).toEqual(['cancelled', 'cancelled']);
      expect(movements[0]!.audit.at(-1)).toMatchObject({ actor: 'ana', action: 'stock-refused', detail: 'Mainô refused for lack of stock: memory erp: not enough stock of A' });
      expect(named(s.events, 'stock-refused')).toEqual([
        { integrationId: 'loja', orderId: id, companyCnpj: MATRIZ, reason: 'memory erp: not enough stock of A', fresh: [{ sku: 'A', availableMilli: 1000 }, { sku: 'B', availableMilli: 5000 }] },
      ]);
    }
  });

  it('a refusal whose fresh stock cannot be read still releases the movements, with no figures', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], refuseOversell: true });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '21', [line('A', 2)]);
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.failNext('getStock', new UpstreamError('Mainô answered 503', { status: 503 }));
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(result.refused).toHaveLength(1);
    expect((await s.pipeline.getOrder(id)).movements.map((m) => m.state)).toEqual(['cancelled']);
    expect(named(s.events, 'stock-refused')).toEqual([expect.objectContaining({ companyCnpj: MATRIZ, fresh: [] })]);
  });

  it('a SKU Mainô no longer lists reads as unknown (null) in the refusal', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], refuseOversell: true });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '22', [line('A', 2)]);
    s.erp.setStock(MATRIZ, 'A', 1000);
    const realGetStock = s.erp.getStock.bind(s.erp);
    s.erp.getStock = async (cnpj, skus, options) => {
      const levels = await realGetStock(cnpj, skus, options);
      levels.delete('A');
      return levels;
    };
    await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(named(s.events, 'stock-refused')).toEqual([expect.objectContaining({ fresh: [{ sku: 'A', availableMilli: null }] })]);
  });

  it('an unknown or cancelled order is refused', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    await expect(s.pipeline.createErpOrder('loja:nope', { actor: 'ana' })).rejects.toBeInstanceOf(NotFoundError);
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await syncedOrder(s, '23', [line('A', 1)]);
    await s.pipeline.ingest('loja', [order('23', [line('A', 1)], { status: 'cancelled', updatedAt: minute(9) })]);
    await expect(s.pipeline.createErpOrder(id, { actor: 'ana' })).rejects.toBeInstanceOf(ConflictError);
    expect(s.erp.createdOrders()).toEqual([]);
  });
});

describe('sync step', () => {
  it('counts what other orders hold against Mainô stock, not what this order holds, and names the figures', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const first = await imported(s, '30', [line('A', 3)]);
    await s.pipeline.createMovements(first, { actor: 'ana' });
    const second = await imported(s, '31', [line('A', 2)]);
    await s.pipeline.createMovements(second, { actor: 'ana' });
    // Both fit the 5 units; the first order's own 3 are not held against it.
    expect((await s.pipeline.sync(first, { actor: 'ana' })).synced).toHaveLength(1);
    // Mainô drops to 4: the first order still holds 3, so 1 is free for the second, which needs 2.
    s.erp.setStock(MATRIZ, 'A', 4000);
    const result = await s.pipeline.sync(second, { actor: 'ana' });
    expect(result.synced).toEqual([]);
    expect(result.failed.map((m) => m.failure)).toEqual([{ code: 'SHORTFALL', reason: `company ${MATRIZ} has 1 of A free, the order needs 2`, retryable: true }]);
    expect(named(s.events, 'movement-failed').at(-1)).toEqual({ integrationId: 'loja', orderId: second, movementId: result.failed[0]!.id, code: 'SHORTFALL', reason: `company ${MATRIZ} has 1 of A free, the order needs 2`, retryable: true });
    // Less than nothing free reads as 0.
    s.erp.setStock(MATRIZ, 'A', 2000);
    expect((await s.pipeline.sync(second, { actor: 'ana' })).failed[0]!.failure!.reason).toBe(`company ${MATRIZ} has 0 of A free, the order needs 2`);
    // Exactly enough passes.
    s.erp.setStock(MATRIZ, 'A', 5000);
    expect((await s.pipeline.sync(second, { actor: 'ana' })).synced).toHaveLength(1);
  });

  it('checks two lines of one SKU as one amount: neither passes alone when together they do not fit', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '32', [line('A', 2), line('A', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.setStock(MATRIZ, 'A', 3000);
    const result = await s.pipeline.sync(id, { actor: 'ana' });
    expect(result.synced).toEqual([]);
    expect(result.failed.map((m) => m.failure!.reason)).toEqual([`company ${MATRIZ} has 3 of A free, the order needs 4`, `company ${MATRIZ} has 3 of A free, the order needs 4`]);
  });

  it('a product Mainô does not have in that company fails for good, naming it; a lookup error keeps its own code', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    const id = await imported(s, '33', [line('A', 1), line('B', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    const realFind = s.erp.findProduct.bind(s.erp);
    s.erp.findProduct = async (cnpj, sku, options) => (sku === 'A' ? null : realFind(cnpj, sku, options));
    const result = await s.pipeline.sync(id, { actor: 'ana' });
    expect(result.failed.map((m) => [m.sku, m.failure])).toEqual([['A', { code: 'NOT_FOUND', reason: `product A does not exist in company ${MATRIZ}`, retryable: false }]]);
    expect(result.synced.map((m) => m.sku)).toEqual(['B']);
    expect(result.failed[0]!.audit.at(-1)).toMatchObject({ actor: 'ana', action: 'sync', detail: `product A does not exist in company ${MATRIZ}` });
    expect(result.synced[0]!.audit.at(-1)).toMatchObject({ actor: 'ana', action: 'sync', detail: 'checked against Mainô' });
    expect(named(s.events, 'movement-synced')).toEqual([{ integrationId: 'loja', orderId: id, movementId: result.synced[0]!.id }]);

    s.erp.findProduct = realFind;
    s.erp.failNext('findProduct', new ConflictError('Mainô: produto bloqueado'));
    const again = await s.pipeline.sync(id, { actor: 'ana' });
    expect(again.failed.map((m) => m.failure)).toEqual([{ code: 'CONFLICT', reason: 'Mainô: produto bloqueado', retryable: false }]);
  });

  it('a movement already validated is not checked again, and an order with nothing to check asks Mainô nothing', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '34', [line('A', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.sync(id, { actor: 'ana' });
    const before = s.erp.calls.length;
    expect(await s.pipeline.sync(id, { actor: 'ana' })).toEqual({ synced: [], failed: [] });
    expect(s.erp.calls.length).toBe(before);
  });

  it('reuses the allocation\'s stock reading only while it is at most stockReuseMs old', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], stockReuseMs: 60_000, integration: { mode: 'automatic' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.connector.put(order('35', [line('A', 1)]));
    await s.pipeline.poll('loja');
    const before = s.erp.calls.length;
    expect((await s.pipeline.process('loja:35')).outcome).toBe('done');
    const calls = s.erp.calls.slice(before).map((call) => call.operation);
    // One read for the plan, reused by the check: no findProduct.
    expect(calls.filter((operation) => operation === 'findProduct')).toEqual([]);
    expect((await s.pipeline.getOrder('loja:35')).movements[0]!.audit.find((entry) => entry.action === 'sync')!.detail).toMatch(/^checked against Mainô stock read at .+ \(\d+\.\d s old\)$/);
  });

  it('a cancelled or unknown order is refused', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    await expect(s.pipeline.sync('loja:nope', { actor: 'ana' })).rejects.toBeInstanceOf(NotFoundError);
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '36', [line('A', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.ingest('loja', [order('36', [line('A', 1)], { status: 'cancelled', updatedAt: minute(9) })]);
    await expect(s.pipeline.sync(id, { actor: 'ana' })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('allocate step', () => {
  it('refuses a person\'s choice for a line that does not exist, has no SKU, or a company outside the group', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.connector.put(order('40', [line('A', 1), { name: 'Brinde sem código', quantityMilli: 1000, unitPriceCents: 0 }]));
    await s.pipeline.poll('loja');
    const refusal = (overrides: Array<{ lineIndex: number; companyCnpj: string }>) => s.pipeline.createMovements('loja:40', { actor: 'bia', overrides }).then(
      () => { throw new Error('expected a ValidationError'); },
      (error: unknown) => error as ValidationError,
    );
    expect((await refusal([{ lineIndex: 5, companyCnpj: MATRIZ }])).issues).toEqual([{ path: 'overrides.5.lineIndex', message: 'order #40 has no line 5' }]);
    expect((await refusal([{ lineIndex: 1, companyCnpj: MATRIZ }])).issues).toEqual([{ path: 'overrides.1.lineIndex', message: 'line 1 of order #40 has no SKU: map it to a SKU first' }]);
    expect((await refusal([{ lineIndex: 0, companyCnpj: '99999999000191' }])).issues).toEqual([{ path: 'overrides.0.companyCnpj', message: '99999999000191 is not an active company of group Grupo Exemplo' }]);
    expect(await s.store.getMovements('loja:40')).toEqual([]);
  });

  it('a cancelled order gets no movements', async () => {
    const s = setup();
    s.connector.put(order('41', [line('A', 1)], { status: 'cancelled' }));
    await s.pipeline.poll('loja');
    const error = await s.pipeline.createMovements('loja:41', { actor: 'ana' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe('order #41 is cancelled; only pending or finalized orders get movements');
    await expect(s.pipeline.createMovements('loja:nope', { actor: 'ana' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an order already allocated returns its movements without reading stock again', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '42', [line('A', 1)]);
    const first = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(first.created).toBe(true);
    const before = s.erp.calls.length;
    const again = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(again).toEqual({ movements: first.movements, created: false });
    expect(s.erp.calls.length).toBe(before);
    expect(named(s.events, 'movements-created')).toEqual([{ integrationId: 'loja', orderId: id, movementIds: first.movements.map((m) => m.id), actor: 'ana' }]);
  });

  it('a short order (partial policy) gets what exists, and the shortfall event names what is missing', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'B', 500);
    const id = await imported(s, '43', [line('A', 3), line('B', 1)]);
    const result = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(result.movements.map((m) => [m.companyCnpj, m.sku, m.quantityMilli])).toEqual([[MATRIZ, 'A', 1000], [FILIAL, 'B', 500]]);
    expect(named(s.events, 'shortfall')).toEqual([{ integrationId: 'loja', orderId: id, lines: [{ sku: 'A', missingMilli: 2000 }, { sku: 'B', missingMilli: 500 }] }]);
  });

  it('all-or-nothing holds a short order: no movement, no movements-created event, the shortfall said', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    const id = await imported(s, '44', [line('A', 3)]);
    const result = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(result.movements).toEqual([]);
    expect(result.allocation!.complete).toBe(false);
    expect(named(s.events, 'movements-created')).toEqual([]);
    expect(named(s.events, 'shortfall')).toEqual([{ integrationId: 'loja', orderId: id, lines: [{ sku: 'A', missingMilli: 2000 }] }]);
  });

  it('a person\'s choice moves the whole line to that company, says who chose it, and plans the other lines by policy', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    s.erp.setStock(OUTLET, 'A', 5000);
    const id = await imported(s, '45', [line('A', 2), line('B', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(result.movements.map((m) => [m.lineIndex, m.companyCnpj, m.quantityMilli, m.state])).toEqual([
      [0, OUTLET, 2000, 'created'],
      [1, MATRIZ, 1000, 'created'],
    ]);
    expect(result.movements.every((m) => m.audit[0]!.actor === 'bia' && m.audit[0]!.detail === `line 0 -> ${OUTLET}`)).toBe(true);
    expect(result.allocation!.explanation.map((line) => [line.lineIndex, line.outcome, line.summary])).toEqual([
      [0, 'covered', '2 from Outlet, chosen by a person'],
      [1, 'covered', '1 from Matriz (priority 1).'],
    ]);
    // The movements the choice replaced are cancelled, not left holding stock.
    expect((await s.pipeline.getOrder(id)).movements.filter((m) => m.state === 'cancelled').map((m) => m.companyCnpj)).toEqual([MATRIZ, MATRIZ]);
  });

  it('a person\'s choice under all-or-nothing is held with the rest when the rest cannot be covered', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(OUTLET, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 500);
    const id = await imported(s, '46', [line('A', 2), line('B', 1)]);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(result.movements).toEqual([]);
    expect(result.allocation!.shortfalls).toEqual([{ lineIndex: 1, sku: 'B', requestedMilli: 1000, allocatedMilli: 0, availableMilli: 500, missingMilli: 500 }]);
    // Partial would have kept the choice and what B has.
    const partial = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    partial.erp.setStock(OUTLET, 'A', 5000);
    partial.erp.setStock(MATRIZ, 'B', 500);
    const pid = await imported(partial, '46', [line('A', 2), line('B', 1)]);
    const kept = await partial.pipeline.createMovements(pid, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(kept.movements.map((m) => [m.lineIndex, m.companyCnpj, m.quantityMilli])).toEqual([[0, OUTLET, 2000], [1, MATRIZ, 500]]);
  });

  it('a choice on an order partly in Mainô keeps what is there and moves only what is missing', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 1000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const id = await imported(s, '47', [line('A', 3)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    // The Filial's part fails its check; the Matriz's part is validated and stays.
    s.erp.setStock(FILIAL, 'A', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    s.erp.setStock(OUTLET, 'A', 5000);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    const live = (await s.pipeline.getOrder(id)).movements.filter((m) => m.state !== 'cancelled');
    expect(live.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 1000, 'synced'], [OUTLET, 2000, 'created']]);
    expect(result.movements.map((m) => [m.companyCnpj, m.quantityMilli])).toContainEqual([OUTLET, 2000]);
  });
});

describe('cancel step: a company with two Mainô orders for one order', () => {
  it('cancels both: the first order and the one a line mapped later got', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'CAM-P', 5000);
    s.erp.setStock(MATRIZ, 'BONE', 1000);
    s.connector.put(order('50', [line('CAM-P', 2), { name: 'Boné (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    for (const step of ['first', 'top-up'] as const) {
      if (step === 'top-up') await s.pipeline.mapOrderLine('loja:50', 1, 'BONE', 'bia');
      await allocateSyncCreate(s, 'loja:50');
    }
    expect(s.erp.createdOrders(MATRIZ).map((o) => o.externalReference)).toEqual([`conecta:loja:50:${MATRIZ}`, `conecta:loja:50:${MATRIZ}:2`]);
    expect(await s.pipeline.cancel('loja:50', { actor: 'bia' })).toEqual({ released: 0, reversed: 2 });
    expect(s.erp.createdOrders(MATRIZ).map((o) => o.status)).toEqual(['cancelled', 'cancelled']);
    expect(s.erp.stockOf(MATRIZ, 'BONE')!.availableMilli).toBe(1000);
    expect(s.erp.stockOf(MATRIZ, 'CAM-P')!.availableMilli).toBe(5000);
  });
});

describe('ERP order step: the order breakdown', () => {
  for (const [label, totals, charges] of [
    ['only freight', { shippingCents: 990, discountCents: 0, feesCents: 0 }, { shippingCents: 990, discountCents: 0, otherExpensesCents: 0 }],
    ['only a discount', { shippingCents: 0, discountCents: 500, feesCents: 0 }, { shippingCents: 0, discountCents: 500, otherExpensesCents: 0 }],
    ['only fees', { shippingCents: 0, discountCents: 0, feesCents: 299 }, { shippingCents: 0, discountCents: 0, otherExpensesCents: 299 }],
    ['nothing', { shippingCents: 0, discountCents: 0, feesCents: 0 }, undefined],
    // A Pix discount that WooCommerce stores give as a negative fee: an NF-e has no negative "outras despesas".
    ['a negative fee as a discount', { shippingCents: 0, discountCents: 500, feesCents: -150 }, { shippingCents: 0, discountCents: 650, otherExpensesCents: 0 }],
  ] as const) {
    it(`carries ${label} on the lead company's order`, async () => {
      const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
      s.erp.setStock(MATRIZ, 'X', 5000);
      const itemsCents = 10000;
      s.connector.put(order('60', [line('X', 1, itemsCents)], { totals: { itemsCents, ...totals, taxCents: 0, totalCents: itemsCents + totals.shippingCents - totals.discountCents + totals.feesCents } }));
      await s.pipeline.poll('loja');
      await s.pipeline.createMovements('loja:60', { actor: 'ana' });
      await s.pipeline.sync('loja:60', { actor: 'ana' });
      await s.pipeline.createErpOrder('loja:60', { actor: 'ana' });
      const [created] = s.erp.createdOrders(MATRIZ);
      expect(created!.input.charges).toEqual(charges);
      expect('charges' in created!.input).toBe(charges !== undefined);
    });
  }
});

describe('allocate step: stock counted once', () => {
  it('a line mapped later is planned net of what the order\'s own open movements already hold', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 4000);
    s.erp.setStock(FILIAL, 'A', 5000);
    s.connector.put(order('70', [line('A', 3), { name: 'Caneca (sem SKU)', quantityMilli: 2000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    const first = await s.pipeline.createMovements('loja:70', { actor: 'ana' });
    expect(first.movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 3000, 'created']]);
    await s.pipeline.mapOrderLine('loja:70', 1, 'A', 'bia');
    const topUp = await s.pipeline.createMovements('loja:70', { actor: 'bia' });
    // Matriz shows 4 in Mainô, but 3 of them are this order's own line 0: only 1 is left for line 1.
    expect(topUp.movements.filter((m) => m.lineIndex === 1).map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([[MATRIZ, 1000], [FILIAL, 1000]]);
    const held = topUp.movements.filter((m) => m.companyCnpj === MATRIZ).reduce((sum, m) => sum + m.quantityMilli, 0);
    expect(held).toBe(4000);
  });

  it('two lines a person sends to the same company draw on one balance: the second is refused when the first took the stock', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(OUTLET, 'A', 3000);
    const id = await imported(s, '71', [line('A', 2), line('A', 2)]);
    const error = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }, { lineIndex: 1, companyCnpj: OUTLET }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StockShortfallError);
    expect(error).toMatchObject({ lineIndex: 1, sku: 'A', companyCnpj: OUTLET, availableMilli: 1000, neededMilli: 2000 });
    expect(await s.store.getMovements(id)).toEqual([]);
  });

  it('a covered order emits no shortfall event; a chosen line is explained with its company', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(OUTLET, 'A', 5000);
    const id = await imported(s, '72', [line('A', 2)]);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(named(s.events, 'shortfall')).toEqual([]);
    expect(result.allocation!.explanation).toEqual([
      { lineIndex: 0, outcome: 'covered', sku: 'A', requestedMilli: 2000, chosen: [{ companyCnpj: OUTLET, quantityMilli: 2000 }], skipped: [], summary: '2 from Outlet, chosen by a person' },
    ]);
    expect(result.allocation!.complete).toBe(true);
  });

  it('a held override plan says it is not complete', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(OUTLET, 'A', 5000);
    const id = await imported(s, '73', [line('A', 2), line('B', 1)]);
    const result = await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(result.allocation!.complete).toBe(false);
    expect(result.allocation!.explanation.map((line) => line.lineIndex)).toEqual([0, 1]);
  });

  it('with snapshots, the audit says how old the stock the plan read was; without, it says nothing of it', async () => {
    for (const stockFreshnessMs of [60_000, 0]) {
      const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], stockFreshnessMs });
      s.erp.setStock(MATRIZ, 'A', 5000);
      const id = await imported(s, '74', [line('A', 1)]);
      const { movements } = await s.pipeline.createMovements(id, { actor: 'ana' });
      const detail = movements[0]!.audit[0]!.detail;
      if (stockFreshnessMs > 0) expect(detail).toMatch(/^stock read at \d{4}-\d\d-\d\dT[\d:.]+Z \(\d+\.\d s old\)$/);
      else expect(detail).toBeUndefined();
    }
  });
});

describe('sync and ERP order steps with stock snapshots', () => {
  it('a check right after the allocation uses the snapshot it read: Mainô is not asked per product', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], stockFreshnessMs: 60_000 });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '80', [line('A', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    const before = s.erp.calls.length;
    const result = await s.pipeline.sync(id, { actor: 'ana' });
    expect(result.synced).toHaveLength(1);
    expect(s.erp.calls.slice(before).filter((call) => call.operation === 'findProduct')).toEqual([]);
    expect(result.synced[0]!.audit.at(-1)!.detail).toMatch(/^checked against Mainô stock read at .+ \(\d+\.\d s old\)$/);
  });

  it('an order found stored by an earlier run has its company\'s stock read again (it was counted twice until now)', async () => {
    for (const stockFreshnessMs of [60_000, 0]) {
      const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], stockFreshnessMs });
      s.erp.setStock(MATRIZ, 'A', 5000);
      const id = await imported(s, '81', [line('A', 1)]);
      await s.pipeline.createMovements(id, { actor: 'ana' });
      await s.pipeline.sync(id, { actor: 'ana' });
      await s.erp.createSalesOrder(MATRIZ, { externalReference: `conecta:loja:81:${MATRIZ}`, tag: 'Loja Virtual', orderNumber: '#81', customer: { name: 'x' }, issuedAt: minute(1), lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 1000 }] });
      const before = s.erp.calls.length;
      expect((await s.pipeline.createErpOrder(id, { actor: 'ana' })).created[0]!.reused).toBe(true);
      const reads = s.erp.calls.slice(before).filter((call) => call.operation === 'getStock' || call.operation === 'listStock');
      if (stockFreshnessMs > 0) expect(reads.map((call) => call.cnpj)).toEqual([MATRIZ]);
      else expect(reads).toEqual([]);
    }
  });
});

describe('ERP order step after a change of plan', () => {
  it('movements a person\'s choice cancelled do not hold back the Mainô order of the company chosen', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(OUTLET, 'A', 5000);
    const id = await imported(s, '90', [line('A', 2)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.createMovements(id, { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    await s.pipeline.sync(id, { actor: 'bia' });
    const result = await s.pipeline.createErpOrder(id, { actor: 'bia' });
    expect(result).toEqual({ created: [expect.objectContaining({ companyCnpj: OUTLET, reused: false })], pending: [], refused: [] });
    expect(s.erp.createdOrders(MATRIZ)).toEqual([]);
    expect(s.erp.createdOrders(OUTLET)[0]!.lines).toEqual([{ sku: 'A', name: 'Produto A', quantityMilli: 2000, unitPriceCents: 1000 }]);
  });
});

describe('ERP order step: all-or-nothing and the lead company', () => {
  it('a company with one line validated and one failed blocks the whole order, and every other company names the blockers', async () => {
    const s = setup({ allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(MATRIZ, 'B', 5000);
    s.erp.setStock(FILIAL, 'C', 5000);
    s.erp.setStock(OUTLET, 'D', 5000);
    const id = await imported(s, '91', [line('A', 1), line('B', 1), line('C', 1), line('D', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    // B (Matriz) and C (Filial) are sold elsewhere before the check; A (Matriz) and D (Outlet) pass.
    s.erp.setStock(MATRIZ, 'B', 0);
    s.erp.setStock(FILIAL, 'C', 0);
    await s.pipeline.sync(id, { actor: 'ana' });
    const result = await s.pipeline.createErpOrder(id, { actor: 'ana' });
    expect(result.created).toEqual([]);
    expect(result.pending).toEqual([
      { companyCnpj: MATRIZ, reason: '1 movement(s) not synced yet', retryable: true },
      { companyCnpj: FILIAL, reason: '1 movement(s) not synced yet', retryable: true },
      { companyCnpj: OUTLET, reason: `waiting for the other companies of the order (${MATRIZ}, ${FILIAL}): all-or-nothing`, retryable: true },
    ]);
    expect(s.erp.createdOrders()).toEqual([]);
  });

  it('freight and fees go with the first company by priority that still supplies the order', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'X', 5000);
    s.erp.setStock(FILIAL, 'X', 5000);
    s.connector.put(order('92', [line('X', 1, 10000)], { totals: { itemsCents: 10000, shippingCents: 1590, discountCents: 0, feesCents: 299, taxCents: 0, totalCents: 11889 } }));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:92', { actor: 'ana' });
    // A person moves the line from the Matriz to the Filial: the Matriz supplies nothing now.
    await s.pipeline.createMovements('loja:92', { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: FILIAL }] });
    await s.pipeline.sync('loja:92', { actor: 'bia' });
    await s.pipeline.createErpOrder('loja:92', { actor: 'bia' });
    expect(s.erp.createdOrders(MATRIZ)).toEqual([]);
    expect(s.erp.createdOrders(FILIAL)[0]!.input.charges).toEqual({ shippingCents: 1590, discountCents: 0, otherExpensesCents: 299 });
  });

  it('a create that fails with an error that is not Conecta\'s is retried later, with a reason that says what failed', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.connector.put(order('93', [line('A', 1)]));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:93', { actor: 'ana' });
    await s.pipeline.sync('loja:93', { actor: 'ana' });
    s.erp.failNext('createSalesOrder', new Error('socket hang up'));
    const result = await s.pipeline.createErpOrder('loja:93', { actor: 'ana' });
    expect(result.pending).toHaveLength(1);
    expect(result.pending[0]!.reason).toContain('ERP order creation failed');
  });
});

describe('sync step: the order\'s own validated movements', () => {
  it('a line mapped later is checked together with the validated, not yet created, movements of the same product', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 4000);
    s.connector.put(order('94', [line('A', 3), { name: 'Caneca (sem SKU)', quantityMilli: 1000, unitPriceCents: 1000, productRef: { productId: '93' } }]));
    await s.pipeline.poll('loja');
    await s.pipeline.createMovements('loja:94', { actor: 'ana' });
    // Line 0 is validated; its Mainô order is not created yet (one order per company holds all its lines).
    expect((await s.pipeline.sync('loja:94', { actor: 'ana' })).synced).toHaveLength(1);
    await s.pipeline.mapOrderLine('loja:94', 1, 'A', 'bia');
    const topUp = await s.pipeline.createMovements('loja:94', { actor: 'bia' });
    expect(topUp.movements.find((m) => m.lineIndex === 1)).toMatchObject({ companyCnpj: MATRIZ, quantityMilli: 1000 });
    // One unit is sold at the counter: Mainô has 3, and the Matriz's order will ask for 3 + 1.
    s.erp.setStock(MATRIZ, 'A', 3000);
    const result = await s.pipeline.sync('loja:94', { actor: 'bia' });
    expect(result.synced).toEqual([]);
    expect(result.failed.map((m) => [m.lineIndex, m.failure!.code])).toEqual([[1, 'SHORTFALL']]);
  });
});

describe('allocate step: planning again', () => {
  it('after Mainô refuses for lack of stock, the refused lines are planned again on fresh figures and created', async () => {
    const s = setup({ refuseOversell: true, integration: { mode: 'automatic' }, allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    s.erp.setStock(MATRIZ, 'A', 5000);
    s.erp.setStock(FILIAL, 'A', 5000);
    const realCreate = s.erp.createSalesOrder.bind(s.erp);
    let sold = false;
    s.erp.createSalesOrder = async (cnpj, input, options) => {
      if (!sold) {
        // Sold at the Matriz's counter between the check and the create: 1 unit left.
        sold = true;
        s.erp.setStock(MATRIZ, 'A', 1000);
      }
      return realCreate(cnpj, input, options);
    };
    s.connector.put(order('95', [line('A', 2)]));
    await s.pipeline.poll('loja');
    expect((await s.pipeline.process('loja:95')).outcome).toBe('done');
    const movements = (await s.pipeline.getOrder('loja:95')).movements;
    expect(movements.filter((m) => m.state === 'cancelled').map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([[MATRIZ, 2000]]);
    expect(movements.filter((m) => m.state === 'done').map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([[MATRIZ, 1000], [FILIAL, 1000]]);
    expect(movements.filter((m) => m.state === 'done').every((m) => m.audit[0]!.detail === 'planned again after Mainô refused for lack of stock')).toBe(true);
    expect(s.erp.createdOrders().filter((o) => o.status === 'open').map((o) => [o.cnpj, o.lines[0]!.quantityMilli])).toEqual([[MATRIZ, 1000], [FILIAL, 1000]]);
  });

  it('movements released by a cancel of a still pending order are planned anew on the next allocation', async () => {
    const s = setup();
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '96', [line('A', 2)]);
    const first = await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.cancel(id, { actor: 'ana' });
    const again = await s.pipeline.createMovements(id, { actor: 'ana' });
    expect(again.created).toBe(true);
    expect(again.movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 2000, 'created']]);
    expect(again.movements[0]!.id).not.toBe(first.movements[0]!.id);
  });
});

describe('pipeline steps: refusals name the order', () => {
  it('an unknown order is named in every step\'s NotFoundError, a cancelled one by its number in the ConflictError', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    for (const step of [
      () => s.pipeline.createMovements('loja:nope', { actor: 'ana' }),
      () => s.pipeline.sync('loja:nope', { actor: 'ana' }),
      () => s.pipeline.createErpOrder('loja:nope', { actor: 'ana' }),
      () => s.pipeline.cancel('loja:nope', { actor: 'ana' }),
    ]) {
      await expect(step()).rejects.toThrow(new NotFoundError('order loja:nope not found'));
    }
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '97', [line('A', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    await s.pipeline.ingest('loja', [order('97', [line('A', 1)], { status: 'cancelled', updatedAt: minute(9) })]);
    await expect(s.pipeline.sync(id, { actor: 'ana' })).rejects.toThrow('order #97 is cancelled');
    await expect(s.pipeline.createErpOrder(id, { actor: 'ana' })).rejects.toThrow('order #97 is cancelled');
  });
});

describe('sync step: recovery', () => {
  it('a movement validated after a failure carries no failure any more; an error that is not Conecta\'s is recorded as a failed check', async () => {
    const s = setup({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    s.erp.setStock(MATRIZ, 'A', 5000);
    const id = await imported(s, '98', [line('A', 1)]);
    await s.pipeline.createMovements(id, { actor: 'ana' });
    s.erp.failNext('findProduct', new Error('socket hang up'));
    const failed = await s.pipeline.sync(id, { actor: 'ana' });
    expect(failed.failed[0]!.failure!.reason).toContain('ERP check failed');
    const synced = await s.pipeline.sync(id, { actor: 'ana' });
    expect(synced.synced).toHaveLength(1);
    expect(synced.synced[0]!.failure ?? null).toBeNull();
    expect((await s.pipeline.getOrder(id)).movements[0]!.failure ?? null).toBeNull();
  });
});
