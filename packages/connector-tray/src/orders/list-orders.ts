import pLimit from 'p-limit';
import { instantToLocalDateTime, parsePlatformOrder, type ListOrdersOptions, type OrderPage, type PlatformOrder, type RejectedPayload } from '@conecta/core';
import type { TrayApi } from '../api.js';
import type { ResolvedTrayOptions } from '../options.js';
import { advanceCursor, compareMarks, decodeCursor, encodeCursor, isAfter, type ChangeMark, type TrayCursor } from './cursor.js';
import { mapTrayOrder, trayItems } from './map-order.js';
import type { TrayLineResolution, TraySkuResolver } from './resolve-skus.js';

const DAY_MS = 86_400_000;

/** A listed order: what ordering needs, and the listing record (its `coupon` may be missing from the complete order). */
interface ListedMark extends ChangeMark {
  listed: Record<string, unknown>;
}

/**
 * Incremental listing. Tray filters `modified` by whole days and documents no sort by `modified`, so each run reads
 * the (small) id/modified list of every order changed since the cursor's day, sorts it here, drops what the cursor
 * already covers, and then fetches items from `/orders/:id/complete` one page at a time.
 */
export async function* listTrayOrders(api: TrayApi, options: ResolvedTrayOptions, resolver: TraySkuResolver, list: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
  let cursor: TrayCursor | undefined = list.cursor ? decodeCursor(list.cursor) : undefined;
  const since = !cursor && list.since ? instantToLocalDateTime(list.since, options.timeZone) : undefined;
  const fromDay = (cursor?.modified ?? since)?.slice(0, 10);

  const marks = await changedSince(api, options, fromDay, list.signal);
  const pending = marks
    .filter((mark) => (cursor ? isAfter(mark, cursor) : since ? mark.modified >= since : true))
    .sort(compareMarks);

  for (let start = 0; start < pending.length; start += options.pageSize) {
    const chunk = pending.slice(start, start + options.pageSize);
    const results = await pLimit(options.concurrency).map(chunk, (mark) => fetchOrder(api, options, resolver, mark.id, list.signal, mark.listed));
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
export async function fetchOrder(api: TrayApi, options: ResolvedTrayOptions, resolver: TraySkuResolver, id: string, signal?: AbortSignal, listed?: Record<string, unknown>) {
  const raw = await api.completeOrder(id, signal);
  if (raw === null) return null;
  return importTrayOrder(raw, options, resolver, id, signal, listed);
}

/**
 * Resolves the SKUs of items without `reference`, then maps. Lookup failures other than "not found" propagate (the
 * order is read again on the next run); a payload too broken to read its items is left to the mapping to report.
 */
export async function importTrayOrder(raw: unknown, options: ResolvedTrayOptions, resolver: TraySkuResolver, id: string, signal?: AbortSignal, listed?: Record<string, unknown>) {
  const resolutions = new Map<number, TrayLineResolution>();
  let items: Array<Record<string, unknown>> = [];
  try {
    items = trayItems(raw as Record<string, unknown>);
  } catch {
    items = [];
  }
  for (const [index, item] of items.entries()) {
    const resolution = await resolver.resolve(item, signal);
    if (resolution) resolutions.set(index, resolution);
  }
  return parsePlatformOrder(raw, (value) => mapTrayOrder(value, options.timeZone, { resolutions, listed }), { platform: 'tray', externalId: id });
}

async function changedSince(api: TrayApi, options: ResolvedTrayOptions, fromDay: string | undefined, signal?: AbortSignal): Promise<ListedMark[]> {
  // One day of margin past today covers a store clock slightly ahead of ours.
  const toDay = instantToLocalDateTime(new Date(options.now() + DAY_MS), options.timeZone).slice(0, 10);
  const query = { sort: options.listSort, ...(fromDay ? options.modifiedFilter(fromDay, toDay) : {}) };
  const marks = new Map<string, ListedMark>();
  for await (const records of api.paginate('orders', 'Orders', 'Order', query, signal)) {
    for (const record of records) {
      const id = record['id'];
      const modified = record['modified'];
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      // Without a usable `modified` the order still goes through: it sorts first and its read reports it as rejected.
      marks.set(String(id), { id: String(id), modified: typeof modified === 'string' ? modified : '0000-00-00 00:00:00', listed: record });
    }
  }
  return [...marks.values()];
}

