import { ValidationError } from '@conecta/core';

const GMT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** WooCommerce `*_gmt` values are UTC without a `Z`; read them as UTC (epoch ms). */
export function parseGmt(value: unknown, field: string): number {
  const match = typeof value === 'string' ? GMT.exec(value.trim()) : null;
  if (!match) throw new ValidationError([{ path: field, message: `expected a GMT date-time, got ${JSON.stringify(value)}` }]);
  const text = match[8] ? value as string : `${(value as string).trim()}Z`;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new ValidationError([{ path: field, message: `"${String(value)}" is not a valid date-time` }]);
  return at;
}

/** Query values carry no zone: WooCommerce ignores suffixes, and `dates_are_gmt=true` makes them UTC. */
export function toGmtParam(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

export function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function floorSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
