import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePipelineInvariants } from '@conecta/core/testing';
import { createSqliteStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-invariants-sqlite-'));
let count = 0;

describePipelineInvariants({
  name: 'sqlite store + memory ERP',
  createStore: () => createSqliteStore({ filename: join(dir, `store-${(count += 1)}.db`) }),
  teardown: () => rmSync(dir, { recursive: true, force: true }),
});
