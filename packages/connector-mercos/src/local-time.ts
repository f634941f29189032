/**
 * Mercos filters and stamps records with wall-clock times ("yyyy-mm-dd HH:mm:ss", Brasília) at one-second
 * resolution. Cursor arithmetic is done on the wall time itself, so it never depends on the host's time zone.
 */

const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** The floor Mercos integrators use to read everything (`alterado_apos` is required on every list). */
export const MERCOS_EPOCH = '2000-01-01 00:00:00';

export function isWallTime(text: string): boolean {
  return WALL.test(text);
}

/** Normalises "2024-04-10T15:45:00" to the space form, which every Mercos route accepts (`/v1/divisoes` needs it). */
export function normaliseWallTime(text: string): string {
  const match = WALL.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a yyyy-mm-dd HH:mm:ss time`);
  return `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}`;
}

/** Adds whole seconds to a wall time. */
export function addSeconds(wall: string, seconds: number): string {
  const match = WALL.exec(wall.trim());
  if (!match) throw new RangeError(`"${wall}" is not a yyyy-mm-dd HH:mm:ss time`);
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + seconds * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Wall times in this fixed format compare correctly as strings. */
export function compareWallTime(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
