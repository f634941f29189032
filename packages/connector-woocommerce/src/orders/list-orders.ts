import { UpstreamError, ValidationError, type ListOrdersOptions, type OrderPage, type PlatformOrder, type RejectedPayload } from '@conecta/core';
import { parseJsonBytes, type HttpClient, type QueryValue } from '@conecta/core/http';
import { orderedConcurrent } from '../concurrency.js';
import { CursorTracker } from './cursor.js';
import { floorSecond, toGmtParam } from './gmt.js';
import { importWooOrderNow } from './import-order.js';
import { peekOrder } from './map-order.js';
import type { WooSkuResolver } from './resolve-skus.js';

export interface ListOrdersDeps {
  http: HttpClient;
  pageSize: number;
  concurrency: number;
  orderStatuses: string[] | undefined;
  /** WordPress's `_fields` with the order fields asked for, or nothing for whole orders. */
  orderFieldsQuery: Readonly<Record<string, string>>;
  labels: Record<string, string>;
  resolver: WooSkuResolver;
}

interface Paging {
  /** X-WP-Total; undefined when the header is missing. */
  total: number | undefined;
  totalPages: number | undefined;
  /** The server's clock (Date header), in epoch ms. */
  serverTime: number | undefined;
}

/**
 * A page as fetched: its body stays bytes until the page is read, so the pages fetched ahead of the reader wait outside
 * the JavaScript heap (parsed, eight pages of 100 orders kept the young generation growing to its largest size).
 */
interface FetchedPage extends Paging {
  number: number;
  /** Undefined past the last page. */
  body: Uint8Array | undefined;
}

interface RawPage extends Paging {
  items: unknown[];
}

/**
 * Incremental listing, oldest change first.
 *
 * Each round first reads page 1 of `modified_after=<cursor>` alone. When more pages exist, the rest is read as a
 * snapshot bounded by `modified_before` (one second before the server's clock), fetched concurrently. Offset pages
 * shift when an order in front of the read position changes; the bound makes such a change visible, because the
 * order leaves the snapshot and X-WP-Total drops. The round then stops at the last consistent page and the next round
 * resumes from the cursor, so nothing is skipped. The cursor filter drops what an overlap returns again.
 */
export async function* listWooOrders(deps: ListOrdersDeps, options: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
  const tracker = CursorTracker.start(options);
  const signal = options.signal;
  // Payloads without a readable modification time cannot move the cursor; report each once per listing.
  const unplaced = new Set<string>();
  const toOrderPage = (items: unknown[]) => importSelection(selectNew(items, tracker, unplaced), deps, signal);

  for (;;) {
    const baseQuery = buildQuery(deps, tracker.queryAfterMs, undefined);
    const head = await readPage(deps.http, baseQuery, await fetchPage(deps.http, baseQuery, 1, signal), signal);
    // The cursor moves past the head on ids and instants alone, so the snapshot's query is known before the head is
    // mapped: its first pages are fetched while the head's lookups are answered, not after the caller took the head.
    const headSelection = selectNew(head.items, tracker, unplaced);
    const more = hasMorePages(head, 1, deps.pageSize);
    let progressed = headSelection.payloads.length > 0;
    // The head's SKU lookups leave before the snapshot's pages, so the store does not answer them after eight pages.
    const headImport = importSelection(headSelection, deps, signal);
    let snapshot = more && progressed && head.serverTime !== undefined ? startSnapshot(deps, tracker, head.serverTime, head.totalPages, signal) : undefined;
    try {
      const headPage = await headImport;
      if (headPage) yield headPage;
      if (!more) return;

      if (!snapshot) {
        // Either a full page shares the cursor's second with orders already emitted, or the server sent no clock to
        // bound a snapshot with: walk this query's pages in order until something new turns up.
        let page = 1;
        let current = head;
        while (!progressed && hasMorePages(current, page, deps.pageSize)) {
          page += 1;
          current = await readPage(deps.http, baseQuery, await fetchPage(deps.http, baseQuery, page, signal), signal);
          const next = await toOrderPage(current.items);
          if (next) {
            progressed = true;
            yield next;
          }
        }
        if (!progressed) return;
        if (head.serverTime === undefined) continue;
        snapshot = startSnapshot(deps, tracker, head.serverTime, head.totalPages, signal);
      }

      let snapshotTotal: number | undefined;
      for (;;) {
        const step = await snapshot.next();
        if (step.done) break;
        const page = await readPage(deps.http, snapshot.query, step.value, signal);
        // A different total means an order left the snapshot, so this page's offsets moved: resume from the cursor.
        if (snapshotTotal !== undefined && page.total !== snapshotTotal) break;
        const next = await toOrderPage(page.items);
        if (next) yield next;
        // Without a total the snapshot cannot be checked past its first page: the next round resumes from the cursor.
        if (page.total === undefined) break;
        snapshotTotal = page.total;
      }
    } finally {
      await snapshot?.stop();
    }
  }
}

