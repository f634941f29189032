import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { SQL } from '../src/statements.js';

// The hot statements must walk their partial indexes: a plan that reads a whole table makes every claim or stock
// read slower as done orders pile up, which no functional test notices.
const store = createSqliteStore({ filename: ':memory:' });
afterAll(() => store.close());

const plan = (sql: string, params: unknown) =>
  (store.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail);

describe('sqlite store query plans', () => {
  const now = '2026-01-01T00:00:00.000Z';

  it('claims walk each integration\'s claimable orders in order, and held orders are found without reading done ones', () => {
    const claim = plan(SQL.claimableOf, { now, limit: 4, integration_id: 'woo' });
    expect(claim.some((detail) => detail.includes('USING INDEX orders_claimable_by_integration'))).toBe(true);
    expect(claim.filter((detail) => detail.includes('TEMP B-TREE'))).toEqual([]);
    const held = plan(SQL.requeueHeld, '["woo"]');
    expect(held.some((detail) => detail.includes('orders_held'))).toBe(true);
  });

  it('stock reads use the open-movements index instead of scanning movements', () => {
    const scope = { order_id: 'woo:1', cnpjs: '["11222333000181"]', skus: '["SKU-1"]', snapshot_at: now };
    for (const [sql, params] of [
      [SQL.reservedStock, '["11222333000181"]'],
      [SQL.reservedForScope, scope],
    ] as const) {
      const details = plan(sql, params);
      expect(details.some((detail) => detail.includes('movements_open_stock'))).toBe(true);
      expect(details.filter((detail) => /^SCAN movements\b/.test(detail))).toEqual([]);
    }
  });
});
