import type { PlatformOrder } from '../models/order.js';
import { resolveStatus } from '../models/status-dictionary.js';
import type { RejectedPayload } from '../spec/connector.js';
import type { PipelineContext } from './context.js';

export interface IngestResult {
  imported: number;
  unchanged: number;
  quarantined: number;
  /** Orders created or changed by this batch. */
  changedOrderIds: string[];
}

/**
 * Stores a batch of platform orders: the integration's dictionary gives each its intake state, the store upserts
 * idempotently, and every payload that failed validation is quarantined with its error instead of being dropped.
 */
export async function ingestOrders(
  context: PipelineContext,
  integrationId: string,
  orders: readonly PlatformOrder[],
  rejected: readonly RejectedPayload[],
  source: 'poll' | 'webhook',
): Promise<IngestResult> {
  // Another worker may have saved an edited dictionary since the last batch: one keyed read per batch picks it up.
  await context.refreshDictionary(integrationId);
  const { integration } = context.resolve(integrationId);
  const result: IngestResult = { imported: 0, unchanged: 0, quarantined: 0, changedOrderIds: [] };
  for (const order of orders) {
    const resolution = resolveStatus(integration.statusDictionary, order.status);
    const stored = await context.store.upsertOrder({ integrationId, order, intakeState: resolution.state, at: context.now() });
    if (!stored.changed) {
      result.unchanged += 1;
      continue;
    }
    result.imported += 1;
    result.changedOrderIds.push(stored.order.id);
    context.events.emit('order-imported', {
      integrationId,
      orderId: stored.order.id,
      externalId: order.externalId,
      created: stored.created,
      intakeState: stored.order.intakeState,
    });
    if (resolution.unmapped) context.events.emit('status-unmapped', { integrationId, orderId: stored.order.id, platformStatus: order.status });
  }
  for (const payload of rejected) {
    await context.store.quarantine({
      integrationId,
      externalId: payload.externalId,
      code: payload.error.code,
      path: payload.error.path,
      message: payload.error.message,
      raw: payload.raw,
      source,
      at: context.now(),
    });
    result.quarantined += 1;
    context.events.emit('order-quarantined', { integrationId, externalId: payload.externalId, code: payload.error.code, message: payload.error.message });
  }
  return result;
}
