import * as z from 'zod';
import { ValidationError } from '@conecta/core';

/**
 * Resume point of a listing. The vendor's `updated_since` is inclusive and timestamps have one-second resolution, so
 * several orders share one instant: the cursor keeps the last instant read and the ids already read at it, and the
 * next listing asks again from that instant and skips those ids. Nothing is lost and nothing unchanged repeats.
 */
export interface RecompraCursor {
  /** Last `updated_at` read (ISO instant), or undefined before the first order. */
  since: string | undefined;
  /** Ids of the orders read whose `updated_at` equals `since`. */
  seen: string[];
}

const CursorSchema = z.object({
  v: z.literal(1),
  since: z.iso.datetime({ offset: true }).optional(),
  seen: z.array(z.string()),
});

export function encodeCursor(cursor: RecompraCursor): string {
  return JSON.stringify({ v: 1, ...(cursor.since === undefined ? {} : { since: cursor.since }), seen: cursor.seen });
}

export function decodeCursor(text: string): RecompraCursor {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: 'cursor', message: 'not a Recompra.aí cursor (not JSON)' }], { subject: 'recompra cursor' });
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError([{ path: 'cursor', message: 'not a Recompra.aí cursor (unexpected shape)' }], { subject: 'recompra cursor' });
  }
  return { since: parsed.data.since === undefined ? undefined : new Date(parsed.data.since).toISOString(), seen: parsed.data.seen };
}

/**
 * Where a just-read order leaves the cursor. `updatedAt` undefined (a rejected order whose instant is unreadable)
 * counts it at the current instant, which is where the vendor's sort placed it.
 */
export function advanceCursor(cursor: RecompraCursor, externalId: string | undefined, updatedAt: string | undefined): RecompraCursor {
  const at = updatedAt ?? cursor.since;
  if (at === undefined) return cursor;
  if (cursor.since === undefined || Date.parse(at) > Date.parse(cursor.since)) {
    return { since: at, seen: externalId === undefined ? [] : [externalId] };
  }
  if (externalId === undefined || cursor.seen.includes(externalId)) return cursor;
  return { since: cursor.since, seen: [...cursor.seen, externalId] };
}

/** True when the order was already read under this cursor (same id at the cursor's instant, or older). */
export function alreadyRead(cursor: RecompraCursor, externalId: string | undefined, updatedAt: string | undefined): boolean {
  if (cursor.since === undefined) return false;
  const at = updatedAt ?? cursor.since;
  const delta = Date.parse(at) - Date.parse(cursor.since);
  if (delta < 0) return true;
  return delta === 0 && externalId !== undefined && cursor.seen.includes(externalId);
}
