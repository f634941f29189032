import { formatScaledDecimal, parseScaledDecimal, type DecimalParseOptions } from './decimal.js';

/** Money is integer cents (BRL centavos) everywhere in the SDK. */
export type Cents = number;

/** "129.90", "129,9", "1.234,56" or 129.9 -> 12990. Rejects a third decimal place unless `round` is set. */
export function parseCents(input: unknown, options: Omit<DecimalParseOptions, 'allowNegative'> & { allowNegative?: boolean }): Cents {
  return parseScaledDecimal(input, 2, options);
}

/** 12990 -> "129.90" (what APIs that want decimal strings expect). */
export function formatCents(cents: Cents): string {
  return formatScaledDecimal(cents, 2);
}

/** Sums cents with a safe-integer check, since a silent overflow would be a wrong total. */
export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) total += value;
  if (!Number.isSafeInteger(total)) throw new RangeError('money total overflowed');
  return total;
}
