import { ValidationError } from '@conecta/core';

const GMT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** WooCommerce `*_gmt` values are UTC without a `Z`; read them as UTC (epoch ms). */
export function parseGmt(value: unknown, field: string): number {
  if (typeof value === 'string') {
    const plain = plainGmt(value);
    if (plain !== undefined) return plain;
  }
  const match = typeof value === 'string' ? GMT.exec(value.trim()) : null;
  if (!match) throw new ValidationError([{ path: field, message: `expected a GMT date-time, got ${JSON.stringify(value)}` }]);
  const text = match[8] ? value as string : `${(value as string).trim()}Z`;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new ValidationError([{ path: field, message: `"${String(value)}" is not a valid date-time` }]);
  return at;
}

/** `parseGmt` for a value that may not be a date at all: undefined instead of an error. */
export function readGmt(value: unknown): number | undefined {
  try {
    return parseGmt(value, 'value');
  } catch {
    return undefined;
  }
}

/**
 * `YYYY-MM-DDTHH:MM:SS` exactly, as WooCommerce writes every `*_gmt` value, read without a regular expression or a
 * string built for Date.parse: three of these per order in a listing. Anything else (a fraction, a zone, spaces, hour
 * 24, a year before 1000, an out-of-range field) returns undefined and is read by the general path. Date.UTC rolls a
 * day past the month's end over exactly as Date.parse does ("02-30" is 1 March).
 */
function plainGmt(text: string): number | undefined {
  if (text.length !== 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The decimal number in `text` from `start`, `count` digits long; -1 when a character is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const code = text.charCodeAt(index) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** Query values carry no zone: WooCommerce ignores suffixes, and `dates_are_gmt=true` makes them UTC. */
export function toGmtParam(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/**
 * `toInstant(parseGmt(value, field))`, the ISO instant of a `*_gmt` value: the plain form on a day the month has (two
 * per order in a listing) is that text with `.000Z`, without a Date built and formatted; anything else takes the
 * general path. A property test pins the two together.
 */
export function gmtInstant(value: unknown, field: string): string {
  if (typeof value === 'string' && plainGmt(value) !== undefined && digits(value, 8, 2) <= daysInMonth(digits(value, 0, 4), digits(value, 5, 2))) {
    return `${value}.000Z`;
  }
  return toInstant(parseGmt(value, field));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function floorSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
