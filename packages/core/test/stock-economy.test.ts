import { describe, expect, it } from 'vitest';
import {
  CompanyGroupSchema,
  IntegrationSchema,
  createMemoryStore,
  createPipeline,
  createRunner,
  type ErpPort,
  type PlatformOrder,
  type Store,
} from '../src/index.js';
import { createMemoryConnector, createMemoryErp, platformOrder, type MemoryConnector, type MemoryErp } from '../src/testing/index.js';

const MATRIZ = '11222333000181';
const FILIAL = '45723174000110';

const line = (sku: string, units: number) => ({ sku, name: `Produto ${sku}`, quantityMilli: units * 1000, unitPriceCents: 1000 });
const order = (externalId: string, lines: PlatformOrder['lines'], minute = 1) =>
  platformOrder(externalId, { lines, createdAt: `2026-03-01T10:0${minute}:00.000Z`, updatedAt: `2026-03-01T10:0${minute}:00.000Z` });

/** A clock a test moves by hand, shared by the workers of one test; each reading is a millisecond after the last, as time passes. */
function manualClock(start = Date.parse('2026-03-01T12:00:00.000Z')) {
  let now = start;
  return { now: () => new Date((now += 1)), advance: (ms: number) => (now += ms) };
}

interface World {
  store: Store;
  erp: MemoryErp;
  connector: MemoryConnector;
  clock: ReturnType<typeof manualClock>;
  /** A worker: its own pipeline (own snapshots in memory) on the shared store and ERP. */
  worker(options?: { erp?: ErpPort; stockFreshnessMs?: number; process?: 'other' }): ReturnType<typeof createPipeline>;
  events: Array<[string, Record<string, unknown>]>;
}

function world(options: { companies?: string[]; shortfall?: 'all-or-nothing' | 'partial'; refuseOversell?: boolean; stockFreshnessMs?: number; mode?: 'automatic' | 'on-command' } = {}): World {
  const cnpjs = options.companies ?? [MATRIZ];
  const store = createMemoryStore();
  const erp = createMemoryErp({ companies: cnpjs.map((cnpj) => ({ cnpj })), refuseOversell: options.refuseOversell ?? false });
  const connector = createMemoryConnector({ platform: 'memory', pageSize: 10 });
  const group = CompanyGroupSchema.parse({
    id: 'grupo',
    name: 'Grupo',
    companies: cnpjs.map((cnpj, index) => ({ cnpj, name: `Empresa ${index + 1}`, priority: index + 1 })),
    allocation: { strategy: 'priority-greedy', shortfall: options.shortfall ?? 'all-or-nothing' },
  });
  const integration = IntegrationSchema.parse({ id: 'loja', platform: 'memory', name: 'Loja', groupId: 'grupo', mode: options.mode ?? 'automatic', statusDictionary: connector.defaultStatusDictionary });
  const clock = manualClock();
  const events: World['events'] = [];
  return {
    store,
    erp,
    connector,
    clock,
    events,
    worker(workerOptions = {}) {
      const pipeline = createPipeline({
        // Another process has its own connection to the store (and its own in-process guards keyed by it).
        store: workerOptions.process === 'other' ? { ...store } : store,
        erp: workerOptions.erp ?? erp,
        groups: [group],
        integrations: [{ integration, connector }],
        now: clock.now,
        stockFreshnessMs: workerOptions.stockFreshnessMs ?? options.stockFreshnessMs,
      });
      for (const name of ['stock-refused', 'held-requeued', 'shortfall'] as const) {
        pipeline.events.on(name, (event) => events.push([name, event as Record<string, unknown>]));
      }
      return pipeline;
    },
  };
}

/** The ERP as a worker sees it when it dies inside a create: Mainô stores the order, the answer never arrives. */
function dyingInsideCreate(erp: MemoryErp): { erp: ErpPort; stored: Promise<void> } {
  let markStored!: () => void;
  const stored = new Promise<void>((resolve) => (markStored = resolve));
  return {
    stored,
    erp: {
      findProduct: (...args) => erp.findProduct(...args),
      getStock: (...args) => erp.getStock(...args),
      listStock: (...args) => erp.listStock!(...args),
      findSalesOrderByReference: (...args) => erp.findSalesOrderByReference(...args),
      cancelSalesOrder: (...args) => erp.cancelSalesOrder(...args),
      async createSalesOrder(...args) {
        await erp.createSalesOrder(...args);
        markStored();
        return new Promise(() => undefined);
      },
    },
  };
}

