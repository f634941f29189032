import { ValidationError } from '../errors/errors.js';

/**
 * Where an incremental listing resumes: the last change instant read and the ids already read at exactly that
 * instant. Platforms stamp changes to the second (or coarser) and many orders share one stamp, so the instant alone
 * would either repeat or skip some of them; with the ids, a resume neither repeats nor loses an order.
 */
export interface ResumePoint<I> {
  at: I;
  ids: string[];
}

export interface ResumeCursorFormat<I> {
  /** Names the cursor in errors: `tray` gives "not a tray cursor". */
  subject: string;
  /** Orders instants: negative when `a` is earlier. */
  compare(a: I, b: I): number;
  /** The instant as the cursor's JSON keeps it. */
  write(at: I): string;
  /** The instant back from the cursor, or undefined when the text is not one. */
  read(text: string): I | undefined;
  /** JSON field names, so cursors a connector already handed out keep working. Default `at` and `ids`. */
  fields?: { at?: string; ids?: string };
}

export interface ResumeCursor<I> {
  /** An opaque string for `OrderPage.cursor`; `undefined` (nothing read yet) is a cursor too. */
  encode(point: ResumePoint<I> | undefined): string;
  /** Reads a cursor this format wrote; anything else is a ValidationError on `cursor`. */
  decode(text: string): ResumePoint<I> | undefined;
  /** Not yet read from `point`: a later instant, or the point's instant with an id not read at it. */
  isAfter(point: ResumePoint<I> | undefined, at: I, id: string): boolean;
  /** The point after reading `entries` in listing order (oldest change first). */
  advance(point: ResumePoint<I> | undefined, entries: Iterable<{ at: I; id: string }>): ResumePoint<I> | undefined;
}

/** The one "last instant plus ids seen at it" cursor every connector's incremental listing uses. */
export function resumeCursor<I>(format: ResumeCursorFormat<I>): ResumeCursor<I> {
  const atField = format.fields?.at ?? 'at';
  const idsField = format.fields?.ids ?? 'ids';
  const invalid = (path: string, reason: string) =>
    new ValidationError([{ path, message: `not a ${format.subject} cursor (${reason})` }], { subject: `${format.subject} cursor` });
  return {
    encode(point) {
      return JSON.stringify({ v: 1, [atField]: point ? format.write(point.at) : null, [idsField]: point ? [...point.ids].sort() : [] });
    },
    decode(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw invalid('cursor', 'invalid JSON');
      }
      const json = parsed as Record<string, unknown> | null;
      if (!json || typeof json !== 'object' || json['v'] !== 1) throw invalid('cursor', 'unknown shape or version');
      const ids = json[idsField];
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw invalid(`cursor.${idsField}`, 'ids must be strings');
      const raw = json[atField];
      if (raw === null || raw === undefined) {
        if (ids.length) throw invalid(`cursor.${atField}`, 'ids without an instant');
        return undefined;
      }
      const at = typeof raw === 'string' ? format.read(raw) : undefined;
      if (at === undefined) throw invalid(`cursor.${atField}`, `${JSON.stringify(raw)} is not an instant`);
      return { at, ids: [...ids] };
    },
    isAfter(point, at, id) {
      if (!point) return true;
      const order = format.compare(at, point.at);
      return order > 0 || (order === 0 && !point.ids.includes(id));
    },
    advance(point, entries) {
      let at = point?.at;
      let ids = new Set(point?.ids ?? []);
      let moved = false;
      for (const entry of entries) {
        const order = at === undefined ? 1 : format.compare(entry.at, at);
        if (order > 0) {
          at = entry.at;
          ids = new Set([entry.id]);
        } else if (order === 0) ids.add(entry.id);
        moved = true;
      }
      if (!moved) return point;
      return at === undefined ? undefined : { at, ids: [...ids] };
    },
  };
}
