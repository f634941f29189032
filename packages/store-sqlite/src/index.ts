export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { migrate } from './migrate.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
