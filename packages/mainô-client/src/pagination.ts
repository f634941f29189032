import { UpstreamError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { PaginationSchema } from './schemas.js';

export interface ListPage<T> {
  items: T[];
  page: number;
  /** The page to ask for next, or null on the last page. */
  nextPage: number | null;
}

export interface PaginateOptions {
  path: string;
  /** The array's name in the body (`produtos`, `pedidos`). */
  listKey: string;
  query: Record<string, string | number>;
  firstPage?: number;
  /** Stop after this many pages even if Mainô offers more (bounded lookups). */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Walks `page`/`per_page` while `pagination.next_page` is set, as the reported clients do. */
export async function* paginate(http: HttpClient, options: PaginateOptions): AsyncGenerator<ListPage<unknown>> {
  let page: number | null = options.firstPage ?? 1;
  const seen = new Set<number>();
  for (let count = 0; page !== null && count < (options.maxPages ?? Number.POSITIVE_INFINITY); count += 1) {
    // A server that keeps answering the same next_page would otherwise loop forever.
    if (seen.has(page)) break;
    seen.add(page);
    const response = await http.get<Record<string, unknown> | undefined>(
      options.path,
      { ...options.query, page },
      options.signal ? { signal: options.signal } : {},
    );
    const body = response.data ?? {};
    const items = body[options.listKey];
    if (!Array.isArray(items)) {
      throw new UpstreamError(`maino: GET ${options.path} answered without a "${options.listKey}" list`, { status: response.status, retryable: false });
    }
    const pagination = PaginationSchema.safeParse(body['pagination']);
    const next = pagination.success ? pageNumber(pagination.data?.next_page) : Number.NaN;
    const nextPage: number | null = Number.isInteger(next) && next > page ? next : null;
    yield { items, page, nextPage };
    page = nextPage;
  }
}

/** `next_page` as a number, a numeric string or a URL with `?page=` (the one real client reads all three). */
function pageNumber(value: number | string | null | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  try {
    return Number(new URL(value, 'https://maino.invalid/').searchParams.get('page') ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}
