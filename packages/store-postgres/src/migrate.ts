import type { Pool } from 'pg';
import { ConfigurationError } from '@conecta/core';
import { MIGRATIONS, type Migration } from './migrations.js';
import { quoteSchema } from './schema-name.js';
import { inTransaction } from './transaction.js';

/**
 * Brings `schema` to the newest version. Workers starting together serialise on a transaction-scoped advisory lock
 * keyed by the schema, so each migration runs once and the others find nothing left to do. Returns the versions this
 * call applied.
 */
export async function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const s = quoteSchema(schema);
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`conecta.migrate:${schema}`]);
    // Checked before creating, so a role without CREATE on the database can use a schema an administrator made.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at text NOT NULL
    )`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_migrations`);
    const current = rows[0]?.version ?? 0;
    if (current > latest) {
      // An older package must not write to a schema it does not know: it could break the newer code's invariants.
      throw new ConfigurationError(
        `the PostgreSQL store schema ${schema} is at version ${current}, newer than this @conecta/store-postgres supports (${latest}); upgrade the package`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
