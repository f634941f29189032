import type { Movement } from '../models/movement.js';
import type { Order } from '../models/order.js';
import { transitionAll } from '../store/transition-all.js';
import { allocateOrder } from './allocate-step.js';
import { cancelOrderMovements } from './cancel-step.js';
import type { PipelineContext } from './context.js';
import { createErpOrders } from './erp-order-step.js';
import { syncOrder } from './sync-step.js';

export type ProcessOutcome = 'done' | 'cancelled' | 'waiting' | 'shortfall' | 'failed' | 'skipped';

export interface ProcessOptions {
  actor?: string;
  signal?: AbortSignal;
  /** Runs before each ERP create and throws to stop it (the runner's lease check). */
  beforeErpCreate?: () => Promise<void>;
}

/**
 * Takes one order as far as it can go: cancelled orders release or reverse their stock in every mode; in
 * automatic mode the others go through allocation, sync and the ERP order. Returns whether work remains that a
 * later run could finish (`retry`), e.g. after a retryable failure.
 */
export async function processOrder(
  context: PipelineContext,
  order: Order,
  options: ProcessOptions = {},
): Promise<{ outcome: ProcessOutcome; retry: boolean }> {
  const result = await processSteps(context, order, options);
  context.events.emit('order-processed', { integrationId: order.integrationId, orderId: order.id, ...result });
  return result;
}

async function processSteps(
  context: PipelineContext,
  order: Order,
  options: ProcessOptions,
): Promise<{ outcome: ProcessOutcome; retry: boolean }> {
  const actor = options.actor ?? 'system';
  const { mode } = context.resolve(order.integrationId);
  if (order.intakeState === 'cancelled') {
    await cancelOrderMovements(context, order.id, { actor, signal: options.signal });
    return { outcome: 'cancelled', retry: false };
  }
  if (mode !== 'automatic' || (order.intakeState !== 'pending' && order.intakeState !== 'finalized')) return { outcome: 'skipped', retry: false };

  // The order was just read by the caller; movements are read fresh by each step, which is what concurrency needs.
  let reallocate = false;
  // A refusal for lack of stock sends the refused lines back to allocation on fresh figures; each round reads
  // Mainô's stock again for them, and a few rounds are enough for any stock that is not moving faster than we sell.
  for (let round = 0; ; round += 1) {
    const allocation = await allocateOrder(context, order.id, { actor, signal: options.signal, order, reallocate });
    if (allocation.movements.length === 0) return { outcome: 'shortfall', retry: false };
    const sync = await syncOrder(context, order.id, { actor, signal: options.signal, order, stock: allocation.stock });
    if (sync.failed.length > 0) {
      // The snapshot moved under the plan (another worker corrected it after a refusal): the lines go back to
      // allocation on the figures the check just read, instead of waiting a lease for a retry of the same plan.
      if (context.stockFreshnessMs > 0 && round < MAX_REFUSAL_ROUNDS && sync.failed.every((movement) => movement.failure?.code === 'SHORTFALL')) {
        await releaseForReallocation(context, sync.failed, actor);
        reallocate = true;
        continue;
      }
      return { outcome: 'failed', retry: sync.failed.some((movement) => movement.failure?.retryable) };
    }
    // Read fresh here: a cancellation imported meanwhile must stop the ERP order.
    const justSynced = new Set(sync.synced.map((movement) => movement.id));
    const created = await createErpOrders(context, order.id, {
      actor,
      signal: options.signal,
      justSynced,
      ...(options.beforeErpCreate ? { beforeCreate: options.beforeErpCreate } : {}),
    });
    if (created.refused.length > 0) {
      if (round >= MAX_REFUSAL_ROUNDS) return { outcome: 'waiting', retry: true };
      reallocate = true;
      continue;
    }
    if (created.pending.length > 0) {
      // A create Mainô refused for good leaves its movements failed for a person to see. Retrying it on every lease
      // would re-sync them and send the same refused order again and again.
      const retry = created.pending.some((entry) => entry.retryable);
      return { outcome: retry ? 'waiting' : 'failed', retry };
    }
    if (!allocation.allocation?.complete && allocation.allocation && reallocate) return { outcome: 'shortfall', retry: false };
    return { outcome: 'done', retry: false };
  }
}

const MAX_REFUSAL_ROUNDS = 3;

async function releaseForReallocation(context: PipelineContext, movements: readonly Movement[], actor: string): Promise<void> {
  const at = context.now();
  await transitionAll(
    context.store,
    movements.map((movement) => ({
      id: movement.id,
      from: ['failed'] as const,
      to: 'cancelled' as const,
      patch: {},
      audit: { at, actor, action: 'stock-changed', detail: `released to plan again: ${movement.failure?.reason ?? 'the stock changed'}` },
    })),
  );
}
