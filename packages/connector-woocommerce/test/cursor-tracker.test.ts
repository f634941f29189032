import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorTracker, wooCursor } from '../src/orders/cursor.js';

const SECOND = 1000;
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

describe('WooCommerce cursor tracker', () => {
  it("answers and advances exactly as core's resume cursor does, from any start", () => {
    // Orders mostly in listing order with repeats, some out of order and some seen again, over a few seconds.
    const step = fc.record({ second: fc.integer({ min: 0, max: 5 }), id: fc.integer({ min: 1, max: 8 }).map(String) });
    const start = fc.oneof(
      fc.constant<{ cursor?: string; since?: string }>({}),
      fc.integer({ min: 0, max: 5 }).map((second) => ({ since: new Date(T0 + second * SECOND + 250).toISOString() })),
      fc
        .record({ second: fc.integer({ min: 0, max: 5 }), ids: fc.uniqueArray(fc.integer({ min: 1, max: 8 }).map(String), { maxLength: 3 }) })
        .map(({ second, ids }) => ({ cursor: wooCursor.encode({ at: T0 + second * SECOND, ids }) })),
    );
    fc.assert(
      fc.property(start, fc.array(step, { maxLength: 30 }), (options, steps) => {
        const tracker = CursorTracker.start(options);
        let point = tracker.point();
        for (const { second, id } of steps) {
          const at = T0 + second * SECOND;
          expect(tracker.isNew(at, id)).toBe(wooCursor.isAfter(point, at, id));
          // The listing advances only for new orders; advancing for any order is checked too.
          tracker.advance(at, id);
          point = wooCursor.advance(point, [{ at, id }]);
          expect(tracker.encode()).toBe(wooCursor.encode(point));
          expect(tracker.queryAfterMs).toBe(point === undefined ? null : point.at - SECOND);
        }
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
