import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ValidationError,
  formatCents,
  formatDateBr,
  formatQuantity,
  instantToLocalDateTime,
  localDateTimeToInstant,
  parseCents,
  parseQuantity,
} from '../src/index.js';

describe('money in integer cents', () => {
  it.each([
    ['129.90', '.', 12990],
    ['129.9', '.', 12990],
    ['129,90', ',', 12990],
    ['1.234,56', ',', 123456],
    ['1,234.56', '.', 123456],
    ['1.234', ',', 123400],
    ['1.234', '.', 123],
    ['1.234.567', ',', 123456700],
    ['0.07', '.', 7],
    ['0.1', '.', 10],
    [' 12 ', '.', 1200],
    [19.9, ',', 1990],
    [0.29, '.', 29],
    [1e21 / 1e19, '.', 10000],
  ] as const)('%j with %j -> %i', (input, decimalSeparator, cents) => {
    expect(parseCents(input, { field: 'price', decimalSeparator, round: true })).toBe(cents);
  });

  it('reads a value only with the separator the platform declares, refusing what the other reading would need', () => {
    const refusals: Array<[string, '.' | ',', RegExp]> = [
      ['1.234,56', '.', /"," after the decimal separator "."/],
      ['1,234.56', ',', /"\." after the decimal separator ","/],
      ['1,5', '.', /ambiguous: the decimal separator here is "\." and "," only groups thousands/],
      ['12,34,5', '.', /ambiguous/],
      ['1.2.3', '.', /more than one decimal separator/],
    ];
    for (const [text, decimalSeparator, message] of refusals) {
      expect(() => parseCents(text, { field: 'valor', decimalSeparator })).toThrow(message);
    }
    expect(() => parseCents('1.00', { field: 'valor', decimalSeparator: 'auto' as never })).toThrow(/must be "\." or ","/);
  });

  it('never goes through a float: 0.1 + 0.2 style values are exact', () => {
    expect(parseCents('0.30', { field: 'x', decimalSeparator: '.' }) - parseCents('0.10', { field: 'x', decimalSeparator: '.' })).toBe(20);
    expect(parseCents(1.005, { field: 'x', decimalSeparator: '.', round: true })).toBe(101);
  });

  it('rejects garbage and extra places with the field named', () => {
    for (const bad of ['abc', '', '12.345', null, {}, '1-2']) {
      const error = (() => {
        try {
          parseCents(bad, { field: 'lines.0.price', decimalSeparator: '.' });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).path).toBe('lines.0.price');
    }
    expect(() => parseCents('-1.00', { field: 'x', decimalSeparator: '.' })).toThrow(/negative/);
    expect(parseCents('-1.00', { field: 'x', decimalSeparator: '.', allowNegative: true })).toBe(-100);
  });

  it('reads plain amounts in one pass exactly as the general reading does, refusals and the -0 of "-0.00" included', () => {
    // A leading space sends a text down the general path (it trims), so the two readings can be compared.
    const outcome = (read: () => number): { value: number } | { path: string | undefined } => {
      try {
        return { value: read() };
      } catch (error) {
        return { path: error instanceof ValidationError ? error.path : 'not a ValidationError' };
      }
    };
    const text = fc.array(fc.constantFrom(...'0123456789.,-'), { maxLength: 19 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom('.' as const, ',' as const), fc.boolean(), fc.constantFrom(2, 3), (input, decimalSeparator, allowNegative, scale) => {
        const options = { field: 'total', decimalSeparator, allowNegative };
        const read = scale === 2 ? parseCents : parseQuantity;
        expect(outcome(() => read(input, options))).toEqual(outcome(() => read(` ${input}`, options)));
      }),
      { numRuns: 1000 },
    );
    // Whole JSON numbers read as their decimal text does.
    const whole = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), fc.constant(-0));
    fc.assert(
      fc.property(whole, fc.boolean(), fc.constantFrom(2, 3), (input, allowNegative, scale) => {
        const options = { field: 'quantity', decimalSeparator: '.' as const, allowNegative };
        const read = scale === 2 ? parseCents : parseQuantity;
        expect(outcome(() => read(input, options))).toEqual(outcome(() => read(` ${String(input)}`, options)));
      }),
      { numRuns: 1000 },
    );
    expect(Object.is(parseCents('-0.00', { field: 'x', decimalSeparator: '.', allowNegative: true }), -0)).toBe(true);
    expect(parseQuantity('999999999999', { field: 'x', decimalSeparator: '.' })).toBe(999_999_999_999_000);
    expect(() => parseQuantity('9999999999999', { field: 'x', decimalSeparator: '.' })).toThrow(/too large/);
  });

  it('round-trips any cents value through its decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (cents) => {
        expect(parseCents(formatCents(cents), { field: 'x', decimalSeparator: '.' })).toBe(cents);
      }),
    );
  });
});

describe('quantities in milli-units', () => {
  it('reads fractional quantities exactly', () => {
    expect(parseQuantity('2', { field: 'q', decimalSeparator: '.' })).toBe(2000);
    expect(parseQuantity('0,750', { field: 'q', decimalSeparator: ',' })).toBe(750);
    expect(parseQuantity('1.5', { field: 'q', decimalSeparator: '.' })).toBe(1500);
    expect(parseQuantity(0.001, { field: 'q', decimalSeparator: '.' })).toBe(1);
    expect(parseQuantity('2.000', { field: 'q', decimalSeparator: '.' })).toBe(2000);
    expect(() => parseQuantity('0.0005', { field: 'q', decimalSeparator: '.' })).toThrow(ValidationError);
    expect(formatQuantity(1500)).toBe('1.5');
    expect(formatQuantity(2000)).toBe('2');
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (milli) => {
        expect(parseQuantity(formatQuantity(milli), { field: 'q', decimalSeparator: '.' })).toBe(milli);
      }),
    );
  });
});

describe('platform local time', () => {
  it('converts São Paulo wall time to an instant, DST years included', () => {
    expect(localDateTimeToInstant('2024-05-01 13:45:00')).toBe('2024-05-01T16:45:00.000Z');
    // January 2018 was daylight saving time in São Paulo (UTC-2).
    expect(localDateTimeToInstant('2018-01-15 10:00:00')).toBe('2018-01-15T12:00:00.000Z');
    expect(instantToLocalDateTime('2024-05-01T16:45:00.000Z')).toBe('2024-05-01 13:45:00');
    expect(formatDateBr('2024-05-02T01:00:00.000Z')).toBe('01/05/2024');
    expect(() => localDateTimeToInstant('2024-02-30 10:00:00', undefined, 'date_modified')).toThrow(/date_modified/);
  });
});

describe('fractional seconds', () => {
  it('keeps milliseconds of a local time with a fraction', () => {
    expect(localDateTimeToInstant('2022-10-31T12:28:05.704751')).toBe('2022-10-31T15:28:05.704Z');
    expect(localDateTimeToInstant('2022-10-31 12:28:05.7')).toBe('2022-10-31T15:28:05.700Z');
  });
});
