import { resumeCursor } from '@conecta/core';

/**
 * Resume point of a listing. The vendor's `updated_since` is inclusive and timestamps have one-second resolution, so
 * several orders share one instant: the cursor keeps the last instant read and the ids already read at it, and the
 * next listing asks again from that instant and skips those ids. Core's resume cursor does the work.
 */
export interface RecompraCursor {
  /** Last `updated_at` read (ISO instant), or undefined before the first order. */
  since: string | undefined;
  /** Ids of the orders read whose `updated_at` equals `since`. */
  seen: string[];
}

/**
 * A cursor's instant is always written as `toISOString()` gives it, so that is the only form read back: anything
 * else (another offset, a date `Date` would roll over, text) is a cursor this connector did not make.
 */
function readInstant(text: string): string | undefined {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text ? text : undefined;
}

const cursor = resumeCursor<string>({
  subject: 'Recompra.aí',
  compare: (a, b) => Date.parse(a) - Date.parse(b),
  write: (at) => at,
  read: readInstant,
  fields: { at: 'since', ids: 'seen' },
});

const toPoint = (position: RecompraCursor) => (position.since === undefined ? undefined : { at: position.since, ids: position.seen });

export function encodeRecompraCursor(position: RecompraCursor): string {
  return cursor.encode(toPoint(position));
}

export function decodeRecompraCursor(text: string): RecompraCursor {
  const point = cursor.decode(text);
  return point ? { since: point.at, seen: point.ids } : { since: undefined, seen: [] };
}

/**
 * Where a just-read order leaves the cursor. `updatedAt` undefined (a rejected order whose instant is unreadable)
 * counts it at the current instant, which is where the vendor's sort placed it.
 */
export function advanceCursor(position: RecompraCursor, externalId: string | undefined, updatedAt: string | undefined): RecompraCursor {
  const at = updatedAt ?? position.since;
  if (at === undefined) return position;
  if (externalId === undefined) {
    // Nothing to remember at the instant, but a later instant still moves the cursor on.
    return position.since === undefined || Date.parse(at) > Date.parse(position.since) ? { since: at, seen: [] } : position;
  }
  const next = cursor.advance(toPoint(position), [{ at, id: externalId }]);
  return next ? { since: next.at, seen: next.ids } : position;
}

/** True when the order was already read under this cursor (same id at the cursor's instant, or older). */
export function alreadyRead(position: RecompraCursor, externalId: string | undefined, updatedAt: string | undefined): boolean {
  const point = toPoint(position);
  if (!point) return false;
  const at = updatedAt ?? point.at;
  if (externalId === undefined) return Date.parse(at) < Date.parse(point.at);
  return !cursor.isAfter(point, at, externalId);
}
