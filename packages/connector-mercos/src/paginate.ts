import { UpstreamError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import type { MercosCursor } from './cursor.js';
import { MERCOS_LIMIT_HEADER } from './http.js';
import { addSeconds, compareWallTime, isWallTime } from './local-time.js';

export interface ChangedPage {
  /** Records not delivered before, in `ultima_alteracao` order. */
  records: unknown[];
  /** Resume point after this page. */
  cursor: MercosCursor;
}

/** `id` and `ultima_alteracao` of a record, or undefined when unreadable (the record still passes through). */
function stampOf(record: unknown): { id: string; at: string } | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const { id, ultima_alteracao: at } = record as Record<string, unknown>;
  if ((typeof id !== 'number' && typeof id !== 'string') || typeof at !== 'string' || !isWallTime(at)) return undefined;
  return { id: String(id), at: at.replace('T', ' ') };
}

/**
 * Walks a Mercos list route by `alterado_apos`, the only paging it has. Mercos stamps at one-second resolution and
 * filters with a strict "after", so the next call asks from one second before the last delivered stamp and drops
 * the records already delivered at that second: nothing sharing the boundary second is lost or repeated.
 */
export async function* listChanged(
  http: HttpClient,
  path: string,
  start: MercosCursor,
  options: { query?: Record<string, string | number | undefined>; signal?: AbortSignal } = {},
): AsyncGenerator<ChangedPage> {
  let cursor: MercosCursor = { after: start.after, seen: [...start.seen] };
  for (;;) {
    const seen = new Set(cursor.seen);
    const alteradoApos = seen.size > 0 ? addSeconds(cursor.after, -1) : cursor.after;
    const response = await http.get<unknown>(path, { ...options.query, alterado_apos: alteradoApos }, { signal: options.signal });
    if (!Array.isArray(response.data)) {
      throw new UpstreamError(`mercos: GET ${path} did not answer a JSON array`, { status: response.status, retryable: false });
    }
    const limited = response.headers.get(MERCOS_LIMIT_HEADER)?.trim() === '1';

    const fresh: unknown[] = [];
    const next: MercosCursor = { after: cursor.after, seen: [...cursor.seen] };
    for (const record of sortByStamp(response.data)) {
      const stamp = stampOf(record);
      if (stamp) {
        const order = compareWallTime(stamp.at, cursor.after);
        if (order < 0 || (order === 0 && seen.has(stamp.id))) continue;
        if (compareWallTime(stamp.at, next.after) > 0) {
          next.after = stamp.at;
          next.seen = [stamp.id];
        } else if (!next.seen.includes(stamp.id)) {
          next.seen.push(stamp.id);
        }
      }
      fresh.push(record);
    }

    const moved = next.after !== cursor.after || next.seen.length !== cursor.seen.length;
    cursor = next;
    yield { records: fresh, cursor: { after: cursor.after, seen: [...cursor.seen] } };
    if (!limited) return;
    if (!moved) {
      // More records share one second than Mercos returns per call: `alterado_apos` cannot get past them.
      throw new UpstreamError(
        `mercos: GET ${path} is capped and every record it returns shares ${cursor.after}; more records changed in that second than one call returns (raise registros_por_pagina where the route has it)`,
        { retryable: false },
      );
    }
  }
}

/** Mercos documents the order; sorting (stably) keeps the cursor correct even if a page arrives out of order. */
function sortByStamp(records: unknown[]): unknown[] {
  return records
    .map((record, index) => ({ record, index, at: stampOf(record)?.at }))
    .sort((a, b) => compareWallTime(a.at ?? '', b.at ?? '') || a.index - b.index)
    .map(({ record }) => record);
}
