import { ConflictError, NotFoundError } from '../errors/errors.js';
import { erpReference, type Movement } from '../models/movement.js';
import type { PipelineContext } from './context.js';

export interface CancelResult {
  released: number;
  reversed: number;
}

/**
 * Undoes an order's stock effects: movements not yet in the ERP are released (cancelled); done ones are reversed by
 * cancelling their ERP order, then recorded as reversed. Safe to repeat: cancelling an ERP order twice is a no-op.
 */
export async function cancelOrderMovements(context: PipelineContext, orderId: string, options: { actor: string; signal?: AbortSignal }): Promise<CancelResult> {
  const order = await context.store.getOrder(orderId);
  if (!order) throw new NotFoundError(`order ${orderId} not found`);
  const movements = await context.store.getMovements(orderId);
  const result: CancelResult = { released: 0, reversed: 0 };

  // A crash between an ERP create and marking its movements done leaves them synced (or failed, when a later
  // attempt was refused) with an ERP order that exists: look it up by its reference and cancel it too, or its stock
  // would stay committed in the ERP.
  const syncedCompanies = new Set(movements.filter((m) => m.state === 'synced' || (m.state === 'failed' && m.audit.some((entry) => entry.to === 'synced'))).map((m) => m.companyCnpj));
  for (const cnpj of syncedCompanies) {
    const reference = erpReference({ integrationId: order.integrationId, externalId: order.externalId, companyCnpj: cnpj });
    const orphan = await context.erp.findSalesOrderByReference(cnpj, reference, { signal: options.signal });
    if (orphan && orphan.status !== 'cancelled') await context.erp.cancelSalesOrder(cnpj, orphan.id, { signal: options.signal });
  }
  for (const movement of movements.filter((m) => m.state === 'created' || m.state === 'synced' || m.state === 'failed')) {
    if (await move(context, movement, ['created', 'synced', 'failed'], 'cancelled', options.actor, 'release')) result.released += 1;
  }
  const byErpOrder = new Map<string, Movement[]>();
  for (const movement of movements.filter((m) => m.state === 'done')) {
    const key = `${movement.companyCnpj}\u0000${movement.erpOrderId ?? ''}`;
    byErpOrder.set(key, [...(byErpOrder.get(key) ?? []), movement]);
  }
  for (const group of byErpOrder.values()) {
    const first = group[0]!;
    if (first.erpOrderId) await context.erp.cancelSalesOrder(first.companyCnpj, first.erpOrderId, { signal: options.signal });
    for (const movement of group) {
      if (await move(context, movement, ['done'], 'reversed', options.actor, 'reverse')) result.reversed += 1;
    }
  }
  if (result.released + result.reversed > 0) {
    context.events.emit('order-cancelled', { integrationId: order.integrationId, orderId, ...result });
    // The stock this order held is free again: orders held for lack of it get another chance.
    await context.requeueHeld([...new Set(movements.map((m) => m.companyCnpj))]);
  }
  return result;
}

async function move(context: PipelineContext, movement: Movement, from: Movement['state'][], to: Movement['state'], actor: string, action: string): Promise<boolean> {
  try {
    await context.store.transitionMovement(movement.id, from, to, {}, { at: context.now(), actor, action });
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
