import { NotFoundError, UpstreamError, parseWith } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import type * as z from 'zod';
import { MetaSchema, listSchema } from './schemas.js';

/** Thin LI resource calls: paths, list envelopes and 404-as-absent. */

export type ListEnvelope<T> = { meta: z.output<typeof MetaSchema>; objects: T[] };

export async function getList<S extends z.ZodType>(
  http: HttpClient,
  path: string,
  object: S,
  query: Record<string, string | number | undefined>,
  signal?: AbortSignal,
): Promise<ListEnvelope<z.output<S>>> {
  const response = await http.get<unknown>(path, query, signal ? { signal } : {});
  return parseWith(listSchema(object), response.data, `lojaintegrada GET ${path}`) as ListEnvelope<z.output<S>>;
}

/** Every object of a Tastypie list, page by page. Offsets are computed from `meta`, not from `meta.next`'s path form. */
export async function getAll<S extends z.ZodType>(
  http: HttpClient,
  path: string,
  object: S,
  query: Record<string, string | number | undefined>,
  limit: number,
  signal?: AbortSignal,
): Promise<{ objects: Array<z.output<S>>; totalCount: number }> {
  const objects: Array<z.output<S>> = [];
  let offset = 0;
  for (;;) {
    const page = await getList(http, path, object, { ...query, limit, offset }, signal);
    objects.push(...page.objects);
    if (page.meta.next === null || page.objects.length === 0) return { objects, totalCount: page.meta.total_count };
    offset = page.meta.offset + page.meta.limit;
  }
}

/** GET of one resource; `null` on 404. */
export async function getOne(http: HttpClient, path: string, signal?: AbortSignal): Promise<unknown | null> {
  try {
    const response = await http.get<unknown>(path, undefined, signal ? { signal } : {});
    if (response.data === undefined) throw new UpstreamError(`lojaintegrada: GET ${path} answered an empty body`, { retryable: false });
    return response.data;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
