import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { platformOrder } from '@conecta/core/testing';
import { createSqliteStore } from '../src/index.js';
import { bundleWorker } from './worker-process.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-sqlite-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite store shared by several processes', () => {
  it('hands each order to one worker and never reserves more than the stock', async () => {
    const worker = await bundleWorker('worker.ts', join(dir, 'worker.cjs'));
    const filename = join(dir, 'shared.db');
    const store = createSqliteStore({ filename });
    const orderCount = 40;
    for (let index = 0; index < orderCount; index += 1) {
      const order = platformOrder(String(index), { lines: [{ sku: 'SCARCE', name: 'x', quantityMilli: 1000, unitPriceCents: 1 }] });
      await store.upsertOrder({ integrationId: 'woo', order, intakeState: 'pending', at: order.createdAt });
    }
    const stock = { '11222333000181': 9000, '45723174000110': 8000 };
    const outputs = await Promise.all(['w1', 'w2', 'w3'].map((owner) => worker([filename, owner, JSON.stringify(stock), String(orderCount)])));
    const results = outputs.map((output) => JSON.parse(output) as { claimed: string[]; created: string[] });
    const claimed = results.flatMap((result) => result.claimed);
    expect(claimed.sort()).toEqual(Array.from({ length: orderCount }, (_, index) => `woo:${index}`).sort());
    const created = results.flatMap((result) => result.created);
    expect(new Set(created).size).toBe(created.length);
    expect(created).toHaveLength(17);
    const reserved = await store.reservedStock(Object.keys(stock));
    expect(reserved.get('11222333000181')?.get('SCARCE')).toBe(9000);
    expect(reserved.get('45723174000110')?.get('SCARCE')).toBe(8000);
    const allocated = (await store.listOrders({ integrationId: 'woo', filter: 'pending-sync', limit: 100 })).items;
    expect(allocated).toHaveLength(17);
    expect(allocated.every((item) => item.movementCount === 1)).toBe(true);
    await store.close();
  }, 60_000);
});
