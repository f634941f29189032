import type { Store } from '@conecta/core';
import { describeStoreContract } from '@conecta/core/testing';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { PG_URL, requirePostgres, schemaFactory } from './pg-env.js';

if (requirePostgres('store-postgres contract')) {
  // Every store gets its own schema (the contract wants an empty store each time); peers and reopens share it.
  const nextSchema = schemaFactory();
  const open = (schema: string) => createPostgresStore({ connectionString: PG_URL!, schema, maxConnections: 5 });
  const schemaOf = (store: Store) => (store as PostgresStore).schema;

  describeStoreContract({
    name: 'postgres',
    create: () => open(nextSchema()),
    openPeer: (store) => open(schemaOf(store)),
    reopen: async (store) => {
      await store.close();
      return open(schemaOf(store));
    },
  });
}
