import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@conecta/core';
import { platformOrder } from '@conecta/core/testing';
import { createPostgresStore, migrate, MIGRATIONS, SCHEMA_VERSION } from '../src/index.js';
import { PG_URL, requirePostgres, schemaFactory } from './pg-env.js';

if (requirePostgres('store-postgres migrations')) {
  const nextSchema = schemaFactory();

  const query = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };

  describe('postgres store migrations', () => {
    it('migrates once when several workers start together', async () => {
      const schema = nextSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresStore({ connectionString: PG_URL!, schema, maxConnections: 2 })));
      await Promise.all(stores.map((store) => store.close()));
      const rows = await query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it('upgrades a schema made by an earlier version, keeping its data', async () => {
      const schema = nextSchema();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
      try {
        await migrate(pool, schema, MIGRATIONS.slice(0, 1));
        await pool.query(`INSERT INTO "${schema}".cursors (integration_id, cursor) VALUES ('woo', 'c-7')`);
      } finally {
        await pool.end();
      }
      const store = await createPostgresStore({ connectionString: PG_URL!, schema });
      try {
        const rows = await query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
        expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
        expect(await store.getCursor('woo')).toBe('c-7');
        await store.upsertOrder({ integrationId: 'woo', order: platformOrder('7'), intakeState: 'pending', at: '2026-01-10T12:00:00.000Z' });
        expect(await store.getStatusDictionary!('woo')).toBeNull();
      } finally {
        await store.close();
      }
    });

    it('reads an order stored before the totals breakdown and warnings with fees, taxes and warnings empty', async () => {
      const schema = nextSchema();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
      try {
        await migrate(pool, schema, MIGRATIONS.filter((migration) => migration.version <= 3));
        await pool.query(
          `INSERT INTO "${schema}".orders (id, integration_id, external_id, number, status, customer, lines, totals, raw, created_at, updated_at, intake_state, imported_at, version)
           VALUES ('woo:7', 'woo', '7', '#7', 'paid', '{"name":"Ana"}', '[{"sku":"SKU-1","name":"Camiseta","quantityMilli":1000,"unitPriceCents":4990}]',
           '{"itemsCents":4990,"shippingCents":0,"discountCents":0,"totalCents":4990}', '{}', '2026-01-10T12:00:00.000Z', '2026-01-10T12:00:00.000Z', 'pending', '2026-01-10T12:00:00.000Z', 1)`,
        );
      } finally {
        await pool.end();
      }
      const store = await createPostgresStore({ connectionString: PG_URL!, schema });
      try {
        const order = (await store.getOrder('woo:7'))!;
        expect(order.totals).toEqual({ itemsCents: 4990, shippingCents: 0, discountCents: 0, feesCents: 0, taxCents: 0, totalCents: 4990 });
        expect(order.warnings).toEqual([]);
        expect(order.lineMappings).toBeUndefined();
        expect((await store.listOrders({ filter: 'without-movements' })).total).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('refuses a schema newer than the package', async () => {
      const schema = nextSchema();
      await (await createPostgresStore({ connectionString: PG_URL!, schema })).close();
      await query(`INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', $2)`, [
        SCHEMA_VERSION + 1,
        new Date().toISOString(),
      ]);
      const opening = createPostgresStore({ connectionString: PG_URL!, schema });
      await expect(opening).rejects.toBeInstanceOf(ConfigurationError);
      await expect(opening).rejects.toThrow(`is at version ${SCHEMA_VERSION + 1}, newer than this @conecta/store-postgres supports (${SCHEMA_VERSION})`);
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(createPostgresStore({ connectionString: PG_URL!, schema: 'x"; drop table y; --' })).rejects.toBeInstanceOf(ConfigurationError);
    });

    it('uses a pool it is given and leaves it open on close', async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
      const store = await createPostgresStore({ pool, schema: nextSchema() });
      await store.saveCursor('woo', 'c-1');
      await store.close();
      expect((await pool.query(`SELECT cursor FROM "${store.schema}".cursors`)).rows).toEqual([{ cursor: 'c-1' }]);
      await pool.end();
    });
  });
}
