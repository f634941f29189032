import { describe, expect, it } from 'vitest';
import { platformOrder } from '@conecta/core/testing';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { PG_URL, requirePostgres, schemaFactory } from './pg-env.js';

const T0 = '2026-01-10T12:00:00.000Z';
const NOW = '2026-01-12T00:00:00.000Z';

if (requirePostgres('store-postgres fair claims')) {
  const nextSchema = schemaFactory();

  describe('fair shares between company groups on one PostgreSQL database', () => {
    it('serves nine small groups (10 orders each) before a group with a 5,000-order backlog gets past its share', async () => {
      const schema = nextSchema();
      const stores: PostgresStore[] = [await createPostgresStore({ connectionString: PG_URL!, schema, maxConnections: 8 })];
      try {
        stores.push(...(await Promise.all([1, 2, 3].map(() => createPostgresStore({ connectionString: PG_URL!, schema, maxConnections: 2 })))));
        const [seed] = stores;
        // The big group sells through two shops, so rotating between integrations alone would give it two turns per
        // round; all its orders are older than the small groups', so oldest first would serve all 5,000 first.
        const big = Array.from({ length: 5000 }, (_, index) => ({
          integrationId: index % 2 === 0 ? 'big-tray' : 'big-woo',
          externalId: String(index),
          updatedAt: new Date(Date.parse(T0) + index).toISOString(),
        }));
        const small = Array.from({ length: 90 }, (_, index) => ({
          integrationId: `small-${Math.floor(index / 10) + 1}`,
          externalId: String(index % 10),
          updatedAt: '2026-01-11T00:00:00.000Z',
        }));
        const all = [...big, ...small];
        for (let start = 0; start < all.length; start += 200) {
          await Promise.all(
            all.slice(start, start + 200).map(({ integrationId, externalId, updatedAt }) =>
              seed!.upsertOrder({ integrationId, order: platformOrder(externalId, { updatedAt }), intakeState: 'pending', at: T0 }),
            ),
          );
        }
        const tenants: Record<string, string> = { 'big-tray': 'big', 'big-woo': 'big' };
        for (let group = 1; group <= 9; group += 1) tenants[`small-${group}`] = `group-${group}`;

        // Four workers, each claiming two orders at a time and finishing them, until the small groups are done.
        const finished = { big: 0, small: 0 };
        // Big-group orders claimed by the time the last small-group order was claimed.
        let bigBeforeLastSmall = 0;
        const worker = async (store: PostgresStore, index: number) => {
          while (finished.small < small.length) {
            const claims = await store.claimOrders({ tenants, limit: 2, owner: `w${index}`, leaseMs: 60_000, now: NOW });
            for (const claim of claims) {
              await store.releaseOrder(claim.order.id, claim.lease, false);
              if (claim.order.integrationId.startsWith('big-')) finished.big += 1;
              else finished.small += 1;
            }
            if (finished.small === small.length && bigBeforeLastSmall === 0) bigBeforeLastSmall = finished.big;
          }
        };
        await Promise.all(stores.map(worker));
        expect(finished.small).toBe(90);
        // Ten rounds serve every small group. One claimer alone gives the big group one order per round (10; the
        // store contract pins that exact rotation); claimers whose statements overlap read the same turns and serve
        // the same groups, so each of the four takes at most one of the big group's orders per round. Oldest first
        // would have served all 5,000 before any small one. Measured: 18-19.
        expect(bigBeforeLastSmall).toBeGreaterThan(0);
        expect(bigBeforeLastSmall).toBeLessThanOrEqual(40);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }, 60_000);
  });
}
