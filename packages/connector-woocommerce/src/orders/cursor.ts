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
  /**
   * The resume point, kept as its instant and a set of the ids read at it and advanced in place: core's `advance`
   * returns a new point, which copied the ids of the current second for every order of a listing.
   */
  private at: number | undefined;
  private readonly ids: Set<string>;

  private constructor(point: ResumePoint<number> | undefined) {
    this.at = point?.at;
    this.ids = new Set(point?.ids);
  }

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
    return this.at === undefined ? null : this.at - 1000;
  }

  /** core's `isAfter` on the current point. */
  isNew(modifiedMs: number, id: string): boolean {
    return this.at === undefined || modifiedMs > this.at || (modifiedMs === this.at && !this.ids.has(id));
  }

  /** core's `advance` by one order: a later instant starts a new set of ids, the same instant adds to it. */
  advance(modifiedMs: number, id: string): void {
    if (this.at === undefined || modifiedMs > this.at) {
      this.at = modifiedMs;
      this.ids.clear();
      this.ids.add(id);
    } else if (modifiedMs === this.at) this.ids.add(id);
  }

  /** The point as core's cursor format writes it. */
  point(): ResumePoint<number> | undefined {
    return this.at === undefined ? undefined : { at: this.at, ids: [...this.ids] };
  }

  encode(): string {
    return cursor.encode(this.point());
  }
}

/** The cursor format itself, for tests that pin the tracker to core's `isAfter` and `advance`. */
export const wooCursor = cursor;
