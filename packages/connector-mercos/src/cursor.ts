import * as z from 'zod';
import { ValidationError } from '@conecta/core';
import { isWallTime } from './local-time.js';

/**
 * Where a listing resumes: the last `ultima_alteracao` delivered and the ids already delivered at that very second.
 * Mercos filters with a strict "after" at one-second resolution, so resuming needs both to lose nothing and repeat
 * nothing when several records share the last second.
 */
export interface MercosCursor {
  /** `yyyy-mm-dd HH:mm:ss`, Mercos' own wall time. */
  after: string;
  /** Ids delivered whose `ultima_alteracao` equals `after`. */
  seen: string[];
}

const CursorSchema = z.object({
  v: z.literal(1),
  after: z.string().refine(isWallTime, 'expected yyyy-mm-dd HH:mm:ss'),
  seen: z.array(z.string()),
});

export function encodeCursor(cursor: MercosCursor): string {
  return JSON.stringify({ v: 1, after: cursor.after, seen: [...cursor.seen].sort() });
}

export function decodeCursor(text: string): MercosCursor {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: 'cursor', message: 'not a Mercos cursor (invalid JSON)' }], { subject: 'mercos cursor' });
  }
  const result = CursorSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ValidationError([{ path: ['cursor', ...(issue?.path ?? [])].join('.'), message: issue?.message ?? 'invalid' }], { subject: 'mercos cursor' });
  }
  return { after: result.data.after, seen: result.data.seen };
}
