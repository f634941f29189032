import { describe, expect, it } from 'vitest';
import { ConflictError, type PlannedMovement, type ReservedStock } from '@conecta/core';
import { platformOrder } from '@conecta/core/testing';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { PG_URL, requirePostgres, schemaFactory } from './pg-env.js';

const A = '11222333000181';
const B = '45723174000110';
const T0 = '2026-01-10T12:00:00.000Z';
const scope = { groupId: 'g1', cnpjs: [A, B], skus: ['SCARCE'], snapshotAt: T0 };

if (requirePostgres('store-postgres concurrency')) {
  const nextSchema = schemaFactory();

  const workers = async (count: number): Promise<PostgresStore[]> => {
    const schema = nextSchema();
    const first = await createPostgresStore({ connectionString: PG_URL!, schema, maxConnections: 4 });
    const rest = await Promise.all(Array.from({ length: count - 1 }, () => createPostgresStore({ connectionString: PG_URL!, schema, maxConnections: 4 })));
    return [first, ...rest];
  };

  const plan = (stock: Record<string, number>) => (reserved: ReservedStock): PlannedMovement[] => {
    for (const [cnpj, available] of Object.entries(stock)) {
      if (available - reserved.get(cnpj, 'SCARCE') >= 1000) return [{ lineIndex: 0, sku: 'SCARCE', companyCnpj: cnpj, quantityMilli: 1000, unitPriceCents: 1 }];
    }
    return [];
  };

  describe('postgres store under several workers', () => {
    it('spaces requests on one credential across workers, and holds them all through a pause', async () => {
      const stores = await workers(3);
      try {
        // 30 reservations at once from three workers: each gets its own slot, one spacing after the one before. A wait
        // counts from the instant its statement read the clock (before it queued for the row), so two neighbours'
        // waits differ from the spacing by at most the time all reservations took. The spacing is far longer than that
        // (nobody sleeps through it), so on a slow machine the slots keep their order and none finds the schedule past.
        const spacing = 10_000;
        const started = performance.now();
        const waits = await Promise.all(Array.from({ length: 30 }, (_, index) => stores[index % 3]!.rateLimiter.reserve('credential-hash', spacing)));
        const elapsed = performance.now() - started;
        expect(elapsed).toBeLessThan(spacing / 2);
        const sorted = [...waits].sort((a, b) => a - b);
        expect(sorted[0]).toBeGreaterThan(-1);
        expect(sorted[0]).toBeLessThan(spacing);
        for (let slot = 1; slot < sorted.length; slot += 1) {
          const gap = sorted[slot]! - sorted[slot - 1]!;
          expect(Math.abs(gap - spacing)).toBeLessThanOrEqual(elapsed + 1);
        }
        // Another credential has its own schedule.
        expect(await stores[1]!.rateLimiter.reserve('other-credential', 50)).toBe(0);
        // A 429 seen by one worker holds the others' next start.
        await stores[2]!.rateLimiter.pause('other-credential', 2_000);
        expect(await stores[0]!.rateLimiter.reserve('other-credential', 50)).toBeGreaterThan(1_800);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('claims each order once and allocates each once without over-reserving', async () => {
      const stores = await workers(3);
      try {
        const orderCount = 60;
        for (let index = 0; index < orderCount; index += 1) {
          const order = platformOrder(String(index), { lines: [{ sku: 'SCARCE', name: 'x', quantityMilli: 1000, unitPriceCents: 1 }] });
          await stores[0]!.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
        }
        const stock = { [A]: 12_000, [B]: 9_000 };
        const results = await Promise.all(
          stores.map(async (store, index) => {
            const claimed: string[] = [];
            const allocated: string[] = [];
            for (;;) {
              const claims = await store.claimOrders({ limit: 4, owner: `w${index}`, leaseMs: 600_000, now: T0 });
              if (claims.length === 0) break;
              await Promise.all(
                claims.map(async ({ order, lease }) => {
                  claimed.push(order.id);
                  const result = await store.createMovements(order.id, scope, plan(stock), { actor: `w${index}`, at: T0 });
                  if (result.created && result.movements.length > 0) allocated.push(order.id);
                  await store.releaseOrder(order.id, lease, false);
                }),
              );
            }
            // Every worker also races for every order: an order that got stock is never allocated twice.
            await Promise.all(
              Array.from({ length: orderCount }, async (_, order) => {
                const result = await store.createMovements(`woo:${order}`, scope, plan(stock), { actor: `w${index}`, at: T0 });
                if (result.created && result.movements.length > 0) allocated.push(`woo:${order}`);
              }),
            );
            return { claimed, allocated };
          }),
        );
        const claimed = results.flatMap((result) => result.claimed).sort();
        expect(claimed).toEqual(Array.from({ length: orderCount }, (_, index) => `woo:${index}`).sort());
        const allocated = results.flatMap((result) => result.allocated);
        expect(new Set(allocated).size).toBe(allocated.length);
        expect(allocated).toHaveLength(21);
        const reserved = await stores[0]!.reservedStock([A, B]);
        expect([reserved.get(A)?.get('SCARCE'), reserved.get(B)?.get('SCARCE')]).toEqual([12_000, 9_000]);
        const summary = await stores[1]!.summary('woo');
        expect([summary.all, summary.pendingSync, summary.withoutMovements]).toEqual([60, 21, 39]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }, 60_000);

    it('keeps the movement counts right when overrides race with transitions', async () => {
      const stores = await workers(2);
      try {
        const [left, right] = stores as [PostgresStore, PostgresStore];
        const order = platformOrder('1', { lines: [{ sku: 'SCARCE', name: 'x', quantityMilli: 3000, unitPriceCents: 1 }] });
        await left.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: T0 });
        const three = (): PlannedMovement[] => [0, 1, 2].map(() => ({ lineIndex: 0, sku: 'SCARCE', companyCnpj: A, quantityMilli: 1000, unitPriceCents: 1 }));
        for (let round = 0; round < 10; round += 1) {
          const { movements } = await left.createMovements('woo:1', scope, three, { actor: 'system', at: T0, replace: round > 0 });
          const outcomes = await Promise.allSettled([
            left.createMovements('woo:1', scope, three, { actor: 'ana', at: T0, replace: true }),
            ...movements.filter((m) => m.state === 'created').map((m) => right.transitionMovement(m.id, ['created'], 'synced', {}, { at: T0, actor: 'system', action: 'sync' })),
          ]);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
          }
        }
        const all = await right.getMovements('woo:1');
        const counted: Record<string, number> = {};
        for (const movement of all) counted[movement.state] = (counted[movement.state] ?? 0) + 1;
        const listed = (await right.listOrders({ integrationId: 'woo' })).items[0]!;
        expect(listed.movementStates).toEqual(counted);
        expect(listed.movementCount).toBe(all.filter((m) => m.state !== 'cancelled').length);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }, 60_000);
    it('reads stock levels and listings from one moment while another worker saves listings', async () => {
      // A whole listing saves every level it lists with its own time, so in any one moment the listed levels carry
      // the listing's time. Read apart, a save landing between the two reads pairs old levels with a newer listing,
      // which then vouches for stale figures up to its later time.
      const [writer, reader] = await workers(2);
      try {
        let saving = true;
        const saves = (async () => {
          for (let round = 0; saving; round += 1) {
            const readAt = new Date(Date.parse(T0) + round * 1000).toISOString();
            await writer!.saveStock!({ cnpj: A, levels: new Map([['SCARCE', 1000 + round], ['OTHER', round]]), readAt, listing: { whole: true, pages: 1 } });
          }
        })();
        const mismatched: string[] = [];
        for (let read = 0; read < 300; read += 1) {
          const stored = await reader!.readStock!([A], ['SCARCE', 'OTHER']);
          const listedAt = stored.listings[0]?.listedAt;
          for (const level of stored.levels) if (listedAt !== undefined && level.readAt !== listedAt) mismatched.push(`${level.sku} read at ${level.readAt}, listing at ${listedAt}`);
        }
        saving = false;
        await saves;
        expect(mismatched).toEqual([]);
      } finally {
        await Promise.all([writer!.close(), reader!.close()]);
      }
    });
  });
}
