import {
  UpstreamError,
  ValidationError,
  fromZodError,
  parsePlatformOrder,
  redactValue,
  type ListOrdersOptions,
  type OrderPage,
  type PlatformOrder,
  type RejectedPayload,
} from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import * as z from 'zod';
import { getAll, getOne } from './api.js';
import { advance, decodeCursor, encodeCursor, isAfter, type ListPosition } from './cursor.js';
import { liDateTimeToMicros, sinceAtualizadoParam } from './dates.js';
import { mapPedido, produtoIdsWithoutSku } from './map-order.js';
import type { ProductSkus } from './product-skus.js';
import type { ResolvedOptions } from './options.js';
import { PedidoSummarySchema } from './schemas.js';

interface ScannedOrder {
  id: string;
  micros: number;
  summary: unknown;
}

/**
 * Incremental listing. LI's search sort order is undocumented and its offset pages shift when an order changes, so the
 * whole `since_atualizado` window is scanned first, checked against `meta.total_count`, and sorted here by
 * (`data_modificacao`, `numero`). Pages are then emitted oldest change first, each with its details and a cursor that
 * tie-breaks on the ids already listed at the last instant.
 */
export async function* listOrders(http: HttpClient, options: ResolvedOptions, skus: ProductSkus, list: ListOrdersOptions = {}): AsyncGenerator<OrderPage> {
  const start = startPosition(list);
  const { scanned, rejected } = await scanWindow(http, options, start, list.signal);
  const pending = scanned.filter((order) => isAfter(start, order.micros, order.id)).sort((a, b) => a.micros - b.micros || Number(a.id) - Number(b.id));

  let position = start;
  let carried: RejectedPayload[] = rejected;
  for (let index = 0; index < pending.length; index += options.pageSize) {
    const chunk = pending.slice(index, index + options.pageSize);
    const orders: PlatformOrder[] = [];
    const pageRejected: RejectedPayload[] = [...carried];
    carried = [];
    for (const entry of chunk) {
      const raw = hasItems(entry.summary) ? entry.summary : await getOne(http, `pedido/${entry.id}`, list.signal);
      // Deleted between the search and the detail read: nothing to import.
      if (raw === null) continue;
      const products = await skus.resolve(produtoIdsWithoutSku(raw), list.signal);
      const result = parsePlatformOrder(raw, (payload) => mapPedido(payload, options.timeZone, products), { platform: 'lojaintegrada', externalId: entry.id });
      if ('order' in result) orders.push(result.order);
      else pageRejected.push(result.rejected);
    }
    position = advance(position, chunk);
    yield { orders, rejected: pageRejected, cursor: encodeCursor(position!) };
  }
  if (carried.length > 0) {
    // Only unreadable summaries this run: report them without moving the resume point.
    yield { orders: [], rejected: carried, cursor: position ? encodeCursor(position) : list.cursor ?? '' };
  }
}

function startPosition(list: ListOrdersOptions): ListPosition | undefined {
  if (list.cursor) return decodeCursor(list.cursor);
  if (list.since) {
    const ms = Date.parse(list.since);
    if (Number.isNaN(ms)) throw new ValidationError([{ path: 'since', message: `"${list.since}" is not an ISO instant` }], { subject: 'lojaintegrada listOrders' });
    return { atMicros: ms * 1000, ids: [] };
  }
  return undefined;
}

async function scanWindow(
  http: HttpClient,
  options: ResolvedOptions,
  start: ListPosition | undefined,
  signal: AbortSignal | undefined,
): Promise<{ scanned: ScannedOrder[]; rejected: RejectedPayload[] }> {
  const query = { since_atualizado: start ? sinceAtualizadoParam(start.atMicros, options.timeZone, options.sinceOverlapSeconds) : undefined };
  const scanned = new Map<string, ScannedOrder>();
  const rejected = new Map<string, RejectedPayload>();
  for (let pass = 1; pass <= options.maxScanPasses; pass += 1) {
    const { objects, totalCount } = await getAll(http, 'pedido/search/', z.unknown(), query, options.pageSize, signal);
    for (const [index, summary] of objects.entries()) {
      const read = readSummary(summary, options.timeZone);
      if ('rejected' in read) {
        rejected.set(read.rejected.externalId ?? `#${index}`, read.rejected);
        continue;
      }
      const known = scanned.get(read.id);
      if (!known || known.micros < read.micros) scanned.set(read.id, read);
    }
    // An order changing mid-scan moves between offset pages and can push an unchanged one past the reader.
    // Orders never leave the window (modification only moves forward), so a short count means something was missed.
    if (scanned.size + rejected.size >= totalCount) return { scanned: [...scanned.values()], rejected: [...rejected.values()] };
  }
  throw new UpstreamError(
    `lojaintegrada: the order search kept changing during ${options.maxScanPasses} scans (pages shifted); retry later`,
    { retryable: true },
  );
}

function readSummary(summary: unknown, timeZone: string): ScannedOrder | { rejected: RejectedPayload } {
  const parsed = PedidoSummarySchema.safeParse(summary);
  const numero = (summary as { numero?: unknown } | null)?.numero;
  const externalId = typeof numero === 'number' || typeof numero === 'string' ? String(numero) : undefined;
  const subject = `lojaintegrada order ${externalId ?? '(unknown id)'}`;
  if (!parsed.success) return { rejected: { externalId, error: fromZodError(parsed.error, subject), raw: redactValue(summary) } };
  try {
    return { id: String(parsed.data.numero), micros: liDateTimeToMicros(parsed.data.data_modificacao, timeZone, 'data_modificacao'), summary };
  } catch (error) {
    const validation = error instanceof ValidationError ? new ValidationError(error.issues, { subject }) : new ValidationError([{ path: 'data_modificacao', message: String(error) }], { subject });
    return { rejected: { externalId, error: validation, raw: redactValue(summary) } };
  }
}

function hasItems(summary: unknown): boolean {
  return Array.isArray((summary as { itens?: unknown } | null)?.itens);
}
