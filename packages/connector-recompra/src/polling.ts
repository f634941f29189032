import { ConectaError, ValidationError, parseWith, type ListOrdersOptions, type OrderPage, type PlatformOrder } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { advanceCursor, alreadyRead, decodeRecompraCursor, encodeRecompraCursor, type RecompraCursor } from './cursor.js';
import { mapRawOrder } from './map-order.js';
import { RecompraOrderEnvelopeSchema, RecompraOrdersPageSchema, type RecompraOrderIdentify, type RecompraOrderMapping } from './schema.js';

export interface PollingSettings {
  client: HttpClient;
  ordersPath: string;
  pageSize: number;
  schema: RecompraOrderMapping;
  identify: RecompraOrderIdentify;
}

function startingCursor(options: ListOrdersOptions): RecompraCursor {
  if (options.cursor) return decodeRecompraCursor(options.cursor);
  if (options.since === undefined) return { since: undefined, seen: [] };
  const at = Date.parse(options.since);
  if (Number.isNaN(at)) throw new ValidationError([{ path: 'since', message: `"${options.since}" is not an ISO instant` }], { subject: 'recompra listOrders' });
  return { since: new Date(at).toISOString(), seen: [] };
}

/**
 * Pages by `updated_since` first and `page` second. Whenever a page moves the cursor's instant forward, the next
 * request starts again at page 1 from the new instant, so an order that changes mid-listing (and so moves to the
 * end of the vendor's sort) cannot shift an unread order out of reach. `page` only grows while a whole page sits at
 * the same instant.
 */
export async function* listRecompraOrders(settings: PollingSettings, options: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
  let cursor = startingCursor(options);
  let page = 1;
  let yielded = false;
  for (;;) {
    const response = await settings.client.get<unknown>(
      settings.ordersPath,
      { updated_since: cursor.since, page, per_page: settings.pageSize },
      { signal: options.signal },
    );
    const body = parseWith(RecompraOrdersPageSchema, response.data, 'recompra orders page');
    const sinceBefore = cursor.since;
    const out: OrderPage = { orders: [], rejected: [], cursor: '' };
    for (const raw of body.orders) {
      const mapped = mapRawOrder(raw, settings.schema, settings.identify);
      if (alreadyRead(cursor, mapped.externalId, mapped.updatedAt)) continue;
      if (mapped.order) out.orders.push(mapped.order);
      else out.rejected.push(mapped.rejected);
      cursor = advanceCursor(cursor, mapped.externalId, mapped.updatedAt);
    }
    const isLast = !body.has_more || body.orders.length === 0;
    if (out.orders.length > 0 || out.rejected.length > 0 || (isLast && !yielded)) {
      yielded = true;
      yield { ...out, cursor: encodeRecompraCursor(cursor) };
    }
    if (isLast) return;
    page = cursor.since !== sinceBefore ? 1 : page + 1;
  }
}

/** `null` when the vendor answers 404; a malformed order throws its ValidationError. */
export async function getRecompraOrder(settings: PollingSettings, externalId: string, signal?: AbortSignal): Promise<PlatformOrder | null> {
  let data: unknown;
  try {
    data = (await settings.client.get<unknown>(`${settings.ordersPath}/${encodeURIComponent(externalId)}`, undefined, { signal })).data;
  } catch (error) {
    // By code, not instanceof: a duplicate install of core would break instanceof.
    if (ConectaError.isConectaError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
  const envelope = parseWith(RecompraOrderEnvelopeSchema, data, `recompra order ${externalId}`);
  const mapped = mapRawOrder(envelope.order, settings.schema, settings.identify);
  if (mapped.order) return mapped.order;
  throw mapped.rejected.error;
}
