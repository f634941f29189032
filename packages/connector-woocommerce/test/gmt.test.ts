import fc from 'fast-check';
import { ValidationError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { gmtInstant, parseGmt, toInstant } from '../src/orders/gmt.js';

/** What the general reading gives: Date.parse of the value as UTC, or a ValidationError naming the field. */
function reference(value: string): number | 'invalid' {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.test(value.trim())) return 'invalid';
  const at = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim()) ? value : `${value.trim()}Z`);
  return Number.isNaN(at) ? 'invalid' : at;
}

function read(value: string): number | 'invalid' {
  try {
    return parseGmt(value, 'date_modified_gmt');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('date_modified_gmt');
    return 'invalid';
  }
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

describe('WooCommerce GMT date-times', () => {
  it('reads the plain form in one pass exactly as Date.parse reads it, rolled-over days and refusals included', () => {
    const plain = fc
      .tuple(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), two(13), two(32), two(25), two(61), two(61))
      .map(([year, month, day, hour, minute, second]) => `${year}-${month}-${day}T${hour}:${minute}:${second}`);
    fc.assert(
      fc.property(plain, (value) => {
        expect(read(value)).toEqual(reference(value));
      }),
      { numRuns: 2000 },
    );
    expect(read('2024-05-01T12:00:03')).toBe(Date.UTC(2024, 4, 1, 12, 0, 3));
    expect(read('2024-02-30T10:00:00')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0));
    expect(read('2024-02-30T25:61:00')).toBe('invalid');
  });

  it('still reads the forms around it through the general path', () => {
    for (const value of ['2024-05-01T12:00:03.250', '2024-05-01T12:00:03Z', '2024-05-01T09:00:03-03:00', ' 2024-05-01T12:00:03 ', '2024-01-01T24:00:00', '0099-01-01T00:00:00']) {
      expect(read(value)).toEqual(reference(value));
    }
    for (const value of ['2024-05-01 12:00:03', '2024-5-01T12:00:03', '2024-05-01T12:00', '', 'x024-05-01T12:00:03']) expect(read(value)).toBe('invalid');
  });

  it('gives the ISO instant of a value exactly as formatting its general reading does, refusals included', () => {
    const general = (value: string): string => {
      try {
        return toInstant(parseGmt(value, 'date_created_gmt'));
      } catch (error) {
        return `invalid: ${(error as ValidationError).path}`;
      }
    };
    const fast = (value: string): string => {
      try {
        return gmtInstant(value, 'date_created_gmt');
      } catch (error) {
        return `invalid: ${(error as ValidationError).path}`;
      }
    };
    const plain = fc
      .tuple(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), two(13), two(32), two(25), two(61), two(61))
      .map(([year, month, day, hour, minute, second]) => `${year}-${month}-${day}T${hour}:${minute}:${second}`);
    const around = fc.constantFrom('2024-05-01T12:00:03.250', '2024-05-01T09:00:03-03:00', ' 2024-05-01T12:00:03 ', '2024-01-01T24:00:00', '2024-05-01 12:00:03', '');
    fc.assert(
      fc.property(fc.oneof(plain, around), (value) => {
        expect(fast(value)).toBe(general(value));
      }),
      { numRuns: 3000 },
    );
    expect(gmtInstant('2024-02-29T10:00:00', 'date_created_gmt')).toBe('2024-02-29T10:00:00.000Z');
    expect(gmtInstant('2023-02-29T10:00:00', 'date_created_gmt')).toBe('2023-03-01T10:00:00.000Z');
    expect(gmtInstant('2100-02-29T10:00:00', 'date_created_gmt')).toBe('2100-03-01T10:00:00.000Z');
    expect(gmtInstant('2000-02-29T10:00:00', 'date_created_gmt')).toBe('2000-02-29T10:00:00.000Z');
    expect(gmtInstant('2024-04-31T10:00:00', 'date_created_gmt')).toBe('2024-05-01T10:00:00.000Z');
  }, 60_000);
});
