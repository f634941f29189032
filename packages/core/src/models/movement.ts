import * as z from 'zod';
import { NORMALISED_CNPJ } from './cnpj.js';

/**
 * A movement is one order line supplied by one company: the ledger entry the SDK syncs to Mainô.
 * created -> synced (validated in Mainô) -> done (Realizado: the Mainô sales order exists).
 * failed: validation or creation failed (`failure.retryable` says whether a retry may help).
 * cancelled: released before done. reversed: the Mainô order was cancelled after done.
 */
export const MovementStateSchema = z.enum(['created', 'synced', 'done', 'failed', 'cancelled', 'reversed']);
export type MovementState = z.output<typeof MovementStateSchema>;

/** Movements that still hold stock (count against availability). */
export const OPEN_MOVEMENT_STATES: readonly MovementState[] = ['created', 'synced', 'failed'];

const TRANSITIONS: Record<MovementState, readonly MovementState[]> = {
  created: ['synced', 'failed', 'cancelled'],
  synced: ['done', 'failed', 'cancelled', 'created'],
  failed: ['created', 'synced', 'done', 'cancelled'],
  done: ['reversed'],
  cancelled: [],
  reversed: [],
};

export function canTransition(from: MovementState, to: MovementState): boolean {
  return TRANSITIONS[from].includes(to);
}

export const AuditEntrySchema = z.object({
  at: z.iso.datetime({ offset: true }),
  /** A user id, or `system` for automatic steps. */
  actor: z.string().min(1),
  action: z.string().min(1),
  from: z.string().optional(),
  to: z.string().optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.output<typeof AuditEntrySchema>;

export const MovementFailureSchema = z.object({
  code: z.string(),
  reason: z.string(),
  retryable: z.boolean(),
});
export type MovementFailure = z.output<typeof MovementFailureSchema>;

export const MovementSchema = z.object({
  id: z.string().min(1),
  orderId: z.string().min(1),
  integrationId: z.string().min(1),
  /** Index of the order line this movement supplies. */
  lineIndex: z.int().nonnegative(),
  sku: z.string().min(1),
  /** 14 characters: 12 of 0-9A-Z then 2 digits (alphanumeric CNPJs since IN RFB 2.229/2024). */
  companyCnpj: z.string().regex(NORMALISED_CNPJ, 'a CNPJ in normal form: 12 characters 0-9A-Z, then 2 digits'),
  quantityMilli: z.int().positive(),
  unitPriceCents: z.int().nonnegative(),
  state: MovementStateSchema,
  /** Deterministic: the same order, line and company always give the same key, so a retry never doubles an effect. */
  idempotencyKey: z.string().min(1),
  failure: MovementFailureSchema.optional(),
  /** Id of the Mainô sales order once created. */
  erpOrderId: z.string().optional(),
  /** The external reference used for the Mainô sales order (integration + order + company). */
  erpReference: z.string().optional(),
  audit: z.array(AuditEntrySchema),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Movement = z.output<typeof MovementSchema>;

/** Key of a movement: integration, order, line, company. */
export function movementKey(parts: { integrationId: string; externalId: string; lineIndex: number; companyCnpj: string }): string {
  return `${parts.integrationId}:${parts.externalId}:${parts.lineIndex}:${parts.companyCnpj}`;
}

/** Reference of the one Mainô sales order per order and company: what makes the create idempotent. */
export function erpReference(parts: { integrationId: string; externalId: string; companyCnpj: string }): string {
  return `conecta:${parts.integrationId}:${parts.externalId}:${parts.companyCnpj}`;
}
