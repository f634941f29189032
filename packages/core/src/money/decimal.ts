/**
 * Exact decimal parsing for money and quantities. Platforms send decimals as strings ("129.90", "1.234,56", "2.000")
 * or JSON numbers; both are read digit by digit into scaled integers, never through a float multiplication.
 */
import { ValidationError } from '../errors/errors.js';

export interface DecimalParseOptions {
  /** Field path used in the error, e.g. `lines.0.price`. */
  field: string;
  /**
   * The decimal separator the platform writes: required, because "1.234" is 1.234 on one platform and 1234 on
   * another and no rule can tell them apart. The other character is accepted only as a thousands separator before
   * the decimal part, in groups of three digits ("1,234.56" with ".", "1.234,56" with ","); anything else is an error.
   * JSON numbers are always read with ".".
   */
  decimalSeparator: '.' | ',';
  /** Extra digits beyond the scale are an error unless `round` is set (half-up, away from zero). */
  round?: boolean;
  allowNegative?: boolean;
}

const NUMERIC = /^[+-]?\d+$/;

/** Parses a decimal written as text or a JSON number into an integer scaled by 10^scale. */
export function parseScaledDecimal(input: unknown, scale: number, options: DecimalParseOptions): number {
  if (typeof input === 'string') {
    const plain = parsePlainDecimal(input, scale, options);
    if (plain !== undefined) return plain;
  } else if (typeof input === 'number' && Number.isInteger(input) && (input >= 0 || options.allowNegative) && (options.decimalSeparator === '.' || options.decimalSeparator === ',')) {
    // A whole JSON number (a quantity of 2): scaled exactly while the result stays a safe integer; -0 reads as 0.
    const scaled = input === 0 ? 0 : input * 10 ** scale;
    if (Number.isSafeInteger(scaled)) return scaled;
  }
  const text = typeof input === 'number' ? numberToPlainString(input, options.field) : input;
  if (typeof text !== 'string') {
    throw invalid(options.field, `expected a decimal string or number, got ${describe(input)}`);
  }
  const separator = typeof input === 'number' ? '.' : options.decimalSeparator;
  if (separator !== '.' && separator !== ',') {
    throw invalid(options.field, `the decimal separator must be "." or ",", got ${String(separator as unknown)}`);
  }
  const normalised = normaliseSeparators(text.trim().replace(/\s/g, ''), separator, options.field);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(normalised);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw invalid(options.field, `"${text}" is not a decimal number`);
  }
  const negative = match[1] === '-';
  if (negative && !options.allowNegative) throw invalid(options.field, `"${text}" must not be negative`);
  const whole = match[2] || '0';
  let fraction = match[3] ?? '';
  let carry = 0;
  if (fraction.length > scale) {
    const dropped = fraction.slice(scale);
    if (!options.round && /[1-9]/.test(dropped)) {
      throw invalid(options.field, `"${text}" has more than ${scale} decimal places`);
    }
    carry = options.round && Number(dropped[0]) >= 5 ? 1 : 0;
    fraction = fraction.slice(0, scale);
  }
  const digits = `${whole}${fraction.padEnd(scale, '0')}`;
  if (!NUMERIC.test(digits)) throw invalid(options.field, `"${text}" is not a decimal number`);
  const magnitude = Number(digits) + carry;
  if (!Number.isSafeInteger(magnitude)) throw invalid(options.field, `"${text}" is too large`);
  return negative ? -magnitude : magnitude;
}

/**
 * The form platforms send almost always ("129.90", "-1.50", "2"): digits, at most one decimal separator (the
 * platform's), no more decimal places than the scale, an optional "-" where negatives are allowed. Read in one pass
 * without regular expressions or intermediate strings, since every amount of every order passes here; anything else
 * (signs, spaces, grouping, extra places, long numbers, errors) returns undefined and takes the general path.
 */
function parsePlainDecimal(text: string, scale: number, options: DecimalParseOptions): number | undefined {
  const length = text.length;
  const separator = options.decimalSeparator === ',' ? 44 : options.decimalSeparator === '.' ? 46 : -1;
  if (length === 0 || separator < 0) return undefined;
  let index = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    if (!options.allowNegative) return undefined;
    negative = true;
    index = 1;
  }
  let value = 0;
  let wholeDigits = 0;
  for (; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) break;
    value = value * 10 + (code - 48);
    wholeDigits += 1;
  }
  // At most 15 digits once scaled: a safe integer, computed exactly.
  if (wholeDigits === 0 || wholeDigits + scale > 15) return undefined;
  let places = 0;
  if (index < length) {
    if (text.charCodeAt(index) !== separator) return undefined;
    for (index += 1; index < length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 48 || code > 57) return undefined;
      value = value * 10 + (code - 48);
      places += 1;
    }
    if (places === 0 || places > scale) return undefined;
  }
  for (; places < scale; places += 1) value *= 10;
  return negative ? -value : value;
}

/** Formats a scaled integer back to a plain decimal string with "." ("1290" at scale 2 is "12.90"). */
export function formatScaledDecimal(value: number, scale: number, minFractionDigits = scale): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : '';
  while (fraction.length > minFractionDigits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** "1.234,56" with "," -> "1234.56"; the thousands separator must group three digits and come before the decimal part. */
function normaliseSeparators(text: string, decimal: '.' | ',', field: string): string {
  if (!/^[+-]?[\d.,]*$/.test(text)) throw invalid(field, `"${text}" is not a decimal number`);
  const group = decimal === '.' ? ',' : '.';
  const decimalAt = text.indexOf(decimal);
  if (decimalAt !== text.lastIndexOf(decimal)) throw invalid(field, `"${text}" has more than one decimal separator "${decimal}"`);
  const whole = decimalAt < 0 ? text : text.slice(0, decimalAt);
  const fraction = decimalAt < 0 ? '' : text.slice(decimalAt + 1);
  if (fraction.includes(group)) throw invalid(field, `"${text}" has "${group}" after the decimal separator "${decimal}"`);
  if (whole.includes(group) && !new RegExp(`^[+-]?\\d{1,3}(\\${group}\\d{3})+$`).test(whole)) {
    throw invalid(field, `"${text}" is ambiguous: the decimal separator here is "${decimal}" and "${group}" only groups thousands`);
  }
  const plain = whole.split(group).join('');
  return decimalAt < 0 ? plain : `${plain}.${fraction}`;
}

/** JSON numbers are read through their shortest round-trip representation, which is exact for what was sent. */
function numberToPlainString(value: number, field: string): string {
  if (!Number.isFinite(value)) throw invalid(field, `${value} is not a finite number`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const plain =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + plain;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError([{ path: field, message }]);
}
