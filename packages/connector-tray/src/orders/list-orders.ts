import { instantToLocalDateTime, parsePlatformOrder, type ListOrdersOptions, type OrderPage, type PlatformOrder, type RejectedPayload } from '@conecta/core';
import type { TrayApi } from '../api.js';
import type { ResolvedTrayOptions } from '../options.js';
import { advanceCursor, compareMarks, decodeCursor, encodeCursor, isAfter, type ChangeMark, type TrayCursor } from './cursor.js';
import { mapTrayOrder } from './map-order.js';

const DAY_MS = 86_400_000;

/**
 * Incremental listing. Tray filters `modified` by whole days and documents no sort by `modified`, so each run reads
 * the (small) id/modified list of every order changed since the cursor's day, sorts it here, drops what the cursor
 * already covers, and then fetches items from `/orders/:id/complete` one page at a time.
 */
export async function* listTrayOrders(api: TrayApi, options: ResolvedTrayOptions, list: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
  let cursor: TrayCursor | undefined = list.cursor ? decodeCursor(list.cursor) : undefined;
  const since = !cursor && list.since ? instantToLocalDateTime(list.since, options.timeZone) : undefined;
  const fromDay = (cursor?.modified ?? since)?.slice(0, 10);

  const marks = await changedSince(api, options, fromDay, list.signal);
  const pending = marks
    .filter((mark) => (cursor ? isAfter(mark, cursor) : since ? mark.modified >= since : true))
    .sort(compareMarks);

  for (let start = 0; start < pending.length; start += options.pageSize) {
    const chunk = pending.slice(start, start + options.pageSize);
    const results = await mapLimit(chunk, options.concurrency, (mark) => fetchOrder(api, options, mark.id, list.signal));
    const orders: PlatformOrder[] = [];
    const rejected: RejectedPayload[] = [];
    for (const result of results) {
      if (result && 'order' in result) orders.push(result.order);
      else if (result) rejected.push(result.rejected);
    }
    cursor = advanceCursor(cursor, chunk);
    yield { orders, rejected, cursor: encodeCursor(cursor!) };
  }
}

/** Reads one complete order and maps it; null when it vanished between the list and the read. */
export async function fetchOrder(api: TrayApi, options: ResolvedTrayOptions, id: string, signal?: AbortSignal) {
  const raw = await api.completeOrder(id, signal);
  if (raw === null) return null;
  return parsePlatformOrder(raw, (value) => mapTrayOrder(value, options.timeZone), { platform: 'tray', externalId: id });
}

async function changedSince(api: TrayApi, options: ResolvedTrayOptions, fromDay: string | undefined, signal?: AbortSignal): Promise<ChangeMark[]> {
  // One day of margin past today covers a store clock slightly ahead of ours.
  const toDay = instantToLocalDateTime(new Date(options.now() + DAY_MS), options.timeZone).slice(0, 10);
  const query = { sort: options.listSort, ...(fromDay ? options.modifiedFilter(fromDay, toDay) : {}) };
  const marks = new Map<string, ChangeMark>();
  for await (const records of api.paginate('orders', 'Orders', 'Order', query, signal)) {
    for (const record of records) {
      const id = record['id'];
      const modified = record['modified'];
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      // Without a usable `modified` the order still goes through: it sorts first and its read reports it as rejected.
      marks.set(String(id), { id: String(id), modified: typeof modified === 'string' ? modified : '0000-00-00 00:00:00' });
    }
  }
  return [...marks.values()];
}

async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
