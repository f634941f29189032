import type { Database } from 'better-sqlite3';
import { ConfigurationError } from '@conecta/core';
import { MIGRATIONS, type Migration } from './migrations.js';

/**
 * Brings the database to the newest schema. Runs under BEGIN IMMEDIATE, so two processes opening a new file at once
 * apply each migration once: the second waits for the write lock and then finds nothing left to do.
 * Returns the versions this call applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, now: () => string = () => new Date().toISOString()): number[] {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const run = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const current = (db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null }).version ?? 0;
    if (current > latest) {
      // An older package must not write to a schema it does not know: it could break the newer code's invariants.
      throw new ConfigurationError(
        `the SQLite store schema is at version ${current}, newer than this @conecta/store-sqlite supports (${latest}); upgrade the package`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
      applied.push(migration.version);
    }
    return applied;
  });
  return run.immediate();
}
