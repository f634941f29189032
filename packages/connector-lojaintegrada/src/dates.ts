import { ValidationError, instantToLocalDateTime, localDateTimeToInstant } from '@conecta/core';

/**
 * Loja Integrada timestamps. GET responses carry naive local times with microseconds ("2022-10-31T12:28:05.704751");
 * webhook bodies carry UTC with "Z". Instants are kept as epoch microseconds so the listing can order and tie-break
 * on exactly what LI sent; core's localDateTimeToInstant does not take a fraction, so it is split off here.
 */
const LI_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

export function liDateTimeToMicros(text: unknown, timeZone: string, field: string): number {
  if (typeof text !== 'string') throw new ValidationError([{ path: field, message: `expected a date-time string, got ${text === null ? 'null' : typeof text}` }]);
  const match = LI_DATE_TIME.exec(text.trim());
  if (!match) throw new ValidationError([{ path: field, message: `"${text}" is not a Loja Integrada date-time` }]);
  const [, date, time, fraction = '', offset] = match;
  const wall = `${date}T${time}`;
  const baseMs = offset ? Date.parse(`${wall}${time!.length === 5 ? ':00' : ''}${offset}`) : Date.parse(localDateTimeToInstant(wall, timeZone, field));
  if (Number.isNaN(baseMs)) throw new ValidationError([{ path: field, message: `"${text}" is not a valid date-time` }]);
  return baseMs * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/** Epoch microseconds -> ISO instant with millisecond precision (what the canonical order carries). */
export function microsToInstant(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** Epoch microseconds -> ISO instant keeping all six fraction digits (for the cursor, which must not lose precision). */
export function microsToPreciseInstant(micros: number): string {
  const iso = microsToInstant(micros);
  return `${iso.slice(0, -1)}${String(((micros % 1000) + 1000) % 1000).padStart(3, '0')}Z`;
}

const PRECISE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/;

export function preciseInstantToMicros(text: string): number | undefined {
  const match = PRECISE.exec(text);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/**
 * The `since_atualizado` value for a resume point: LI takes whole local seconds ("AAAA-MM-DDTHH:MM:SS"), and whether
 * the bound is inclusive is undocumented, so the value is floored and moved back by `overlapSeconds`; the listing
 * drops what it has already seen.
 */
export function sinceAtualizadoParam(micros: number, timeZone: string, overlapSeconds: number): string {
  const seconds = Math.floor(micros / 1_000_000) - overlapSeconds;
  return instantToLocalDateTime(new Date(seconds * 1000), timeZone).replace(' ', 'T');
}