interface Snapshot {
  query: Record<string, QueryValue>;
  /** The next page in order; the first was asked for when the snapshot started. */
  next(): Promise<IteratorResult<FetchedPage>>;
  /** Aborts the pages still in flight and waits for the fetching to end. */
  stop(): Promise<void>;
}

/**
 * Starts fetching the snapshot now: the query from the cursor as it stands, bounded one second before the server's
 * clock. The snapshot leaves out only the last second's changes, so it spans at most the head's pages: its first page
 * is fetched along with the others rather than alone first. Pages past its real end come back empty.
 */
function startSnapshot(deps: ListOrdersDeps, tracker: CursorTracker, serverTime: number, totalPages: number | undefined, signal: AbortSignal | undefined): Snapshot {
  const query = buildQuery(deps, tracker.queryAfterMs, floorSecond(serverTime) - 1000);
  const stopped = new AbortController();
  const source = orderedConcurrent(
    totalPages ?? 1,
    deps.concurrency,
    (index, taskSignal) => fetchPage(deps.http, query, index + 1, taskSignal),
    signal ? AbortSignal.any([signal, stopped.signal]) : stopped.signal,
  );
  // The first step runs now (async generators start on their first `next`); its failure is the reader's to see.
  const first = source.next();
  first.catch(() => undefined);
  let firstTaken = false;
  return {
    query,
    next: () => {
      if (firstTaken) return source.next();
      firstTaken = true;
      return first;
    },
    stop: async () => {
      stopped.abort();
      await source.return(undefined).catch(() => undefined);
    },
  };
}

function buildQuery(deps: ListOrdersDeps, afterMs: number | null, beforeMs: number | undefined): Record<string, QueryValue> {
  return {
    ...(afterMs !== null ? { modified_after: toGmtParam(afterMs) } : {}),
    ...(beforeMs !== undefined ? { modified_before: toGmtParam(beforeMs) } : {}),
    dates_are_gmt: true,
    orderby: 'modified',
    order: 'asc',
    per_page: deps.pageSize,
    // WordPress reads a repeated `status=` as its last value only; a comma list is the array form it accepts.
    ...(deps.orderStatuses?.length ? { status: deps.orderStatuses.join(',') } : {}),
    ...deps.orderFieldsQuery,
  };
}

function hasMorePages(page: RawPage, number: number, pageSize: number): boolean {
  if (page.totalPages !== undefined) return number < page.totalPages;
  return page.items.length >= pageSize;
}

async function fetchPage(http: HttpClient, query: Record<string, QueryValue>, page: number, signal: AbortSignal | undefined): Promise<FetchedPage> {
  try {
    const response = await http.get<Uint8Array>('orders', { ...query, page }, { signal, responseType: 'bytes' });
    return { number: page, body: response.data, ...pagingOf(response.headers) };
  } catch (error) {
    if (isPastLastPage(page, error)) return { number: page, body: undefined, total: -1, totalPages: undefined, serverTime: undefined };
    throw error;
  }
}

