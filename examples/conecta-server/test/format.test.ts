import { describe, expect, it } from 'vitest';
import { stockReadingAge } from '../src/format.js';

describe('order page: how old the stock reading was', () => {
  it('reads the age core writes in the allocation and sync audit details', () => {
    expect(stockReadingAge('checked against Mainô stock read at 2026-12-05T17:00:00.000Z (3.2 s old)')).toBe('estoque lido há 3,2 s');
    expect(stockReadingAge('stock read at 2026-12-05T17:00:00.000Z (0.0 s old)')).toBe('estoque lido há 0,0 s');
    expect(stockReadingAge('checked against Mainô')).toBeUndefined();
    expect(stockReadingAge(undefined)).toBeUndefined();
  });
});
