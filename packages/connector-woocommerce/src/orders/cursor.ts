import { ValidationError, resumeCursor, type ResumePoint } from '@conecta/core';
import { floorSecond, readGmt, toInstant } from './gmt.js';

/** `date_modified_gmt` as epoch ms; the cursor keeps the ISO instant and the ids emitted at it. */
const cursor = resumeCursor<number>({
  subject: 'WooCommerce',
  compare: (a, b) => a - b,
  write: toInstant,
  read: readGmt,
  fields: { at: 'modified', ids: 'ids' },
});

/**
 * Tracks the resume point while orders are emitted oldest change first, with core's resume cursor: an order is new
 * when it changed after the recorded instant, or at that instant without having been emitted yet (WooCommerce stamps
 * whole seconds, and many orders share one), so a resume neither repeats nor skips.
 */
export class CursorTracker {
  private constructor(private point: ResumePoint<number> | undefined) {}

  static start(options: { cursor?: string; since?: string }): CursorTracker {
    if (options.cursor !== undefined) return CursorTracker.decode(options.cursor);
    if (options.since !== undefined) {
      const since = Date.parse(options.since);
      if (Number.isNaN(since)) throw new ValidationError([{ path: 'since', message: `"${options.since}" is not an ISO instant` }]);
      // Whole seconds, as WooCommerce stores them: an order stamped in the same second counts as "at or after".
      return new CursorTracker({ at: floorSecond(since), ids: [] });
    }
    return new CursorTracker(undefined);
  }

  static decode(text: string): CursorTracker {
    return new CursorTracker(cursor.decode(text));
  }

  /** Lower bound for `modified_after`: one second early, so the result holds the cursor's instant whether the filter is exclusive or inclusive. */
  get queryAfterMs(): number | null {
    return this.point === undefined ? null : this.point.at - 1000;
  }

  isNew(modifiedMs: number, id: string): boolean {
    return cursor.isAfter(this.point, modifiedMs, id);
  }

  advance(modifiedMs: number, id: string): void {
    this.point = cursor.advance(this.point, [{ at: modifiedMs, id }]);
  }

  encode(): string {
    return cursor.encode(this.point);
  }
}
