import { ValidationError } from '@conecta/core';
import { microsToPreciseInstant, preciseInstantToMicros } from './dates.js';

/**
 * Where a listing resumes: everything modified at or after `atMicros`, except the orders in `ids`, which were already
 * listed at exactly that instant. LI stamps several orders with the same `data_modificacao`, so the instant alone
 * would either repeat or skip some of them.
 */
export interface ListPosition {
  atMicros: number;
  ids: string[];
}

interface CursorJson {
  v: 1;
  at: string;
  ids: string[];
}

export function encodeCursor(position: ListPosition): string {
  const json: CursorJson = { v: 1, at: microsToPreciseInstant(position.atMicros), ids: [...position.ids].sort() };
  return JSON.stringify(json);
}

export function decodeCursor(cursor: string): ListPosition {
  const fail = (message: string) => new ValidationError([{ path: 'cursor', message }], { subject: 'lojaintegrada cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw fail('not a cursor produced by this connector (invalid JSON)');
  }
  const candidate = parsed as Partial<CursorJson> | null;
  if (!candidate || candidate.v !== 1 || typeof candidate.at !== 'string' || !Array.isArray(candidate.ids) || !candidate.ids.every((id) => typeof id === 'string')) {
    throw fail('not a cursor produced by this connector (unknown shape or version)');
  }
  const atMicros = preciseInstantToMicros(candidate.at);
  if (atMicros === undefined) throw fail(`"${candidate.at}" is not an instant`);
  return { atMicros, ids: candidate.ids };
}

/** Is an order modified at `micros` still to be listed from this position? */
export function isAfter(position: ListPosition | undefined, micros: number, id: string): boolean {
  if (!position) return true;
  if (micros !== position.atMicros) return micros > position.atMicros;
  return !position.ids.includes(id);
}

/** The position after listing `entries` (in listing order) from `previous`. */
export function advance(previous: ListPosition | undefined, entries: ReadonlyArray<{ micros: number; id: string }>): ListPosition | undefined {
  const last = entries.at(-1);
  if (!last) return previous;
  const ids = new Set(previous && previous.atMicros === last.micros ? previous.ids : []);
  for (const entry of entries) if (entry.micros === last.micros) ids.add(entry.id);
  return { atMicros: last.micros, ids: [...ids] };
}