const stockCalls = (erp: MemoryErp) => erp.calls.filter((call) => call.operation === 'getStock' || call.operation === 'listStock' || call.operation === 'findProduct');

describe('stock snapshots shared by workers', () => {
  it('answers allocation and the Sincronizar check from one listing per company, shared through the store', async () => {
    const w = world({ companies: [MATRIZ, FILIAL] });
    w.erp.setStock(MATRIZ, 'A', 3000);
    w.erp.setStock(FILIAL, 'A', 9000);
    w.erp.setStock(FILIAL, 'B', 9000);
    for (let index = 0; index < 6; index += 1) w.connector.put(order(`o${index}`, [line('A', 1), line('B', 1)]));
    const first = w.worker();
    const second = w.worker();
    await first.poll('loja');
    expect((await first.process('loja:o0')).outcome).toBe('done');
    // One listing per company, then only creates: the check after the allocation read nothing more.
    expect(stockCalls(w.erp).map((call) => [call.operation, call.cnpj])).toEqual([
      ['listStock', MATRIZ],
      ['listStock', FILIAL],
    ]);
    for (let index = 1; index < 6; index += 1) expect((await (index % 2 ? second : first).process(`loja:o${index}`)).outcome).toBe('done');
    // The second worker found the snapshot in the store and asked Mainô nothing about stock.
    expect(stockCalls(w.erp)).toHaveLength(2);
    // The first three split (A from MATRIZ, B from FILIAL), the last three come whole from FILIAL.
    expect(w.erp.calls.filter((call) => call.operation === 'createSalesOrder')).toHaveLength(9);
    expect(w.erp.calls.filter((call) => call.operation === 'findSalesOrderByReference')).toHaveLength(0);
    // Our own orders are counted by the snapshot's reservations: MATRIZ's 3 units of A went to the first three.
    expect(w.erp.stockOf(MATRIZ, 'A')).toMatchObject({ availableMilli: 0 });
    expect(w.erp.stockOf(FILIAL, 'A')).toMatchObject({ availableMilli: 6000 });
    const detail = await second.getOrder('loja:o5');
    expect(detail.movements[0]!.audit.find((entry) => entry.action === 'sync')!.detail).toMatch(/stock read at .* \(\d+\.\d s old\)/);
  });

  // The second check comes after `advanceMs`: past the bound, or at once with a bound of 0 (today's behaviour: a
  // Mainô read for every check, nothing kept in the store).
  for (const { stockFreshnessMs, advanceMs, calls, stored } of [
    { stockFreshnessMs: 10_000, advanceMs: 10_001, calls: ['listStock', 'listStock'], stored: expect.objectContaining({ listings: [expect.objectContaining({ cnpj: MATRIZ })] }) },
    { stockFreshnessMs: 0, advanceMs: 0, calls: ['getStock', 'getStock'], stored: { levels: [], listings: [] } },
  ]) {
    it(`reads Mainô again for a check the snapshot is too old for (stockFreshnessMs ${stockFreshnessMs}, next check ${advanceMs} ms later)`, async () => {
      const w = world({ stockFreshnessMs });
      w.erp.setStock(MATRIZ, 'A', 9000);
      w.connector.put(order('o1', [line('A', 1)]));
      w.connector.put(order('o2', [line('A', 1)]));
      const worker = w.worker();
      await worker.poll('loja');
      await worker.process('loja:o1');
      w.clock.advance(advanceMs);
      await worker.process('loja:o2');
      expect(stockCalls(w.erp).map((call) => call.operation)).toEqual(calls);
      expect(await w.store.readStock!([MATRIZ], ['A'])).toEqual(stored);
    });
  }

  it('says a SKU the listing did not show does not exist, without a lookup', async () => {
    const w = world();
    w.erp.setStock(MATRIZ, 'A', 9000);
    w.connector.put(order('o1', [line('NOPE', 1)]));
    const worker = w.worker();
    await worker.poll('loja');
    expect((await worker.process('loja:o1')).outcome).toBe('shortfall');
    expect(stockCalls(w.erp).map((call) => call.operation)).toEqual(['listStock']);
  });
});

