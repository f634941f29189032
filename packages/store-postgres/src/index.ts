export { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { migrate } from './migrate.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
