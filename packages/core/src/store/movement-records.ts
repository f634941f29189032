import { randomUUID } from 'node:crypto';
import type { PlannedMovement } from '../allocator/types.js';
import { movementKey, type AuditEntry, type Movement, type MovementState } from '../models/movement.js';
import type { CreateMovementsOptions, MovementPatch } from './store-port.js';

/** A new movement for a planned one, as every store adapter records it (created, with its first audit entry). */
export function newMovement(
  item: PlannedMovement,
  order: { id: string; integrationId: string; externalId: string },
  options: Pick<CreateMovementsOptions, 'actor' | 'at' | 'replace' | 'detail'>,
): Movement {
  return {
    id: randomUUID(),
    orderId: order.id,
    integrationId: order.integrationId,
    lineIndex: item.lineIndex,
    sku: item.sku,
    companyCnpj: item.companyCnpj,
    quantityMilli: item.quantityMilli,
    unitPriceCents: item.unitPriceCents,
    state: 'created',
    idempotencyKey: movementKey({ integrationId: order.integrationId, externalId: order.externalId, lineIndex: item.lineIndex, companyCnpj: item.companyCnpj }),
    audit: [{ at: options.at, actor: options.actor, action: options.replace ? 'override' : 'allocate', to: 'created', detail: options.detail }],
    createdAt: options.at,
    updatedAt: options.at,
  };
}

/** The movement after a transition: new state, the audit entry appended, the patch applied (`failure: null` clears it). */
export function applyTransition(movement: Movement, to: MovementState, patch: MovementPatch, audit: AuditEntry): Movement {
  const next: Movement = {
    ...movement,
    state: to,
    updatedAt: audit.at,
    audit: [...movement.audit, { ...audit, from: movement.state, to }],
    ...(patch.erpOrderId !== undefined ? { erpOrderId: patch.erpOrderId } : {}),
    ...(patch.erpReference !== undefined ? { erpReference: patch.erpReference } : {}),
  };
  if (patch.failure === null) delete next.failure;
  else if (patch.failure !== undefined) next.failure = patch.failure;
  return next;
}
