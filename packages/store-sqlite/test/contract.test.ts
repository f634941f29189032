import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Store } from '@conecta/core';
import { describeStoreContract } from '@conecta/core/testing';
import { createSqliteStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-store-sqlite-'));
const files = new WeakMap<Store, string>();
let count = 0;

function open(filename: string): Store {
  const store = createSqliteStore({ filename });
  files.set(store, filename);
  return store;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract({
  name: 'sqlite',
  create: async () => open(join(dir, `store-${(count += 1)}.db`)),
  openPeer: async (store) => open(files.get(store)!),
  reopen: async (store) => {
    await store.close();
    return open(files.get(store)!);
  },
});
