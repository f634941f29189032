import { ValidationError } from '@conecta/core';
import { floorSecond, parseGmt, toInstant } from './gmt.js';

interface CursorJson {
  v: 1;
  /** Last `date_modified_gmt` emitted, as an ISO instant; null before the first order. */
  modified: string | null;
  /** Orders already emitted at exactly that instant: WooCommerce stamps whole seconds, and many orders share one. */
  ids: string[];
}

/**
 * Tracks the resume point while orders are emitted oldest change first. An order is new when it changed after the
 * recorded instant, or at that instant without having been emitted yet, so a resume neither repeats nor skips.
 */
export class CursorTracker {
  private constructor(
    private modifiedMs: number | null,
    private idsAtInstant: Set<string>,
  ) {}

  static start(options: { cursor?: string; since?: string }): CursorTracker {
    if (options.cursor !== undefined) return CursorTracker.decode(options.cursor);
    if (options.since !== undefined) {
      const since = Date.parse(options.since);
      if (Number.isNaN(since)) throw new ValidationError([{ path: 'since', message: `"${options.since}" is not an ISO instant` }]);
      // Whole seconds, as WooCommerce stores them: an order stamped in the same second counts as "at or after".
      return new CursorTracker(floorSecond(since), new Set());
    }
    return new CursorTracker(null, new Set());
  }

  static decode(cursor: string): CursorTracker {
    let parsed: Partial<CursorJson>;
    try {
      parsed = JSON.parse(cursor) as Partial<CursorJson>;
    } catch {
      throw new ValidationError([{ path: 'cursor', message: 'not a WooCommerce cursor (invalid JSON)' }]);
    }
    if (parsed?.v !== 1 || !Array.isArray(parsed.ids) || (parsed.modified !== null && typeof parsed.modified !== 'string')) {
      throw new ValidationError([{ path: 'cursor', message: 'not a WooCommerce cursor (unknown shape or version)' }]);
    }
    const modified = parsed.modified === null ? null : parseGmt(parsed.modified, 'cursor.modified');
    return new CursorTracker(modified, new Set(parsed.ids.map(String)));
  }

  /** Lower bound for `modified_after`: one second early, so the result holds the cursor's instant whether the filter is exclusive or inclusive. */
  get queryAfterMs(): number | null {
    return this.modifiedMs === null ? null : this.modifiedMs - 1000;
  }

  isNew(modifiedMs: number, id: string): boolean {
    if (this.modifiedMs === null || modifiedMs > this.modifiedMs) return true;
    return modifiedMs === this.modifiedMs && !this.idsAtInstant.has(id);
  }

  advance(modifiedMs: number, id: string): void {
    if (this.modifiedMs === null || modifiedMs > this.modifiedMs) {
      this.modifiedMs = modifiedMs;
      this.idsAtInstant = new Set([id]);
    } else if (modifiedMs === this.modifiedMs) {
      this.idsAtInstant.add(id);
    }
  }

  encode(): string {
    const json: CursorJson = {
      v: 1,
      modified: this.modifiedMs === null ? null : toInstant(this.modifiedMs),
      ids: [...this.idsAtInstant],
    };
    return JSON.stringify(json);
  }
}
