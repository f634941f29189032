import { expect } from 'vitest';
import type { PlatformOrder } from '../models/order.js';

/** A PlatformOrder as `*.expected.json` beside a published payload keeps it: everything but `raw`, keys in schema order. */
export function comparableOrder(order: PlatformOrder): Omit<PlatformOrder, 'raw'> {
  const { raw: _raw, ...rest } = order;
  return JSON.parse(JSON.stringify(rest)) as Omit<PlatformOrder, 'raw'>;
}

/**
 * Compares what a connector returned for a published payload with its hand-checked expected order, field by field
 * (so a failure names the field), then as a whole with key order (so a field the expected file lacks fails too).
 */
export function expectOrderToMatch(actual: PlatformOrder, expected: unknown, label: string): void {
  const got = comparableOrder(actual) as unknown as Record<string, unknown>;
  const want = expected as Record<string, unknown>;
  for (const field of Object.keys(want)) expect(got[field], `${label}: ${field}`).toEqual(want[field]);
  expect(JSON.stringify(got), `${label}: the whole order, keys in order`).toBe(JSON.stringify(want));
}
