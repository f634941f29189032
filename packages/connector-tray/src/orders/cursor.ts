import { ValidationError } from '@conecta/core';

/**
 * Resume point of an incremental listing. Tray's `modified` has one-second resolution and several orders can share a
 * second, so the instant alone cannot tell a seen order from an unseen one: the ids already emitted at that exact
 * second are kept too. `modified` is Tray's own local "YYYY-MM-DD HH:MM:SS" string, which sorts as text.
 */
export interface TrayCursor {
  v: 1;
  modified: string;
  ids: string[];
}

/** A listed order reduced to what ordering and de-duplication need. */
export interface ChangeMark {
  id: string;
  modified: string;
}

const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function encodeCursor(cursor: TrayCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(text: string): TrayCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  const value = parsed as Partial<TrayCursor> | null;
  if (!value || value.v !== 1 || typeof value.modified !== 'string' || !LOCAL.test(value.modified)) throw invalid('unknown shape');
  if (!Array.isArray(value.ids) || value.ids.some((id) => typeof id !== 'string')) throw invalid('ids must be strings');
  return { v: 1, modified: value.modified, ids: value.ids };
}

/** Oldest change first; ids break ties numerically so the order is stable across runs. */
export function compareMarks(a: ChangeMark, b: ChangeMark): number {
  if (a.modified !== b.modified) return a.modified < b.modified ? -1 : 1;
  return compareIds(a.id, b.id);
}

export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when the mark comes after the cursor: a later second, or the cursor's second with an id not yet emitted. */
export function isAfter(mark: ChangeMark, cursor: TrayCursor): boolean {
  if (mark.modified !== cursor.modified) return mark.modified > cursor.modified;
  return !cursor.ids.includes(mark.id);
}

/** The cursor after emitting `emitted` (already sorted) on top of `previous`. */
export function advanceCursor(previous: TrayCursor | undefined, emitted: readonly ChangeMark[]): TrayCursor | undefined {
  const last = emitted.at(-1);
  if (!last) return previous;
  const sameSecond = emitted.filter((mark) => mark.modified === last.modified).map((mark) => mark.id);
  const carried = previous && previous.modified === last.modified ? previous.ids : [];
  return { v: 1, modified: last.modified, ids: [...new Set([...carried, ...sameSecond])] };
}

function invalid(reason: string): ValidationError {
  return new ValidationError([{ path: 'cursor', message: `not a Tray cursor (${reason})` }], { subject: 'tray cursor' });
}
