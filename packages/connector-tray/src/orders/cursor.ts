import { ValidationError, resumeCursor } from '@conecta/core';

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

const cursor = resumeCursor<string>({
  subject: 'Tray',
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  write: (at) => at,
  read: (text) => (LOCAL.test(text) ? text : undefined),
  fields: { at: 'modified', ids: 'ids' },
});

export function encodeCursor(position: TrayCursor): string {
  return cursor.encode({ at: position.modified, ids: position.ids });
}

export function decodeCursor(text: string): TrayCursor {
  const point = cursor.decode(text);
  if (!point) throw invalid('no instant');
  return { v: 1, modified: point.at, ids: point.ids };
}

/** Oldest change first; ids break ties numerically so the order is stable across runs. */
export function compareMarks(a: ChangeMark, b: ChangeMark): number {
  return a.modified < b.modified ? -1 : a.modified > b.modified ? 1 : compareIds(a.id, b.id);
}

/** Numeric order of digit ids of any length: shorter first, then text order. A listing never holds an id twice. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : 1);
}

/** True when the mark comes after the cursor: a later second, or the cursor's second with an id not yet emitted. */
export function isAfter(mark: ChangeMark, position: TrayCursor): boolean {
  return cursor.isAfter({ at: position.modified, ids: position.ids }, mark.modified, mark.id);
}

/** The cursor after emitting `emitted` (already sorted) on top of `previous`. */
export function advanceCursor(previous: TrayCursor | undefined, emitted: readonly ChangeMark[]): TrayCursor | undefined {
  const next = cursor.advance(previous && { at: previous.modified, ids: previous.ids }, emitted.map((mark) => ({ at: mark.modified, id: mark.id })));
  return next && { v: 1, modified: next.at, ids: next.ids };
}

function invalid(reason: string): ValidationError {
  return new ValidationError([{ path: 'cursor', message: `not a Tray cursor (${reason})` }], { subject: 'Tray cursor' });
}
