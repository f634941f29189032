/**
 * Platform timestamps without an offset ("2024-05-01 13:45:00") are local wall-clock times of the store, usually
 * America/Sao_Paulo. They are converted with the IANA time zone database, so dates from the years Brazil still had
 * daylight saving time (until 2019) convert correctly too.
 */
import { ValidationError } from '../errors/errors.js';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** UTC offsets by time zone and UTC hour: zones change offset on whole hours, and Intl is slow enough to show up. */
const offsets = new Map<string, Map<number, number>>();

function wallClockOf(instant: number, timeZone: string): number {
  const hour = Math.floor(instant / 3_600_000);
  let byHour = offsets.get(timeZone);
  if (!byHour) {
    byHour = new Map();
    offsets.set(timeZone, byHour);
  }
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const start = hour * 3_600_000;
    const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(start)).map((part) => [part.type, part.value]));
    offset = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second'])) - start;
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(hour, offset);
  }
  return instant + offset;
}

/**
 * "2024-05-01 13:45:00" in `timeZone` -> ISO instant "2024-05-01T16:45:00.000Z". An ambiguous wall time (the hour
 * repeated when DST ended) resolves to the earlier instant; a skipped one (DST start) moves forward.
 */
export function localDateTimeToInstant(text: string, timeZone = 'America/Sao_Paulo', field = 'date'): string {
  const match = LOCAL.exec(text.trim());
  if (!match) throw new ValidationError([{ path: field, message: `"${text}" is not a "YYYY-MM-DD HH:MM:SS" date-time` }]);
  const [, y, mo, d, h, mi, s, fraction] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'));
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== Number(d)) {
    throw new ValidationError([{ path: field, message: `"${text}" is not a valid date` }]);
  }
  // Two passes of offset correction settle on the right side of a DST transition.
  let guess = wall - (wallClockOf(wall, timeZone) - wall);
  guess = wall - (wallClockOf(guess, timeZone) - guess);
  const earlier = guess - 3_600_000;
  if (wallClockOf(earlier, timeZone) === wall) guess = earlier;
  // Fractions of a second (Loja Integrada sends microseconds) are kept to the millisecond.
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  return new Date(guess + millis).toISOString();
}

/** ISO instant -> "YYYY-MM-DD HH:MM:SS" wall time in `timeZone` (for platform filters such as Tray's `modified`). */
export function instantToLocalDateTime(instant: string | Date, timeZone = 'America/Sao_Paulo'): string {
  const wall = wallClockOf(new Date(instant).getTime(), timeZone);
  return new Date(wall).toISOString().slice(0, 19).replace('T', ' ');
}

/** ISO instant -> "dd/mm/aaaa" in `timeZone` (Mainô's date format). */
export function formatDateBr(instant: string | Date, timeZone = 'America/Sao_Paulo'): string {
  const [date = ''] = instantToLocalDateTime(instant, timeZone).split(' ');
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** "dd/mm/aaaa" -> "aaaa-mm-dd". */
export function parseDateBr(text: string, field = 'date'): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!match) throw new ValidationError([{ path: field, message: `"${text}" is not a dd/mm/aaaa date` }]);
  return `${match[3]}-${match[2]}-${match[1]}`;
}
