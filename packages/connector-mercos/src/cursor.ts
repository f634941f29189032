import { ValidationError, resumeCursor } from '@conecta/core';
import { compareWallTime, isWallTime } from './local-time.js';

/**
 * Where a listing resumes: the last `ultima_alteracao` delivered and the ids already delivered at that very second.
 * Mercos filters with a strict "after" at one-second resolution, so resuming needs both to lose nothing and repeat
 * nothing when several records share the last second. Core's resume cursor does the work.
 */
export interface MercosCursor {
  /** `yyyy-mm-dd HH:mm:ss`, Mercos' own wall time (sorts as text). */
  after: string;
  /** Ids delivered whose `ultima_alteracao` equals `after`. */
  seen: string[];
}

const cursor = resumeCursor<string>({
  subject: 'Mercos',
  compare: compareWallTime,
  write: (at) => at,
  read: (text) => (isWallTime(text) ? text : undefined),
  fields: { at: 'after', ids: 'seen' },
});

export function encodeMercosCursor(position: MercosCursor): string {
  return cursor.encode({ at: position.after, ids: position.seen });
}

export function decodeMercosCursor(text: string): MercosCursor {
  const point = cursor.decode(text);
  if (!point) throw new ValidationError([{ path: 'cursor.after', message: 'not a Mercos cursor (no instant)' }], { subject: 'Mercos cursor' });
  return { after: point.at, seen: point.ids };
}
