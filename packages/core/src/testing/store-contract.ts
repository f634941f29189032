import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../errors/errors.js';
import type { Movement } from '../models/movement.js';
import { defineStatusDictionary, type OrderIntakeState } from '../models/status-dictionary.js';
import { PlatformOrderSchema, type PlatformOrder, type PlatformOrderInput } from '../models/order.js';
import type { PlannedMovement } from '../allocator/types.js';
import type { AllocationScope, ReservedStock, Store } from '../store/store-port.js';
import { orderSituation } from '../store/order-filters.js';
import { transitionAll } from '../store/transition-all.js';

export interface StoreContractOptions {
  name: string;
  /** A fresh, empty store. */
  create: () => Promise<Store>;
  /**
   * A second store on the same data, as another worker process would open it. Adapters that cannot share data
   * (memory) leave it out and the cross-process cases run on one instance.
   */
  openPeer?: (store: Store) => Promise<Store>;
  /** Simulates a restart: closes the store and opens it again on the same data. */
  reopen?: (store: Store) => Promise<Store>;
}

const A = '11222333000181';
const B = '45723174000110';
/** An alphanumeric CNPJ (IN RFB 2.229/2024): the Receita's example. */
const C = '12ABC34501DE35';
const T0 = '2026-01-10T12:00:00.000Z';

export function platformOrder(externalId: string, overrides: Partial<PlatformOrder> = {}): PlatformOrder {
  return {
    externalId,
    number: `#${externalId}`,
    status: 'paid',
    customer: { name: 'Maria Silva' },
    lines: [{ sku: 'SKU-1', name: 'Camiseta', quantityMilli: 1000, unitPriceCents: 4990 }],
    totals: { itemsCents: 4990, shippingCents: 0, discountCents: 0, feesCents: 0, taxCents: 0, totalCents: 4990 },
    warnings: [],
    createdAt: T0,
    updatedAt: T0,
    raw: { id: externalId },
    ...overrides,
  };
}

/** Greedy plan over a fixed stock for the tests: what the allocator does, reduced to one SKU per line. */
function greedyPlan(order: PlatformOrder, stock: Record<string, Record<string, number>>, companies: string[]) {
  return (reserved: ReservedStock): PlannedMovement[] => {
    const out: PlannedMovement[] = [];
    order.lines.forEach((line, lineIndex) => {
      if (line.sku === undefined) return;
      let missing = line.quantityMilli;
      for (const cnpj of companies) {
        const free = (stock[cnpj]?.[line.sku] ?? 0) - reserved.get(cnpj, line.sku) - out.filter((m) => m.companyCnpj === cnpj && m.sku === line.sku).reduce((sum, m) => sum + m.quantityMilli, 0);
        const take = Math.min(free, missing);
        if (take > 0) {
          out.push({ lineIndex, sku: line.sku, companyCnpj: cnpj, quantityMilli: take, unitPriceCents: line.unitPriceCents });
          missing -= take;
        }
      }
      if (missing > 0) out.length = 0;
    });
    return out;
  };
}

const scope = (skus: string[], snapshotAt = T0): AllocationScope => ({ groupId: 'g1', cnpjs: [A, B], skus, snapshotAt });
const audit = (action: string, at = T0) => ({ at, actor: 'tester', action });

