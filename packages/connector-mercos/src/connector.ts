import {
  CONNECTOR_SPEC_VERSION,
  NotFoundError,
  instantToLocalDateTime,
  parsePlatformOrder,
  type Connector,
  type ListOrdersOptions,
  type OrderPage,
  type PlatformOrder,
  type PlatformStatus,
  type RejectedPayload,
} from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { decodeMercosCursor, encodeMercosCursor, type MercosCursor } from './cursor.js';
import { CustomStatusNames, fetchCustomStatuses } from './custom-statuses.js';
import { createMercosHttp } from './http.js';
import { MERCOS_EPOCH, addSeconds } from './local-time.js';
import { customerDirectory, type MercosCustomer } from './customers.js';
import { lookupsOf, mapMercosOrder, type MapContext } from './map-order.js';
import { resolveOptions, type MercosConnectorOptions, type ResolvedOptions } from './options.js';
import { listChanged } from './paginate.js';
import { ProductCatalog, byIdDirectory, catalogDirectory, type ProductDirectory } from './products.js';
import { MERCOS_STATUSES, mercosDefaultStatusDictionary, mercosCustomStatusCode } from './statuses.js';
import { pushMercosStock } from './stock.js';

export interface MercosConnector extends Connector {
  readonly platform: 'mercos';
  /** The HTTP client (one token bucket per CompanyToken), for calls the connector does not wrap. */
  readonly http: HttpClient;
  pushStock: NonNullable<Connector['pushStock']>;
}

/** Where a first listing starts: `since` (floored to the second, Mercos' resolution) or everything. */
function startCursor(options: ListOrdersOptions, timeZone: string): MercosCursor {
  if (options.cursor) return decodeMercosCursor(options.cursor);
  if (options.since) {
    // "At or after since": Mercos filters strictly after, so ask from one second before.
    return { after: addSeconds(instantToLocalDateTime(options.since, timeZone), -1), seen: [] };
  }
  return { after: MERCOS_EPOCH, seen: [] };
}

function externalIdOf(raw: unknown): string | undefined {
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

function customIdsOf(records: readonly unknown[]): string[] {
  return records.flatMap((raw) => {
    const id = raw && typeof raw === 'object' ? (raw as { status_custom_id?: unknown }).status_custom_id : undefined;
    return (typeof id === 'number' && id !== 0) || (typeof id === 'string' && id !== '' && id !== '0') ? [String(id)] : [];
  });
}

export function createMercosConnector(input: MercosConnectorOptions): MercosConnector {
  const options: ResolvedOptions = resolveOptions(input);
  const http = createMercosHttp(options);
  const catalog = new ProductCatalog(http);
  const products: ProductDirectory = options.productLookup === 'catalog' ? catalogDirectory(catalog) : byIdDirectory(http);
  const customNames = new CustomStatusNames(http);
  const customers = customerDirectory(http, options.customerCache);

  /** Maps a batch of raw orders, joining SKUs first; each bad order becomes a RejectedPayload. */
  async function mapOrders(records: readonly unknown[], signal?: AbortSignal): Promise<{ orders: PlatformOrder[]; rejected: RejectedPayload[] }> {
    const lookups = records.map(lookupsOf);
    const productMap = await products.resolve(lookups.flatMap((lookup) => lookup.productIds), signal);
    // `GET /v2/pedidos` names only `cliente_id`: each customer is read once (cached across pages and listings),
    // one request at a time through the CompanyToken's lane like every other call.
    const customerMap = new Map<string, MercosCustomer>();
    for (const id of new Set(lookups.flatMap((lookup) => lookup.customerId ?? []))) {
      const customer = await customers.get(id, signal);
      if (customer) customerMap.set(id, customer);
    }
    const customIds = options.useCustomStatus ? customIdsOf(records) : [];
    const context: MapContext = {
      products: productMap,
      customers: customerMap,
      timeZone: options.timeZone,
      useCustomStatus: options.useCustomStatus,
      customStatusNames: customIds.length > 0 ? await customNames.load(customIds, signal) : new Map(),
    };
    const orders: PlatformOrder[] = [];
    const rejected: RejectedPayload[] = [];
    for (const raw of records) {
      const parsed = parsePlatformOrder(raw, (value) => mapMercosOrder(value, context), { platform: 'mercos', externalId: externalIdOf(raw) });
      if ('order' in parsed) orders.push(parsed.order);
      else rejected.push(parsed.rejected);
    }
    return { orders, rejected };
  }

  async function* listOrders(listOptions: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
    const start = startCursor(listOptions, options.timeZone);
    const query = { registros_por_pagina: options.ordersPerPage };
    for await (const page of listChanged(http, 'v2/pedidos', start, { query, signal: listOptions.signal })) {
      if (page.records.length === 0) continue;
      const { orders, rejected } = await mapOrders(page.records, listOptions.signal);
      yield { orders, rejected, cursor: encodeMercosCursor(page.cursor) };
    }
  }

  async function getOrder(externalId: string, getOptions: { signal?: AbortSignal } = {}): Promise<PlatformOrder | null> {
    let data: unknown;
    try {
      ({ data } = await http.get<unknown>(`v2/pedidos/${encodeURIComponent(externalId)}`, undefined, { signal: getOptions.signal }));
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    const raw = Array.isArray(data) ? data[0] : data;
    if (raw === undefined || raw === null) return null;
    const { orders, rejected } = await mapOrders([raw], getOptions.signal);
    if (rejected[0]) throw rejected[0].error;
    return orders[0] ?? null;
  }

  async function statuses(statusOptions: { signal?: AbortSignal } = {}): Promise<PlatformStatus[]> {
    const fixed = [...MERCOS_STATUSES];
    if (!options.useCustomStatus) return fixed;
    const custom = await fetchCustomStatuses(http, statusOptions.signal);
    return [...fixed, ...custom.filter((status) => !status.excluido).map((status) => ({ code: mercosCustomStatusCode(status.id), label: status.nome }))];
  }

  return {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform: 'mercos',
    capabilities: { incrementalPolling: true, webhooks: false, stockPush: true },
    rateLimit: options.rateLimit,
    defaultStatusDictionary: mercosDefaultStatusDictionary(options.customStatusStates),
    http,
    listOrders,
    getOrder,
    statuses,
    pushStock: (levels, pushOptions) => pushMercosStock(http, catalog, levels, pushOptions),
  };
}
