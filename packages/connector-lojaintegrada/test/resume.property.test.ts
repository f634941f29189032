import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collect, connectorFor, fakeWith } from './helpers.js';

describe('lojaintegrada resume (property)', () => {
  it('across any page size, tie density, search order and changes between pages, nothing is lost or repeated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          count: fc.integer({ min: 1, max: 18 }),
          ordersPerSecond: fc.integer({ min: 1, max: 6 }),
          pageSize: fc.integer({ min: 1, max: 7 }),
          searchOrder: fc.constantFrom('numero' as const, '-numero' as const, 'data_modificacao' as const),
          sinceInclusive: fc.boolean(),
          pagesBeforeStop: fc.integer({ min: 1, max: 4 }),
          changes: fc.array(fc.nat(), { maxLength: 4 }),
          added: fc.integer({ min: 0, max: 3 }),
        }),
        async (scenario) => {
          const fake = fakeWith({ ordersPerSecond: scenario.ordersPerSecond, searchOrder: scenario.searchOrder, sinceInclusive: scenario.sinceInclusive });
          const seeded = fake.seedOrders(scenario.count);
          const connector = () => connectorFor(fake, { pageSize: scenario.pageSize });

          const firstRun: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          for await (const page of connector().listOrders()) {
            firstRun.push(...page.orders.map((order) => order.externalId));
            cursor = page.cursor;
            if (++pages === scenario.pagesBeforeStop) break;
          }
          const changed = [...new Set(scenario.changes.map((index) => seeded[index % seeded.length]!))];
          for (const id of changed) fake.modifyOrder(id);
          const added = fake.seedOrders(scenario.added);

          const rest = (await collect(connector().listOrders(cursor ? { cursor } : {}))).flatMap((page) => page.orders.map((order) => order.externalId));
          const all = [...firstRun, ...rest];
          for (const id of [...seeded, ...added]) {
            const count = all.filter((seen) => seen === id).length;
            const expected = changed.includes(id) && firstRun.includes(id) ? 2 : 1;
            expect(count, `order ${id}`).toBe(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
    // Sixty listings: seconds on a loaded machine, so not vitest's 5 s default.
  }, 60_000);
});