/**
 * Parses a fetched page when the listing reaches it. A body that is not JSON is asked for again through the HTTP
 * client's JSON reading, which retries it as any unreadable answer to a read (a host's error page is usually passing)
 * and reports it if it stays unreadable.
 */
async function readPage(http: HttpClient, query: Record<string, QueryValue>, fetched: FetchedPage, signal: AbortSignal | undefined): Promise<RawPage> {
  const { number, body, ...paging } = fetched;
  if (body === undefined) return { items: [], ...paging };
  let data: unknown;
  let answered: Paging = paging;
  try {
    data = parseJsonBytes(body);
  } catch {
    try {
      const response = await http.get<unknown>('orders', { ...query, page: number }, { signal });
      data = response.data;
      answered = pagingOf(response.headers);
    } catch (error) {
      if (isPastLastPage(number, error)) return { items: [], total: -1, totalPages: undefined, serverTime: undefined };
      throw error;
    }
  }
  if (!Array.isArray(data)) {
    throw new UpstreamError(`woocommerce: GET orders page ${number} did not return a JSON array`, { retryable: false });
  }
  return { items: data, ...answered };
}

/** Past the last page WooCommerce answers 400 instead of an empty list; in a shrinking snapshot that just means "done". */
function isPastLastPage(page: number, error: unknown): boolean {
  return page > 1 && error instanceof ValidationError && error.message.includes('woocommerce_rest_invalid_page_number');
}

function pagingOf(headers: Headers): Paging {
  const date = Date.parse(headers.get('date') ?? '');
  return { total: headerInt(headers, 'x-wp-total'), totalPages: headerInt(headers, 'x-wp-totalpages'), serverTime: Number.isNaN(date) ? undefined : date };
}

function headerInt(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

interface Selection {
  /** The payloads the cursor has not emitted yet, with their ids when readable. */
  payloads: Array<{ raw: unknown; id: string | undefined }>;
  /** The cursor past them. */
  cursor: string;
}

/** The payloads the cursor has not emitted yet, read by id and modification instant only; the cursor moves past them. */
function selectNew(items: unknown[], tracker: CursorTracker, unplaced: Set<string>): Selection {
  const payloads: Selection['payloads'] = [];
  for (const raw of items) {
    const { id, modifiedMs } = peekOrder(raw);
    if (id !== undefined && modifiedMs !== undefined) {
      // The server filter is a hint (older stores ignore it): the cursor decides what is new.
      if (!tracker.isNew(modifiedMs, id)) continue;
      tracker.advance(modifiedMs, id);
    } else if (id !== undefined) {
      if (unplaced.has(id)) continue;
      unplaced.add(id);
    }
    payloads.push({ raw, id });
  }
  return { payloads, cursor: tracker.encode() };
}

/**
 * Maps the selected payloads; undefined when there are none. Every order of the page starts at once, so the SKU lookups
 * of different orders are on their way together (the token bucket paces them) instead of one round trip after another;
 * the results keep the page's order.
 */
async function importSelection(selection: Selection, deps: ListOrdersDeps, signal: AbortSignal | undefined): Promise<OrderPage | undefined> {
  if (selection.payloads.length === 0) return undefined;
  const imports = selection.payloads.map(({ raw, id }) => {
    const imported = importWooOrderNow(raw, deps.labels, deps.resolver, id, signal);
    // Awaited in order below; a later order's failure must not go unhandled while an earlier one is awaited.
    if (imported instanceof Promise) imported.catch(() => undefined);
    return imported;
  });
  const orders: PlatformOrder[] = [];
  const rejected: RejectedPayload[] = [];
  for (const imported of imports) {
    const result = imported instanceof Promise ? await imported : imported;
    if ('order' in result) orders.push(result.order);
    else rejected.push(result.rejected);
  }
  return { orders, rejected, cursor: selection.cursor };
}
