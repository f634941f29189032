import Database from 'better-sqlite3';

export interface ConnectionSettings {
  /** How long a write waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  synchronous: 'normal' | 'full';
}

export function openDatabase(filename: string): Database.Database {
  return new Database(filename);
}

/** Per-connection settings: they are not stored in the file, so every connection sets them. */
export function configureConnection(db: Database.Database, settings: ConnectionSettings): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(settings.busyTimeoutMs))}`);
  // WAL lets readers run while one process writes; in-memory databases keep their own journal mode.
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  // JavaScript's lower-casing, so search matches what the memory store matches (SQLite's lower() is ASCII-only).
  db.function('conecta_lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
}
