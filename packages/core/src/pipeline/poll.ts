import type { PipelineContext } from './context.js';
import { ingestOrders } from './ingest.js';

export interface PollResult {
  pages: number;
  imported: number;
  unchanged: number;
  quarantined: number;
  changedOrderIds: string[];
}

/**
 * One incremental pass over an integration's orders: each page is stored, then its cursor saved, so a crash
 * between the two re-reads a page (harmless: imports are idempotent) and never skips one.
 */
export async function pollIntegration(context: PipelineContext, integrationId: string, options: { signal?: AbortSignal; since?: string } = {}): Promise<PollResult> {
  const { connector } = context.resolve(integrationId);
  const cursor = (await context.store.getCursor(integrationId)) ?? undefined;
  const result: PollResult = { pages: 0, imported: 0, unchanged: 0, quarantined: 0, changedOrderIds: [] };
  for await (const page of connector.listOrders({ cursor, since: options.since, signal: options.signal })) {
    const ingested = await ingestOrders(context, integrationId, page.orders, page.rejected, 'poll');
    await context.store.saveCursor(integrationId, page.cursor);
    context.events.emit('cursor-saved', { integrationId, cursor: page.cursor });
    result.pages += 1;
    result.imported += ingested.imported;
    result.unchanged += ingested.unchanged;
    result.quarantined += ingested.quarantined;
    result.changedOrderIds.push(...ingested.changedOrderIds);
    context.events.emit('progress', { integrationId, task: 'backfill', done: result.imported + result.unchanged + result.quarantined });
    options.signal?.throwIfAborted();
  }
  return result;
}
