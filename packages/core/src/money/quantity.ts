import { formatScaledDecimal, parseScaledDecimal, type DecimalParseOptions } from './decimal.js';

/**
 * Quantities are integers in thousandths of a unit ("milli-units"): 1 unit = 1000, 0.75 kg = 750. Fractional
 * quantities (sold by weight) stay exact and the allocator compares and subtracts integers only.
 */
export type QuantityMilli = number;
export const QUANTITY_SCALE = 1000;

/** "2", "0,750", "1.5" or 1.5 -> 2000, 750, 1500. More than three decimal places is an error unless `round` is set. */
export function parseQuantity(input: unknown, options: DecimalParseOptions): QuantityMilli {
  return parseScaledDecimal(input, 3, options);
}

/** 1500 -> "1.5"; 2000 -> "2". */
export function formatQuantity(milli: QuantityMilli): string {
  return formatScaledDecimal(milli, 3, 0);
}

/** Whole units -> milli-units. */
export function units(count: number): QuantityMilli {
  if (!Number.isFinite(count)) throw new RangeError(`not a finite quantity: ${count}`);
  return Math.round(count * QUANTITY_SCALE);
}

/** Milli-units rounded down to whole units, as stores that only take integer stock need. */
export function floorUnits(milli: QuantityMilli): number {
  return Math.floor(milli / QUANTITY_SCALE);
}