describe('honest failure when the snapshot was wrong', () => {
  it('sends the lines back to allocation on fresh figures when Mainô refuses for lack of stock, never overselling', async () => {
    const w = world({ companies: [MATRIZ, FILIAL], refuseOversell: true });
    w.erp.setStock(MATRIZ, 'A', 5000);
    w.erp.setStock(FILIAL, 'A', 5000);
    w.connector.put(order('o1', [line('A', 1)]));
    w.connector.put(order('o2', [line('A', 4)]));
    const worker = w.worker();
    await worker.poll('loja');
    await worker.process('loja:o1');
    // Sold at the counter, behind the SDK's back: the snapshot still says 4 free in MATRIZ.
    w.erp.setStock(MATRIZ, 'A', 2000);
    expect((await worker.process('loja:o2')).outcome).toBe('done');
    const detail = await worker.getOrder('loja:o2');
    expect(detail.movements.map((m) => [m.companyCnpj, m.state, m.quantityMilli])).toEqual([
      [MATRIZ, 'cancelled', 4000],
      [FILIAL, 'done', 4000],
    ]);
    expect(detail.movements[0]!.audit.at(-1)).toMatchObject({ action: 'stock-refused' });
    const refused = w.events.find(([name]) => name === 'stock-refused')![1];
    expect(refused).toMatchObject({ orderId: 'loja:o2', companyCnpj: MATRIZ, fresh: [{ sku: 'A', availableMilli: 1000 }] });
    expect(String(refused['reason'])).toMatch(/not enough stock/);
    // The snapshot every worker reads was corrected.
    const stored = await w.store.readStock!([MATRIZ], ['A']);
    expect(stored.levels.find((level) => level.cnpj === MATRIZ)?.availableMilli).toBe(1000);
    for (const cnpj of [MATRIZ, FILIAL]) expect(w.erp.stockOf(cnpj, 'A')!.availableMilli).toBeGreaterThanOrEqual(0);
  });
});