/** The contract every store adapter passes (memory, SQLite, PostgreSQL), concurrency cases included. */
export function describeStoreContract(options: StoreContractOptions): void {
  describe(`store contract: ${options.name}`, () => {
    const open: Store[] = [];
    const fresh = async () => {
      const store = await options.create();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close().catch(() => undefined);
    });

    it('upserts idempotently by integration and external id', async () => {
      const store = await fresh();
      const first = await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1'), intakeState: 'pending', at: T0 });
      const again = await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1'), intakeState: 'pending', at: T0 });
      const otherIntegration = await store.upsertOrder({ integrationId: 'tray', order: platformOrder('1'), intakeState: 'pending', at: T0 });
      expect([first.created, first.changed]).toEqual([true, true]);
      expect([again.created, again.changed]).toEqual([false, false]);
      expect(otherIntegration.created).toBe(true);
      expect(first.order.id).toBe('woo:1');
      expect((await store.listOrders({ integrationId: 'woo' })).total).toBe(1);
      const stored = await store.getOrder('woo:1');
      expect(stored?.lines[0]).toEqual({ sku: 'SKU-1', name: 'Camiseta', quantityMilli: 1000, unitPriceCents: 4990 });
      expect(stored?.raw).toEqual({ id: '1' });
    });

    it('ignores older versions and never revives a cancelled order', async () => {
      const store = await fresh();
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1', { updatedAt: '2026-01-10T12:05:00.000Z', status: 'cancelled' }), intakeState: 'cancelled', at: T0 });
      const older = await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1'), intakeState: 'pending', at: T0 });
      expect(older.changed).toBe(false);
      const later = await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1', { updatedAt: '2026-01-10T12:09:00.000Z', status: 'paid' }), intakeState: 'pending', at: T0 });
      expect(later.order.intakeState).toBe('cancelled');
      expect(later.order.status).toBe('paid');
    });

    it('keeps quarantined payloads and cursors', async () => {
      const store = await fresh();
      expect(await store.getCursor('woo')).toBeNull();
      await store.saveCursor('woo', '{"since":"x"}');
      await store.saveCursor('woo', '{"since":"y"}');
      expect(await store.getCursor('woo')).toBe('{"since":"y"}');
      await store.quarantine({ integrationId: 'woo', externalId: '9', code: 'VALIDATION', path: 'line_items.0.quantity', message: 'bad', raw: { id: 9, line_items: [{ quantity: 'x' }] }, source: 'poll', at: T0 });
      const records = await store.listQuarantine('woo');
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ externalId: '9', path: 'line_items.0.quantity', raw: { id: 9, line_items: [{ quantity: 'x' }] } });
      expect((await store.summary('woo')).quarantined).toBe(1);
    });

    it('reads one quarantined payload by id and takes it out once, as seen by peers', async () => {
      const store = await fresh();
      const first = await store.quarantine({ integrationId: 'woo', externalId: '9', code: 'VALIDATION', path: 'total', message: 'bad', raw: { id: 9 }, source: 'poll', at: T0 });
      const second = await store.quarantine({ integrationId: 'woo', externalId: '10', code: 'VALIDATION', path: 'total', message: 'bad', raw: { id: 10 }, source: 'webhook', at: T0 });
      expect(await store.getQuarantined(first.id)).toMatchObject({ id: first.id, integrationId: 'woo', externalId: '9', raw: { id: 9 }, source: 'poll' });
      expect(await store.getQuarantined('no-such-id')).toBeNull();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      expect(await peer.removeQuarantined(first.id)).toBe(true);
      expect(await store.removeQuarantined(first.id)).toBe(false);
      expect(await store.getQuarantined(first.id)).toBeNull();
      expect((await store.listQuarantine('woo')).map((record) => record.id)).toEqual([second.id]);
      expect((await store.summary('woo')).quarantined).toBe(1);
    });

    it('keeps signed-out sessions until they would have expired, for every peer and across a restart', async () => {
      const store = await fresh();
      if (!store.revokeSession || !store.isSessionRevoked) {
        expect([store.revokeSession, store.isSessionRevoked]).toEqual([undefined, undefined]);
        return;
      }
      const now = new Date().toISOString();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 1_000).toISOString();
      expect(await store.isSessionRevoked('s-1', now)).toBe(false);
      await store.revokeSession('s-1', later);
      await store.revokeSession('s-1', later);
      // Already expired when revoked: nothing to remember.
      await store.revokeSession('s-old', past);
      const peer = options.openPeer ? await options.openPeer(store) : store;
      expect(await peer.isSessionRevoked!('s-1', now)).toBe(true);
      expect(await peer.isSessionRevoked!('s-2', now)).toBe(false);
      expect(await peer.isSessionRevoked!('s-old', now)).toBe(false);
      // Past its expiry a revocation no longer matters (the session is refused as expired anyway).
      expect(await store.isSessionRevoked('s-1', new Date(Date.now() + 7_200_000).toISOString())).toBe(false);
      if (options.reopen) {
        const index = open.indexOf(store);
        const reopened = await options.reopen(store);
        open[index] = reopened;
        expect(await reopened.isSessionRevoked!('s-1', now)).toBe(true);
      }
    });

    it('creates movements once per order and returns the existing ones after', async () => {
      const store = await fresh();
      const order = platformOrder('1', { lines: [{ sku: 'SKU-1', name: 'x', quantityMilli: 3000, unitPriceCents: 100 }] });
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const stock = { [A]: { 'SKU-1': 2000 }, [B]: { 'SKU-1': 5000 } };
      const first = await store.createMovements('woo:1', scope(['SKU-1']), greedyPlan(order, stock, [A, B]), { actor: 'system', at: T0 });
      expect(first.created).toBe(true);
      expect(first.movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([
        [A, 2000, 'created'],
        [B, 1000, 'created'],
      ]);
      expect(first.movements[0]!.idempotencyKey).toBe(`woo:1:0:${A}`);
      expect(first.movements[0]!.audit[0]).toMatchObject({ actor: 'system', action: 'allocate', to: 'created' });
      const second = await store.createMovements('woo:1', scope(['SKU-1']), () => {
        throw new Error('must not plan again');
      }, { actor: 'system', at: T0 });
      expect(second.created).toBe(false);
      expect(second.movements.map((m) => m.id).sort()).toEqual(first.movements.map((m) => m.id).sort());
    });

    it('never reserves more than the stock when many orders allocate at once', async () => {
      const store = await fresh();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      if (peer !== store) open.push(peer);
      const stock = { [A]: { SCARCE: 4000 }, [B]: { SCARCE: 3000 } };
      const orders = Array.from({ length: 24 }, (_, index) => platformOrder(`c${index}`, { lines: [{ sku: 'SCARCE', name: 'x', quantityMilli: 1000, unitPriceCents: 100 }] }));
      for (const order of orders) await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const results = await Promise.all(
        orders.map((order, index) => (index % 2 ? peer : store).createMovements(`woo:${order.externalId}`, scope(['SCARCE']), greedyPlan(order, stock, [A, B]), { actor: 'system', at: T0 })),
      );
      const all = results.flatMap((result) => result.movements);
      const byCompany = (cnpj: string) => all.filter((m) => m.companyCnpj === cnpj).reduce((sum, m) => sum + m.quantityMilli, 0);
      expect(byCompany(A)).toBe(4000);
      expect(byCompany(B)).toBe(3000);
      expect(results.filter((result) => result.movements.length > 0)).toHaveLength(7);
      const reserved = await store.reservedStock([A, B]);
      expect(reserved.get(A)?.get('SCARCE')).toBe(4000);
    });

    it('lets only one worker win a movement transition', async () => {
      const store = await fresh();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      if (peer !== store) open.push(peer);
      const order = platformOrder('1');
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const { movements } = await store.createMovements('woo:1', scope(['SKU-1']), greedyPlan(order, { [A]: { 'SKU-1': 5000 } }, [A]), { actor: 'system', at: T0 });
      const id = movements[0]!.id;
      const outcomes = await Promise.allSettled([
        store.transitionMovement(id, ['created'], 'synced', {}, audit('sync')),
        peer.transitionMovement(id, ['created'], 'synced', {}, audit('sync')),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConflictError);
      const done = await store.transitionMovement(id, ['synced'], 'done', { erpOrderId: 'erp-1', erpReference: 'ref-1', failure: null }, audit('create-erp-order'));
      expect(done).toMatchObject({ state: 'done', erpOrderId: 'erp-1', erpReference: 'ref-1' });
      expect(done.audit.map((entry) => `${entry.from}->${entry.to}`)).toEqual(['undefined->created', 'created->synced', 'synced->done']);
    });

    it('moves several movements at once, reporting a conflict in its place while the others move', async () => {
      const store = await fresh();
      const order = platformOrder('1', {
        lines: [
          { sku: 'SKU-1', name: 'x', quantityMilli: 1000, unitPriceCents: 100 },
          { sku: 'SKU-2', name: 'y', quantityMilli: 2000, unitPriceCents: 100 },
        ],
      });
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const { movements } = await store.createMovements('woo:1', scope(['SKU-1', 'SKU-2']), greedyPlan(order, { [A]: { 'SKU-1': 5000, 'SKU-2': 5000 } }, [A]), { actor: 'system', at: T0 });
      const [first, second] = movements as [Movement, Movement];
      await store.transitionMovement(first.id, ['created'], 'synced', {}, audit('sync'));
      const outcomes = await transitionAll(store, [
        { id: first.id, from: ['created'], to: 'synced', patch: {}, audit: audit('sync') },
        { id: second.id, from: ['created'], to: 'synced', patch: {}, audit: audit('sync') },
      ]);
      expect(outcomes[0]!.conflict).toBeInstanceOf(ConflictError);
      expect(outcomes[1]!.movement).toMatchObject({ id: second.id, state: 'synced' });
      const stored = await store.getMovements('woo:1');
      expect(stored.map((m) => [m.id, m.state, m.audit.length])).toEqual([
        [first.id, 'synced', 2],
        [second.id, 'synced', 2],
      ]);

      // Patches and audit entries as a single transition writes them.
      const failure = { code: 'NOT_FOUND', reason: 'no product', retryable: false };
      const later = await transitionAll(store, [
        { id: second.id, from: ['synced'], to: 'done', patch: { erpOrderId: 'erp-9', erpReference: 'ref-9' }, audit: audit('create-erp-order') },
        { id: first.id, from: ['synced'], to: 'failed', patch: { failure }, audit: audit('sync') },
      ]);
      expect(later.map((outcome) => outcome.movement?.state)).toEqual(['done', 'failed']);
      expect(later[1]!.movement?.failure).toEqual(failure);
      const done = (await store.getMovements('woo:1'))[1]!;
      expect(done).toMatchObject({ state: 'done', erpOrderId: 'erp-9', erpReference: 'ref-9' });
      expect(done.audit.at(-1)).toMatchObject({ action: 'create-erp-order', from: 'synced', to: 'done' });

      // A movement named twice in one batch sees its first change.
      const twice = await transitionAll(store, [
        { id: first.id, from: ['failed'], to: 'created', patch: { failure: null }, audit: audit('retry') },
        { id: first.id, from: ['created'], to: 'synced', patch: {}, audit: audit('sync') },
      ]);
      expect(twice.map((outcome) => outcome.movement?.state)).toEqual(['created', 'synced']);
      const again = (await store.getMovements('woo:1'))[0]!;
      expect(again.failure).toBeUndefined();
      expect(again.audit.map((entry) => `${entry.from}->${entry.to}`)).toEqual([
        'undefined->created',
        'created->synced',
        'synced->failed',
        'failed->created',
        'created->synced',
      ]);
    });

    it('counts a movement done after the stock snapshot as still holding stock', async () => {
      const store = await fresh();
      const first = platformOrder('1', { lines: [{ sku: 'S', name: 'x', quantityMilli: 2000, unitPriceCents: 1 }] });
      const second = platformOrder('2', { lines: [{ sku: 'S', name: 'x', quantityMilli: 2000, unitPriceCents: 1 }] });
      for (const order of [first, second]) await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const stock = { [A]: { S: 3000 } };
      const { movements } = await store.createMovements('woo:1', scope(['S']), greedyPlan(first, stock, [A]), { actor: 'system', at: T0 });
      await store.transitionMovement(movements[0]!.id, ['created'], 'synced', {}, audit('sync', '2026-01-10T12:01:00.000Z'));
      await store.transitionMovement(movements[0]!.id, ['synced'], 'done', {}, audit('create', '2026-01-10T12:02:00.000Z'));
      // The snapshot was read before the first order reached the ERP, so its 2 units still count.
      const seen: number[] = [];
      await store.createMovements('woo:2', scope(['S'], '2026-01-10T12:01:30.000Z'), (reserved) => {
        seen.push(reserved.get(A, 'S'));
        return [];
      }, { actor: 'system', at: T0 });
      expect(seen).toEqual([2000]);
      const later: number[] = [];
      await store.createMovements('woo:2', scope(['S'], '2026-01-10T12:03:00.000Z'), (reserved) => {
        later.push(reserved.get(A, 'S'));
        return [];
      }, { actor: 'system', at: T0 });
      expect(later).toEqual([0]);
    });

    it('replaces movements not yet synced on a manual override, with an audit entry', async () => {
      const store = await fresh();
      const order = platformOrder('1', { lines: [{ sku: 'S', name: 'x', quantityMilli: 2000, unitPriceCents: 1 }] });
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const stock = { [A]: { S: 5000 }, [B]: { S: 5000 } };
      await store.createMovements('woo:1', scope(['S']), greedyPlan(order, stock, [A, B]), { actor: 'system', at: T0 });
      const override = await store.createMovements('woo:1', scope(['S']), greedyPlan(order, stock, [B]), { actor: 'ana@loja', at: T0, replace: true, detail: 'line 0 -> B' });
      expect(override.movements.map((m) => [m.companyCnpj, m.state])).toEqual([[B, 'created']]);
      const all = await store.getMovements('woo:1');
      const cancelled = all.find((m) => m.state === 'cancelled')!;
      expect(cancelled.companyCnpj).toBe(A);
      expect(cancelled.audit.at(-1)).toMatchObject({ actor: 'ana@loja', action: 'override', to: 'cancelled' });
      expect((await store.reservedStock([A, B])).get(A)?.get('S') ?? 0).toBe(0);
    });

    it('leases work to one worker at a time and hands abandoned work to the next after a restart', async () => {
      let store = await fresh();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      if (peer !== store) open.push(peer);
      for (const id of ['1', '2', '3', '4']) await store.upsertOrder({ integrationId: 'woo', order: platformOrder(id), intakeState: 'pending', at: T0 });
      const [left, right] = await Promise.all([
        store.claimOrders({ limit: 2, owner: 'w1', leaseMs: 60_000, now: T0 }),
        peer.claimOrders({ limit: 2, owner: 'w2', leaseMs: 60_000, now: T0 }),
      ]);
      const ids = [...left!, ...right!].map((claim) => claim.order.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(['woo:1', 'woo:2', 'woo:3', 'woo:4']);
      expect(await store.claimOrders({ limit: 10, owner: 'w3', leaseMs: 60_000, now: T0 })).toEqual([]);
      // w1 finishes its work; w2 dies mid-step.
      for (const claim of left!) await store.releaseOrder(claim.order.id, claim.lease, false);
      if (options.reopen) {
        const index = open.indexOf(store);
        store = await options.reopen(store);
        open[index] = store;
      }
      const afterExpiry = await store.claimOrders({ limit: 10, owner: 'w4', leaseMs: 60_000, now: '2026-01-10T12:01:01.000Z' });
      expect(afterExpiry.map((claim) => claim.order.id).sort()).toEqual(right!.map((claim) => claim.order.id).sort());
      // A stale lease token cannot release someone else's claim.
      await store.releaseOrder(afterExpiry[0]!.order.id, right![0]!.lease, false);
      expect(await store.claimOrders({ limit: 10, owner: 'w5', leaseMs: 60_000, now: '2026-01-10T12:01:02.000Z' })).toEqual([]);
    });

    it('renews a lease only for the token that holds it, so a slow worker keeps its order and a late one learns it lost it', async (context) => {
      const store = await fresh();
      if (!store.renewLease) {
        context.skip();
        return;
      }
      const peer = options.openPeer ? await options.openPeer(store) : store;
      if (peer !== store) open.push(peer);
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1'), intakeState: 'pending', at: T0 });
      const [slow] = await store.claimOrders({ limit: 1, owner: 'slow', leaseMs: 60_000, now: T0 });
      // Renewed before it ran out: at 12:01:30 the lease (12:00:00 + 60 s) would have expired without the renewal.
      expect(await store.renewLease(slow!.order.id, slow!.lease, '2026-01-10T12:02:00.000Z')).toBe(true);
      expect(await peer.claimOrders({ limit: 1, owner: 'other', leaseMs: 60_000, now: '2026-01-10T12:01:30.000Z' })).toEqual([]);
      expect(await store.renewLease(slow!.order.id, 'not-the-lease', '2026-01-10T12:09:00.000Z')).toBe(false);
      // Not renewed in time: another worker claims it, and the slow worker's renewal now says it lost the order.
      const [taken] = await peer.claimOrders({ limit: 1, owner: 'other', leaseMs: 60_000, now: '2026-01-10T12:02:01.000Z' });
      expect(taken?.order.id).toBe('woo:1');
      expect(await store.renewLease(slow!.order.id, slow!.lease, '2026-01-10T12:03:00.000Z')).toBe(false);
      expect(await peer.renewLease!(taken!.order.id, taken!.lease, '2026-01-10T12:03:00.000Z')).toBe(true);
      await peer.releaseOrder(taken!.order.id, taken!.lease, false);
      expect(await peer.renewLease!(taken!.order.id, taken!.lease, '2026-01-10T12:04:00.000Z')).toBe(false);
    });

    it('keeps work pending when the order changed while it was leased', async () => {
      const store = await fresh();
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1'), intakeState: 'pending', at: T0 });
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('2'), intakeState: 'pending', at: T0 });
      const claims = await store.claimOrders({ limit: 2, owner: 'w1', leaseMs: 60_000, now: T0 });
      // While the worker processes, a cancellation of order 1 is imported.
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('1', { status: 'cancelled', updatedAt: '2026-01-10T12:05:00.000Z' }), intakeState: 'cancelled', at: T0 });
      for (const claim of claims) await store.releaseOrder(claim.order.id, claim.lease, false);
      const again = await store.claimOrders({ limit: 10, owner: 'w2', leaseMs: 60_000, now: T0 });
      expect(again.map((claim) => claim.order.id)).toEqual(['woo:1']);
      expect(again[0]!.order.intakeState).toBe('cancelled');
    });

    it('records webhook deliveries once', async () => {
      const store = await fresh();
      expect(await store.rememberDelivery('woo', 'd-1', T0)).toBe(true);
      expect(await store.rememberDelivery('woo', 'd-1', T0)).toBe(false);
      expect(await store.rememberDelivery('tray', 'd-1', T0)).toBe(true);
    });

    it('lists orders by situation, each order in exactly one, with a summary that adds up', async () => {
      const store = await fresh();
      const at = (minute: number) => `2026-01-10T12:${String(minute).padStart(2, '0')}:00.000Z`;
      const add = (id: string, minute: number, intakeState: OrderIntakeState, status = 'paid', integrationId = 'woo') =>
        store.upsertOrder({ integrationId, order: platformOrder(id, { createdAt: at(minute), updatedAt: at(minute), status }), intakeState, at: T0 });
      await add('1', 1, 'pending');
      await add('2', 2, 'pending');
      await add('3', 3, 'cancelled', 'cancelled');
      await add('4', 4, 'unmapped', 'weird');
      await store.upsertOrder({ integrationId: 'tray', order: platformOrder('5', { createdAt: at(5), updatedAt: at(5) }), intakeState: 'pending', at: T0 });
      await add('6', 6, 'finalized', 'completed');
      await add('7', 7, 'ignored', 'on-hold');
      await add('8', 8, 'pending');
      const plan = async (id: string) => {
        const order = (await store.getOrder(`woo:${id}`))!;
        return (await store.createMovements(`woo:${id}`, scope(['SKU-1']), greedyPlan(order, { [A]: { 'SKU-1': 9000 } }, [A]), { actor: 'system', at: T0 })).movements;
      };
      // 1: a failed movement; 6: every movement done; 8: one created (open).
      const [failing] = await plan('1');
      await store.transitionMovement(failing!.id, ['created'], 'failed', { failure: { code: 'NOT_FOUND', reason: 'no product', retryable: false } }, audit('sync'));
      for (const movement of await plan('6')) {
        await store.transitionMovement(movement.id, ['created'], 'synced', {}, audit('sync'));
        await store.transitionMovement(movement.id, ['synced'], 'done', { erpOrderId: 'erp-6' }, audit('create-erp-order'));
      }
      await plan('8');

      const ids = async (filter: Parameters<Store['listOrders']>[0]['filter']) =>
        (await store.listOrders({ integrationId: 'woo', filter })).items.map((item) => item.order.externalId);
      expect(await ids('all')).toEqual(['8', '7', '6', '4', '3', '2', '1']);
      expect(await ids('pending-sync')).toEqual(['8']);
      expect(await ids('failed')).toEqual(['1']);
      expect(await ids('done')).toEqual(['6']);
      expect(await ids('without-movements')).toEqual(['2']);
      expect(await ids('cancelled')).toEqual(['3']);
      expect(await ids('ignored')).toEqual(['7']);
      expect(await ids('unmapped')).toEqual(['4']);
      const page = await store.listOrders({ integrationId: 'woo', limit: 2, offset: 5 });
      expect([page.total, page.items.map((item) => item.order.externalId)]).toEqual([7, ['2', '1']]);
      expect((await store.listOrders({ integrationIds: ['tray'] })).items.map((item) => item.order.id)).toEqual(['tray:5']);
      expect((await store.listOrders({ search: '#3' })).items.map((item) => item.order.id)).toEqual(['woo:3']);
      const failedItem = (await store.listOrders({ integrationId: 'woo', filter: 'failed' })).items[0]!;
      expect(failedItem.movementStates).toEqual({ failed: 1 });
      // The adapter's listing agrees with core's orderSituation for every order.
      for (const item of (await store.listOrders({ integrationId: 'woo' })).items) {
        expect(await ids(orderSituation(item.order, item.movementStates)), item.order.externalId).toContain(item.order.externalId);
      }

      const summary = await store.summary('woo');
      expect(summary).toMatchObject({ all: 7, withoutMovements: 1, pendingSync: 1, failed: 1, done: 1, cancelled: 1, ignored: 1, unmapped: 1 });
      const { all, withoutMovements, pendingSync, failed, done, cancelled, ignored, unmapped } = summary;
      expect(withoutMovements + pendingSync + failed + done + cancelled + ignored + unmapped).toBe(all);
      expect(summary.lastOrder?.externalId).toBe('8');
      expect(await store.seenStatuses('woo')).toEqual([
        { status: 'cancelled', count: 1 },
        { status: 'completed', count: 1 },
        { status: 'on-hold', count: 1 },
        { status: 'paid', count: 3 },
        { status: 'weird', count: 1 },
      ]);
    });

    it('remembers the stock last pushed to a store', async () => {
      const store = await fresh();
      expect((await store.getPushedStock('woo')).size).toBe(0);
      await store.savePushedStock('woo', new Map([['A', 1000], ['B', 0]]));
      await store.savePushedStock('woo', new Map([['A', 2000]]));
      expect([...(await store.getPushedStock('woo'))].sort()).toEqual([['A', 2000], ['B', 0]]);
    });

    it('keeps status dictionaries edited at runtime, per integration, each edit a later version seen by peers', async () => {
      const store = await fresh();
      if (!store.saveStatusDictionary || !store.getStatusDictionary) {
        // Both or neither: a store that can save but not read back (or the reverse) would lose edits silently.
        expect([store.saveStatusDictionary, store.getStatusDictionary]).toEqual([undefined, undefined]);
        return;
      }
      expect(await store.getStatusDictionary('woo')).toBeNull();
      const first = defineStatusDictionary('woocommerce', { processing: 'pending', cancelled: 'cancelled' });
      const saved = await store.saveStatusDictionary('woo', { dictionary: first, updatedBy: 'ana@loja.com', updatedAt: T0 });
      expect(saved).toEqual({ dictionary: first, updatedBy: 'ana@loja.com', updatedAt: T0, version: 1 });
      const second = defineStatusDictionary('woocommerce', { processing: 'pending', 'em-separacao': { state: 'pending', label: 'Em separação' } });
      const later = '2026-01-10T12:30:00.000Z';
      const peer = options.openPeer ? await options.openPeer(store) : store;
      expect((await peer.saveStatusDictionary!('woo', { dictionary: second, updatedBy: 'bia@loja.com', updatedAt: later })).version).toBe(2);
      expect(await store.getStatusDictionary('woo')).toEqual({ dictionary: second, updatedBy: 'bia@loja.com', updatedAt: later, version: 2 });
      expect(await store.getStatusDictionary('tray')).toBeNull();
      if (options.reopen) {
        const index = open.indexOf(store);
        const reopened = await options.reopen(store);
        open[index] = reopened;
        expect((await reopened.getStatusDictionary!('woo'))?.dictionary.entries['em-separacao']).toEqual({ state: 'pending', label: 'Em separação' });
      }
    });

    it('keeps stock snapshots for every worker: the newer reading wins, a whole listing drops what it left out', async () => {
      const store = await fresh();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      const t1 = '2026-01-10T12:00:01.000Z';
      const t2 = '2026-01-10T12:00:02.000Z';
      const t3 = '2026-01-10T12:00:03.000Z';
      expect(await store.readStock!([A], ['SKU-1'])).toEqual({ levels: [], listings: [] });
      await store.saveStock!({ cnpj: A, levels: new Map([['SKU-1', 5000], ['SKU-2', 1000], ['GONE', 7000]]), readAt: t1, listing: { whole: true, pages: 1 } });
      await store.saveStock!({ cnpj: B, levels: new Map<string, number | null>([['SKU-1', null]]), readAt: t1 });
      // A lookup made after the listing started, saved before it: the listing must not overwrite it.
      await peer.saveStock!({ cnpj: A, levels: new Map([['SKU-2', 400]]), readAt: t3 });
      await store.saveStock!({ cnpj: A, levels: new Map([['SKU-1', 4500], ['SKU-2', 900]]), readAt: t2, listing: { whole: true, pages: 2 } });
      const read = await peer.readStock!([A, B], ['SKU-1', 'SKU-2', 'GONE']);
      const levels = read.levels.map((level) => [level.cnpj, level.sku, level.availableMilli, level.readAt]).sort();
      expect(levels).toEqual(
        [
          [A, 'SKU-1', 4500, t2],
          [A, 'SKU-2', 400, t3],
          [B, 'SKU-1', null, t1],
        ].sort(),
      );
      expect(read.listings).toEqual([{ cnpj: A, listedAt: t2, pages: 2 }]);
      // An older reading saved late changes nothing; an incremental listing keeps what it left out.
      await store.saveStock!({ cnpj: A, levels: new Map([['SKU-1', 1]]), readAt: t1 });
      await store.saveStock!({ cnpj: A, levels: new Map([['SKU-3', 10]]), readAt: t3, listing: { whole: false, pages: 2 } });
      const after = await store.readStock!([A], ['SKU-1', 'SKU-3']);
      expect(after.levels.map((level) => [level.sku, level.availableMilli]).sort()).toEqual([['SKU-1', 4500], ['SKU-3', 10]]);
      expect(after.listings).toEqual([{ cnpj: A, listedAt: t3, pages: 2 }]);
    });

    it('requeues held orders (no live movement, nothing pending) of the integrations asked for, and no others', async () => {
      const store = await fresh();
      for (const [integrationId, id, state] of [['woo', 'held', 'pending'], ['woo', 'allocated', 'pending'], ['woo', 'gone', 'cancelled'], ['tray', 'other', 'pending']] as const) {
        await store.upsertOrder({ integrationId, order: platformOrder(id), intakeState: state, at: T0 });
      }
      await store.createMovements('woo:allocated', scope(['SKU-1']), greedyPlan(platformOrder('allocated'), { [A]: { 'SKU-1': 1000 } }, [A]), { actor: 'system', at: T0 });
      for (const claim of await store.claimOrders({ limit: 10, owner: 'w1', leaseMs: 60_000, now: T0 })) await store.releaseOrder(claim.order.id, claim.lease, false);
      expect(await store.claimOrders({ limit: 10, owner: 'w1', leaseMs: 60_000, now: T0 })).toEqual([]);
      expect(await store.requeueHeld!(['woo'])).toBe(1);
      expect((await store.claimOrders({ limit: 10, owner: 'w2', leaseMs: 60_000, now: T0 })).map((claim) => claim.order.id)).toEqual(['woo:held']);
      expect(await store.requeueHeld!(['woo'])).toBe(0);
    });

    it('records when an allocation left an order held, across new versions of the order and for peers', async () => {
      const store = await fresh();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      if (peer !== store) open.push(peer);
      if (!store.markHeld) return;
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('held'), intakeState: 'pending', at: T0 });
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('other'), intakeState: 'pending', at: T0 });
      expect((await store.getOrder('woo:held'))!.heldAt).toBeUndefined();
      await store.markHeld('woo:held', '2026-01-10T12:01:00.000Z');
      await store.upsertOrder({ integrationId: 'woo', order: platformOrder('held', { status: 'shipped', updatedAt: '2026-01-10T12:02:00.000Z' }), intakeState: 'pending', at: T0 });
      expect((await peer.getOrder('woo:held'))!.heldAt).toBe('2026-01-10T12:01:00.000Z');
      const listed = (await peer.listOrders({ integrationId: 'woo' })).items.map((item) => [item.order.id, item.order.heldAt]);
      expect(listed.sort()).toEqual([['woo:held', '2026-01-10T12:01:00.000Z'], ['woo:other', undefined]]);
    });

    it('rotates claims between integrations: nine small tenants finish before a 5,000-order backlog gets far', async () => {
      const store = await fresh();
      // The large tenant's orders are all older, so claiming oldest first would serve all of them first.
      for (let index = 0; index < 5000; index += 1) {
        const at = new Date(Date.parse(T0) + index).toISOString();
        await store.upsertOrder({ integrationId: 'big', order: platformOrder(String(index), { updatedAt: at }), intakeState: 'pending', at });
      }
      for (let tenant = 1; tenant <= 9; tenant += 1) {
        for (let index = 0; index < 10; index += 1) {
          await store.upsertOrder({ integrationId: `small-${tenant}`, order: platformOrder(String(index), { updatedAt: '2026-01-11T00:00:00.000Z' }), intakeState: 'pending', at: T0 });
        }
      }
      const finished = { big: 0, small: 0 };
      const now = '2026-01-12T00:00:00.000Z';
      while (finished.small < 90) {
        const claims = await store.claimOrders({ limit: 16, owner: 'w1', leaseMs: 60_000, now });
        expect(claims.length).toBeGreaterThan(0);
        for (const claim of claims) {
          await store.releaseOrder(claim.order.id, claim.lease, false);
          if (claim.order.integrationId === 'big') finished.big += 1;
          else finished.small += 1;
        }
      }
      // Ten turns of one order each serve every small tenant; the large one got at most its share meanwhile.
      expect(finished.big).toBeLessThanOrEqual(32);
    }, 120_000);

    it('rotates claims between company groups, then their integrations, carrying on from one claim to the next and across workers', async () => {
      const store = await fresh();
      const peer = options.openPeer ? await options.openPeer(store) : store;
      if (peer !== store) open.push(peer);
      const at = (minute: number, index: number) => new Date(Date.parse(T0) + minute * 60_000 + index * 1000).toISOString();
      // The big group's two shops hold the oldest orders; claiming oldest first would serve all 40 of them first.
      const queues: Array<[string, number, number]> = [['big-tray', 20, 0], ['big-woo', 20, 1], ['small-a', 4, 30], ['small-b', 4, 40], ['small-c', 4, 41]];
      for (const [integrationId, count, minute] of queues) {
        for (let index = 0; index < count; index += 1) {
          await store.upsertOrder({ integrationId, order: platformOrder(String(index), { updatedAt: at(minute, index) }), intakeState: 'pending', at: T0 });
        }
      }
      const tenants = { 'big-tray': 'big', 'big-woo': 'big', 'small-a': 'g2', 'small-b': 'g3', 'small-c': 'g3' };
      const now = '2026-01-12T00:00:00.000Z';
      const served: string[] = [];
      // Two workers taking one order at a time: the rotation lives in the store, not in a worker.
      for (let round = 0; round < 20; round += 1) {
        const worker = round % 2 === 0 ? store : peer;
        const claims = await worker.claimOrders({ tenants, limit: 1, owner: `w${round % 2}`, leaseMs: 60_000, now });
        expect(claims).toHaveLength(1);
        served.push(claims[0]!.order.integrationId);
        await worker.releaseOrder(claims[0]!.order.id, claims[0]!.lease, false);
      }
      // Group by group (served longest ago first, never-served by their oldest order), and within a group its shops in turn.
      expect(served).toEqual([
        'big-tray', 'small-a', 'small-b',
        'big-woo', 'small-a', 'small-c',
        'big-tray', 'small-a', 'small-b',
        'big-woo', 'small-a', 'small-c',
        'big-tray', 'small-b',
        'big-woo', 'small-c',
        'big-tray', 'small-b',
        'big-woo', 'small-c',
      ]);
      // One claim of several takes one order from each group in turn, the group served longest ago first.
      for (const [integrationId, minute] of [['small-a', 50], ['small-b', 51]] as const) {
        await store.upsertOrder({ integrationId, order: platformOrder(`late-${minute}`, { updatedAt: at(minute, 0) }), intakeState: 'pending', at: T0 });
      }
      const batch = await store.claimOrders({ tenants, limit: 4, owner: 'w2', leaseMs: 60_000, now });
      expect(batch.map((claim) => claim.order.integrationId)).toEqual(['small-a', 'big-tray', 'small-b', 'big-woo']);
    });

    it('keeps the totals breakdown, warnings and unmatched lines; a line a person maps keeps who did it across new versions', async () => {
      const store = await fresh();
      const order = PlatformOrderSchema.parse({
        ...platformOrder('1'),
        customer: { name: 'Loja Alfa', document: '12.ABC.345/01DE-35' },
        lines: [
          { lineId: '315', name: 'Brinde sem SKU', quantityMilli: 1000, unitPriceCents: 0, productRef: { productId: '93', variantId: '7' } },
          { sku: 'SKU-1', name: 'Camiseta', quantityMilli: 1000, unitPriceCents: 4990 },
        ],
        totals: { itemsCents: 4990, shippingCents: 1000, discountCents: 500, feesCents: 299, taxCents: 120, totalCents: 5000 },
        warnings: [{ code: 'field-ignored', field: 'fee_lines.0.tax_class', message: 'not carried' }],
      } satisfies PlatformOrderInput);
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const stored = (await store.getOrder('woo:1'))!;
      expect(stored.totals).toEqual({ itemsCents: 4990, shippingCents: 1000, discountCents: 500, feesCents: 299, taxCents: 120, totalCents: 5000 });
      expect(stored.customer.document).toBe(C);
      expect(stored.lines[0]).toEqual({ lineId: '315', name: 'Brinde sem SKU', quantityMilli: 1000, unitPriceCents: 0, productRef: { productId: '93', variantId: '7' }, unmatched: { reason: 'sku-missing' } });
      expect(stored.warnings.map((warning) => warning.code)).toEqual(['field-ignored', 'line-unmatched', 'totals-mismatch']);
      expect(stored.warnings[2]).toMatchObject({ expectedCents: 5000, computedCents: 5909 });

      // The matched line is allocated; the order stays in "without movements" while a line has no SKU.
      await store.createMovements('woo:1', scope(['SKU-1']), greedyPlan(stored, { [A]: { 'SKU-1': 5000 } }, [A]), { actor: 'system', at: T0 });
      const withoutMovements = async () => (await store.listOrders({ integrationId: 'woo', filter: 'without-movements' })).items.map((item) => item.order.id);
      expect(await withoutMovements()).toEqual(['woo:1']);
      expect((await store.summary('woo')).withoutMovements).toBe(1);
      // In that situation only: its open movements do not also count it as pending sync.
      expect((await store.listOrders({ integrationId: 'woo', filter: 'pending-sync' })).total).toBe(0);
      expect((await store.summary('woo')).pendingSync).toBe(0);

      await expect(store.mapOrderLine('woo:1', { lineIndex: 1, sku: 'OTHER', actor: 'ana@loja.com', at: T0 })).rejects.toBeInstanceOf(ConflictError);
      await expect(store.mapOrderLine('woo:1', { lineIndex: 5, sku: 'SKU-2', actor: 'ana@loja.com', at: T0 })).rejects.toBeInstanceOf(ValidationError);
      const later = '2026-01-10T12:20:00.000Z';
      const mapped = await store.mapOrderLine('woo:1', { lineIndex: 0, sku: 'SKU-2', actor: 'ana@loja.com', at: later });
      expect(mapped.lines[0]).toEqual({ lineId: '315', sku: 'SKU-2', name: 'Brinde sem SKU', quantityMilli: 1000, unitPriceCents: 0, productRef: { productId: '93', variantId: '7' } });
      expect(mapped.lineMappings).toEqual([{ lineIndex: 0, sku: 'SKU-2', actor: 'ana@loja.com', at: later, unmatched: { reason: 'sku-missing' } }]);
      expect(mapped.warnings.map((warning) => warning.code)).toEqual(['field-ignored', 'totals-mismatch']);
      expect(mapped.version).toBe(stored.version + 1);
      expect(await store.getOrder('woo:1')).toEqual(mapped);
      expect(await withoutMovements()).toEqual([]);

      // A correction by another person, then a new version from the platform that still has no SKU on that line.
      await store.mapOrderLine('woo:1', { lineIndex: 0, sku: 'SKU-3', actor: 'bia@loja.com', at: later });
      const peer = options.openPeer ? await options.openPeer(store) : store;
      const newer = { ...order, status: 'completed', updatedAt: '2026-01-10T12:30:00.000Z' };
      const upserted = await peer.upsertOrder({ integrationId: 'woo', order: newer, intakeState: 'finalized', at: later });
      expect(upserted.order.lines[0]!.sku).toBe('SKU-3');
      expect(upserted.order.lineMappings?.map((mapping) => [mapping.sku, mapping.actor])).toEqual([['SKU-2', 'ana@loja.com'], ['SKU-3', 'bia@loja.com']]);
      expect((await store.getOrder('woo:1'))!.warnings.some((warning) => warning.code === 'line-unmatched')).toBe(false);
      if (options.reopen) {
        const index = open.indexOf(store);
        const reopened = await options.reopen(store);
        open[index] = reopened;
        expect((await reopened.getOrder('woo:1'))!.lineMappings).toHaveLength(2);
      }
    });

    it('appends movements for a line mapped after the rest of the order was allocated, keeping the others', async () => {
      const store = await fresh();
      const order = PlatformOrderSchema.parse({
        ...platformOrder('1'),
        lines: [
          { sku: 'SKU-1', name: 'Camiseta', quantityMilli: 1000, unitPriceCents: 4990 },
          { name: 'Sem SKU', quantityMilli: 2000, unitPriceCents: 1000 },
        ],
      });
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      const first = await store.createMovements('woo:1', scope(['SKU-1']), greedyPlan(order, { [A]: { 'SKU-1': 5000 } }, [A]), { actor: 'system', at: T0 });
      const mapped = await store.mapOrderLine('woo:1', { lineIndex: 1, sku: 'SKU-2', actor: 'ana@loja.com', at: T0 });
      const wide: AllocationScope = { groupId: 'g1', cnpjs: [A, B, C], skus: ['SKU-1', 'SKU-2'], snapshotAt: T0 };
      const appended = await store.createMovements(
        'woo:1',
        wide,
        () => [
          // A plan that also names the covered line: the store keeps the live movement and drops this one.
          { lineIndex: 0, sku: 'SKU-1', companyCnpj: B, quantityMilli: 1000, unitPriceCents: 4990 },
          { lineIndex: 1, sku: mapped.lines[1]!.sku!, companyCnpj: C, quantityMilli: 2000, unitPriceCents: 1000 },
        ],
        { actor: 'ana@loja.com', at: T0, append: true },
      );
      expect(appended.created).toBe(true);
      expect(appended.movements.map((m) => [m.lineIndex, m.sku, m.companyCnpj, m.state]).sort()).toEqual([
        [0, 'SKU-1', A, 'created'],
        [1, 'SKU-2', C, 'created'],
      ]);
      expect(appended.movements.find((m) => m.lineIndex === 0)!.id).toBe(first.movements[0]!.id);
      expect(appended.movements.find((m) => m.lineIndex === 1)!.idempotencyKey).toBe(`woo:1:1:${C}`);
      const again = await store.createMovements('woo:1', wide, () => [{ lineIndex: 1, sku: 'SKU-2', companyCnpj: A, quantityMilli: 2000, unitPriceCents: 1000 }], { actor: 'system', at: T0, append: true });
      expect(again.created).toBe(false);
      expect((await store.getMovements('woo:1')).filter((m) => m.state !== 'cancelled')).toHaveLength(2);
      expect((await store.reservedStock([C])).get(C)?.get('SKU-2')).toBe(2000);
    });

    it('survives a restart with orders, movements and cursors intact', async () => {
      if (!options.reopen) return;
      const store = await fresh();
      const order = platformOrder('1');
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
      await store.saveCursor('woo', 'c-1');
      await store.createMovements('woo:1', scope(['SKU-1']), greedyPlan(order, { [A]: { 'SKU-1': 1000 } }, [A]), { actor: 'system', at: T0 });
      const index = open.indexOf(store);
      const reopened = await options.reopen(store);
      open[index] = reopened;
      expect((await reopened.getOrder('woo:1'))?.externalId).toBe('1');
      expect(await reopened.getCursor('woo')).toBe('c-1');
      const movements: Movement[] = await reopened.getMovements('woo:1');
      expect(movements.map((m) => m.state)).toEqual(['created']);
    });
  });
}
