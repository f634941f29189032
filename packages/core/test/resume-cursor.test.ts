import { describe, expect, it } from 'vitest';
import { ValidationError, resumeCursor } from '../src/index.js';

const cursor = resumeCursor<number>({
  subject: 'test',
  compare: (a, b) => a - b,
  write: (at) => new Date(at).toISOString(),
  read: (text) => (Number.isNaN(Date.parse(text)) ? undefined : Date.parse(text)),
  fields: { at: 'modified' },
});
const T = Date.parse('2026-03-01T12:00:00Z');

describe('resume cursor', () => {
  it('skips what was read at the last instant and keeps what comes after, across pages', () => {
    const first = cursor.advance(undefined, [
      { at: T - 1000, id: '7' },
      { at: T, id: '9' },
    ]);
    expect(first).toEqual({ at: T, ids: ['9'] });
    const second = cursor.advance(first, [{ at: T, id: '3' }]);
    expect(second!.ids.sort()).toEqual(['3', '9']);
    expect([cursor.isAfter(second, T, '9'), cursor.isAfter(second, T, '4'), cursor.isAfter(second, T - 1, 'x'), cursor.isAfter(second, T + 1, '9')]).toEqual([false, true, false, true]);
    expect(cursor.advance(second, [{ at: T + 1000, id: '1' }])).toEqual({ at: T + 1000, ids: ['1'] });
    expect(cursor.advance(second, [])).toBe(second);
  });

  it('round-trips through the JSON the connector hands out, under its own field names', () => {
    const text = cursor.encode({ at: T, ids: ['b', 'a'] });
    expect(JSON.parse(text)).toEqual({ v: 1, modified: '2026-03-01T12:00:00.000Z', ids: ['a', 'b'] });
    expect(cursor.decode(text)).toEqual({ at: T, ids: ['a', 'b'] });
    expect(cursor.decode(cursor.encode(undefined))).toBeUndefined();
  });

  it('refuses a cursor it did not write, naming the field', () => {
    for (const text of ['page=3', '{"page":3}', '{"v":2,"modified":null,"ids":[]}']) expect(() => cursor.decode(text)).toThrow(ValidationError);
    expect(() => cursor.decode('{"v":1,"modified":"yesterday","ids":[]}')).toThrow(/not a test cursor/);
    const error = (() => {
      try {
        cursor.decode('{"v":1,"modified":"2026-03-01T12:00:00Z","ids":[1]}');
      } catch (caught) {
        return caught as ValidationError;
      }
    })();
    expect(error?.path).toBe('cursor.ids');
  });
});