describe('stock accounting that never counts twice', () => {
  for (const stockFreshnessMs of [0, 30_000]) {
    it(`issue's smallest case (stockFreshnessMs ${stockFreshnessMs}): Y, held while X's order was in Mainô but not marked done, allocates once X is recovered`, async () => {
      const w = world({ stockFreshnessMs });
      w.erp.setStock(MATRIZ, 'P', 4000);
      w.erp.setStock(MATRIZ, 'Q', 4000);
      w.connector.put(order('X', [line('P', 3), line('Q', 2)], 1));
      w.connector.put(order('Y', [line('P', 1), line('Q', 2)], 2));
      const dying = dyingInsideCreate(w.erp);
      const doomed = w.worker({ erp: dying.erp, process: 'other' });
      const survivor = w.worker();
      await survivor.poll('loja');
      // The doomed worker leases X and dies inside its create, after Mainô stored it.
      const [claimX] = await w.store.claimOrders({ limit: 1, owner: 'doomed', leaseMs: 120_000, now: w.clock.now().toISOString() });
      expect(claimX!.order.id).toBe('loja:X');
      void doomed.process('loja:X');
      await dying.stored;
      expect(w.erp.stockOf(MATRIZ, 'P')).toMatchObject({ availableMilli: 1000 });

      // The survivor's snapshot is read after Mainô stored X, so X's synced movements are counted twice for now.
      w.clock.advance(31_000);
      const runner = createRunner(survivor, { leaseMs: 120_000 });
      await runner.drain();
      const y = await survivor.getOrder('loja:Y');
      expect(y.movements).toEqual([]);

      // X's lease expires; the survivor finds X's order by its reference, marks it done, and Y gets another chance.
      w.clock.advance(121_000);
      await runner.drain();
      const x = await survivor.getOrder('loja:X');
      expect(x.movements.map((m) => m.state)).toEqual(['done', 'done']);
      expect(w.erp.countByReference(MATRIZ, `conecta:loja:X:${MATRIZ}`)).toBe(1);
      const after = await survivor.getOrder('loja:Y');
      expect(after.movements.map((m) => [m.sku, m.quantityMilli, m.state])).toEqual([
        ['P', 1000, 'done'],
        ['Q', 2000, 'done'],
      ]);
      expect(w.erp.stockOf(MATRIZ, 'P')).toMatchObject({ availableMilli: 0 });
      expect(w.erp.stockOf(MATRIZ, 'Q')).toMatchObject({ availableMilli: 0 });
      expect(w.events.some(([name]) => name === 'held-requeued')).toBe(true);
    });
  }

  it('re-evaluates a held order when a cancellation frees the stock it waits for', async () => {
    const w = world();
    w.erp.setStock(MATRIZ, 'A', 2000);
    w.connector.put(order('first', [line('A', 2)], 1));
    w.connector.put(order('second', [line('A', 2)], 2));
    const worker = w.worker();
    const runner = createRunner(worker);
    await runner.drain();
    expect((await worker.getOrder('loja:second')).movements).toEqual([]);
    w.connector.put({ ...order('first', [line('A', 2)], 1), status: 'cancelled', updatedAt: '2026-03-01T10:05:00.000Z' });
    // The snapshot is still fresh: the cancelled order's release is what makes room, and what wakes the held one.
    await runner.drain();
    expect((await worker.getOrder('loja:first')).movements.map((m) => m.state)).toEqual(['reversed']);
    expect((await worker.getOrder('loja:second')).movements.map((m) => m.state)).toEqual(['done']);
  });

  it('retries held orders on a schedule in automatic mode', async () => {
    const w = world();
    w.erp.setStock(MATRIZ, 'A', 0);
    w.connector.put(order('o1', [line('A', 1)]));
    const worker = w.worker();
    const runner = createRunner(worker, { heldRetryMs: 50, workIntervalMs: 10, pollIntervalMs: 60_000 });
    await runner.drain();
    expect((await worker.getOrder('loja:o1')).movements).toEqual([]);
    // A purchase entered in Mainô: no event tells the SDK.
    w.erp.setStock(MATRIZ, 'A', 5000);
    w.clock.advance(31_000);
    runner.start();
    const deadline = Date.now() + 5000;
    while ((await worker.getOrder('loja:o1')).movements.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await runner.stop();
    expect((await worker.getOrder('loja:o1')).movements.map((m) => m.state)).toEqual(['done']);
  });

  it('re-evaluates held orders when a snapshot refresh shows more of the stock they wait for, before the schedule', async () => {
    const w = world();
    w.erp.setStock(MATRIZ, 'A', 1000);
    w.erp.setStock(MATRIZ, 'B', 5000);
    w.connector.put(order('held', [line('A', 3)], 1));
    const worker = w.worker();
    const runner = createRunner(worker, { heldRetryMs: 0 });
    await runner.drain();
    expect((await worker.getOrder('loja:held')).movements).toEqual([]);
    // A purchase entered in Mainô; the next order's check refreshes the stale snapshot and sees A rise.
    w.erp.setStock(MATRIZ, 'A', 4000);
    w.clock.advance(31_000);
    w.connector.put(order('other', [line('B', 1)], 2));
    await runner.drain();
    expect(w.events.some(([name, event]) => name === 'held-requeued' && event['count'] === 1)).toBe(true);
    await runner.drain();
    expect((await worker.getOrder('loja:held')).movements.map((m) => [m.quantityMilli, m.state])).toEqual([[3000, 'done']]);
  });

  it('re-evaluates held orders when a person moves a line to another company and releases the stock it held', async () => {
    const w = world({ companies: [MATRIZ, FILIAL] });
    w.erp.setStock(MATRIZ, 'A', 2000);
    w.erp.setStock(FILIAL, 'A', 5000);
    const worker = w.worker();
    w.connector.put(order('first', [line('A', 2)], 1));
    await worker.poll('loja');
    // The first order reserves Matriz's two units; the second wants them too (single-company lines go to Matriz).
    await worker.createMovements('loja:first', { actor: 'system' });
    w.connector.put(order('second', [line('A', 2)], 2));
    await worker.poll('loja');
    await w.store.setWorkPending('loja:second', false);
    const requeued = w.events.length;
    await worker.createMovements('loja:first', { actor: 'ana@loja', overrides: [{ lineIndex: 0, companyCnpj: FILIAL }] });
    expect(w.events.slice(requeued).some(([name, event]) => name === 'held-requeued' && event['count'] === 1)).toBe(true);
  });
});

describe('held orders in on-command mode: ready to try again', () => {
  const listing = async (pipeline: ReturnType<World['worker']>) => (await pipeline.listOrders({ integrationId: 'loja', filter: 'all' })).items;

  it('lists the held orders whose lines the free stock now covers, oldest first, each keeping what it would take', async () => {
    const w = world({ mode: 'on-command', stockFreshnessMs: 30_000 });
    w.erp.setStock(MATRIZ, 'A', 0);
    w.erp.setStock(MATRIZ, 'B', 1000);
    w.connector.put(order('big', [line('A', 2)], 1));
    w.connector.put(order('one', [line('A', 1)], 2));
    w.connector.put(order('also-one', [line('A', 1)], 3));
    w.connector.put(order('allocated', [line('B', 1)], 4));
    w.connector.put(order('never-tried', [line('A', 1)], 5));
    w.connector.put(order('wants-b', [line('B', 1)], 6));
    const worker = w.worker();
    await worker.poll('loja');
    // A person tries three orders while Mainô has no A: each falls short, nothing is reserved, and each is held.
    for (const id of ['big', 'one', 'also-one']) expect((await worker.createMovements(`loja:${id}`, { actor: 'ana@loja' })).movements).toEqual([]);
    await worker.createMovements('loja:allocated', { actor: 'ana@loja' });
    expect((await worker.createMovements('loja:wants-b', { actor: 'ana@loja' })).movements).toEqual([]);
    const held = (await listing(worker)).filter((item) => item.order.heldAt !== undefined).map((item) => item.order.id);
    expect(held.sort()).toEqual(['loja:also-one', 'loja:big', 'loja:one', 'loja:wants-b']);
    expect((await worker.readyToRetry(await listing(worker))).size).toBe(0);

    // One unit arrives in Mainô; once the snapshot is older than the bound the check reads it: the older one-unit
    // order is ready, the newer waits behind it, the big one is still short, and an order nobody tried is not held.
    w.erp.setStock(MATRIZ, 'A', 1000);
    expect((await worker.readyToRetry(await listing(worker))).size).toBe(0);
    w.clock.advance(31_000);
    expect([...(await worker.readyToRetry(await listing(worker)))]).toEqual(['loja:one']);

    w.erp.setStock(MATRIZ, 'A', 4000);
    w.clock.advance(31_000);
    expect([...(await worker.readyToRetry(await listing(worker)))].sort()).toEqual(['loja:also-one', 'loja:big', 'loja:one']);

    // The person tries again: the big order takes two units, and the other two still fit in what is left.
    const retried = await worker.createMovements('loja:big', { actor: 'ana@loja' });
    expect(retried.movements.map((m) => m.quantityMilli)).toEqual([2000]);
    expect([...(await worker.readyToRetry(await listing(worker)))].sort()).toEqual(['loja:also-one', 'loja:one']);
    // B's only unit is still reserved by the allocated order.
    expect(await worker.readyToRetry(await listing(worker))).not.toContain('loja:wants-b');
  });

  it('holds an order Mainô refused for lack of stock, and says when the stock is back', async () => {
    const w = world({ mode: 'on-command', refuseOversell: true, stockFreshnessMs: 30_000 });
    w.erp.setStock(MATRIZ, 'A', 2000);
    w.connector.put(order('o1', [line('A', 2)], 1));
    const worker = w.worker();
    await worker.poll('loja');
    expect((await worker.createMovements('loja:o1', { actor: 'ana@loja' })).movements).toHaveLength(1);
    await worker.sync('loja:o1', { actor: 'ana@loja' });
    // A counter sale in Mainô after the check: the create is refused and the movement released.
    w.erp.setStock(MATRIZ, 'A', 1000);
    const created = await worker.createErpOrder('loja:o1', { actor: 'ana@loja' });
    expect(created.refused).toHaveLength(1);
    const { order: held, movements } = await worker.getOrder('loja:o1');
    expect(movements.map((m) => m.state)).toEqual(['cancelled']);
    expect(held.heldAt).toBeDefined();
    expect((await worker.readyToRetry(await listing(worker))).size).toBe(0);
    // The refusal corrected the snapshot; a purchase later brings the stock back.
    w.erp.setStock(MATRIZ, 'A', 3000);
    w.clock.advance(31_000);
    expect([...(await worker.readyToRetry(await listing(worker)))]).toEqual(['loja:o1']);
  });

  it('reads Mainô for the check when stockFreshnessMs is 0', async () => {
    const w = world({ mode: 'on-command', stockFreshnessMs: 0 });
    w.erp.setStock(MATRIZ, 'A', 0);
    w.connector.put(order('o1', [line('A', 1)], 1));
    const worker = w.worker();
    await worker.poll('loja');
    expect((await worker.createMovements('loja:o1', { actor: 'ana@loja' })).movements).toEqual([]);
    expect((await worker.readyToRetry(await listing(worker))).size).toBe(0);
    w.erp.setStock(MATRIZ, 'A', 1000);
    expect([...(await worker.readyToRetry(await listing(worker)))]).toEqual(['loja:o1']);
  });
});
