import { ValidationError, resumeCursor } from '@conecta/core';
import { microsToPreciseInstant, preciseInstantToMicros } from './dates.js';

/**
 * Where a listing resumes: everything modified at or after `atMicros`, except the orders in `ids`, which were already
 * listed at exactly that instant (LI stamps several orders with the same `data_modificacao`). Core's resume cursor
 * does the work; LI's instants are kept to the microsecond.
 */
export interface ListPosition {
  atMicros: number;
  ids: string[];
}

const cursor = resumeCursor<number>({
  subject: 'lojaintegrada',
  compare: (a, b) => a - b,
  write: microsToPreciseInstant,
  read: preciseInstantToMicros,
});

export function encodeCursor(position: ListPosition): string {
  return cursor.encode({ at: position.atMicros, ids: position.ids });
}

export function decodeCursor(text: string): ListPosition {
  const point = cursor.decode(text);
  if (!point) throw new ValidationError([{ path: 'cursor.at', message: 'not a lojaintegrada cursor (no instant)' }], { subject: 'lojaintegrada cursor' });
  return { atMicros: point.at, ids: point.ids };
}

/** Is an order modified at `micros` still to be listed from this position? */
export function isAfter(position: ListPosition | undefined, micros: number, id: string): boolean {
  return cursor.isAfter(position && { at: position.atMicros, ids: position.ids }, micros, id);
}

/** The position after listing `entries` (in listing order) from `previous`. */
export function advance(previous: ListPosition | undefined, entries: ReadonlyArray<{ micros: number; id: string }>): ListPosition | undefined {
  const next = cursor.advance(previous && { at: previous.atMicros, ids: previous.ids }, entries.map((entry) => ({ at: entry.micros, id: entry.id })));
  return next && { atMicros: next.at, ids: next.ids };
}
