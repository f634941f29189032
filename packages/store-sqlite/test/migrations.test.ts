import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@conecta/core';
import { platformOrder } from '@conecta/core/testing';
import { createSqliteStore, migrate, MIGRATIONS, SCHEMA_VERSION } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-sqlite-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const appliedVersions = (filename: string) => {
  const db = new Database(filename, { readonly: true });
  try {
    return db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as Array<{ version: number; applied_at: string }>;
  } finally {
    db.close();
  }
};

describe('sqlite store migrations', () => {
  it('applies each migration once, however often the file is opened', async () => {
    const filename = join(dir, 'once.db');
    const first = createSqliteStore({ filename });
    const peer = createSqliteStore({ filename });
    const before = appliedVersions(filename);
    expect(before.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    await peer.close();
    await first.close();
    const again = createSqliteStore({ filename });
    await again.close();
    expect(appliedVersions(filename)).toEqual(before);
    expect(before.at(-1)?.version).toBe(SCHEMA_VERSION);
  });

  it('opens in WAL mode with foreign keys and a busy timeout', async () => {
    const store = createSqliteStore({ filename: join(dir, 'pragmas.db'), busyTimeoutMs: 1234 });
    try {
      expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.database.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.database.pragma('busy_timeout', { simple: true })).toBe(1234);
    } finally {
      await store.close();
    }
  });

  it('upgrades a file made by an earlier version, keeping its data', async () => {
    const filename = join(dir, 'earlier.db');
    const earlier = new Database(filename);
    migrate(earlier, MIGRATIONS.slice(0, 1));
    earlier.prepare(`INSERT INTO cursors (integration_id, cursor) VALUES ('woo', 'c-7')`).run();
    earlier.close();
    const upgraded = createSqliteStore({ filename });
    try {
      expect(appliedVersions(filename).map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(await upgraded.getCursor('woo')).toBe('c-7');
      await upgraded.upsertOrder({ integrationId: 'woo', order: platformOrder('7'), intakeState: 'pending', at: '2026-01-10T12:00:00.000Z' });
      expect(await upgraded.getStatusDictionary!('woo')).toBeNull();
    } finally {
      await upgraded.close();
    }
  });

  it('reads an order stored before the totals breakdown and warnings with fees, taxes and warnings empty', async () => {
    const filename = join(dir, 'before-breakdown.db');
    const earlier = new Database(filename);
    migrate(earlier, MIGRATIONS.filter((migration) => migration.version <= 3));
    earlier
      .prepare(
        `INSERT INTO orders (id, integration_id, external_id, number, status, customer, lines, totals, raw, created_at, updated_at, intake_state, imported_at, version)
         VALUES ('woo:7', 'woo', '7', '#7', 'paid', '{"name":"Ana"}', '[{"sku":"SKU-1","name":"Camiseta","quantityMilli":1000,"unitPriceCents":4990}]',
         '{"itemsCents":4990,"shippingCents":0,"discountCents":0,"totalCents":4990}', '{}', '2026-01-10T12:00:00.000Z', '2026-01-10T12:00:00.000Z', 'pending', '2026-01-10T12:00:00.000Z', 1)`,
      )
      .run();
    earlier.close();
    const upgraded = createSqliteStore({ filename });
    try {
      const order = (await upgraded.getOrder('woo:7'))!;
      expect(order.totals).toEqual({ itemsCents: 4990, shippingCents: 0, discountCents: 0, feesCents: 0, taxCents: 0, totalCents: 4990 });
      expect(order.warnings).toEqual([]);
      expect(order.lineMappings).toBeUndefined();
      expect((await upgraded.listOrders({ filter: 'without-movements' })).total).toBe(1);
    } finally {
      await upgraded.close();
    }
  });

  it('refuses to open a file whose schema is newer than the package', async () => {
    const filename = join(dir, 'newer.db');
    await createSqliteStore({ filename }).close();
    const db = new Database(filename);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from the future', new Date().toISOString());
    db.close();
    let thrown: unknown;
    try {
      createSqliteStore({ filename });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as Error).message).toMatch(`schema is at version ${SCHEMA_VERSION + 1}, newer than this @conecta/store-sqlite supports (${SCHEMA_VERSION})`);
  });

  it('uses a connection it is given and leaves it open on close', async () => {
    const database = new Database(':memory:');
    const store = createSqliteStore({ database });
    await store.saveCursor('woo', 'c-1');
    await store.close();
    expect(database.open).toBe(true);
    expect(database.prepare('SELECT cursor FROM cursors').get()).toEqual({ cursor: 'c-1' });
    database.close();
  });
});
