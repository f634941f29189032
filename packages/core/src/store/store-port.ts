import type { AuditEntry, Movement, MovementFailure, MovementState } from '../models/movement.js';
import type { Order, PlatformOrder } from '../models/order.js';
import type { OrderIntakeState, StatusDictionary } from '../models/status-dictionary.js';
import type { PlannedMovement } from '../allocator/types.js';
import type { QuantityMilli } from '../money/quantity.js';
import type { ConflictError } from '../errors/errors.js';
import type { LineMappingInput } from './line-mapping.js';

/** An order to store: the platform order plus the intake state the integration's dictionary gave its status. */
export interface UpsertOrderInput {
  integrationId: string;
  order: PlatformOrder;
  /** From the status dictionary for `order.status`; the store applies the state ranking (`nextIntakeState`). */
  intakeState: OrderIntakeState;
  at: string;
}

export interface UpsertOrderResult {
  order: Order;
  created: boolean;
  /** False when the stored order was already this version (a duplicate delivery) or newer. */
  changed: boolean;
  previousIntakeState: OrderIntakeState | undefined;
}

/** A payload that failed validation, kept for a person to see. */
export interface QuarantineInput {
  integrationId: string;
  externalId?: string;
  code: string;
  /** Field path the validation error names. */
  path: string;
  message: string;
  raw: unknown;
  source: 'poll' | 'webhook';
  at: string;
}

export interface QuarantinedRecord extends QuarantineInput {
  id: string;
}

/** What the allocation must leave alone: stock held by other orders' open movements. */
export interface ReservedStock {
  /** Milli-units of `sku` in `cnpj` held by other orders. */
  get(cnpj: string, sku: string): QuantityMilli;
}

export interface AllocationScope {
  /** Allocations in one group are serialised by the store (the lock key). */
  groupId: string;
  cnpjs: readonly string[];
  skus: readonly string[];
  /**
   * When the ERP stock snapshot was read. Movements that became done after this instant still count as reserved,
   * because the snapshot does not show the stock their ERP order committed.
   */
  snapshotAt: string;
}

export interface CreateMovementsOptions {
  actor: string;
  at: string;
  /**
   * Add movements for lines that have none yet, keeping the order's live movements (a line a person mapped to a SKU
   * after the rest of the order was allocated). Planned movements for a line that already has a live one are dropped.
   */
  append?: boolean;
  /**
   * Replace the order's movements that have not reached the ERP yet (created, failed) with the new plan: the manual
   * override. Synced and done movements are kept; the plan must not cover them again.
   */
  replace?: boolean;
  detail?: string;
}

export interface MovementPatch {
  failure?: MovementFailure | null;
  erpOrderId?: string;
  erpReference?: string;
}

/** `all`, or one situation (`orderSituation`): the situations partition the orders, so their counts add up to `all`. */
export type OrderFilter = 'all' | 'without-movements' | 'pending-sync' | 'failed' | 'done' | 'cancelled' | 'ignored' | 'unmapped';

export interface OrderQuery {
  integrationId?: string;
  /** Restrict to these integrations (a tenant's). */
  integrationIds?: readonly string[];
  filter?: OrderFilter;
  /** Matches the order number or external id. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface OrderListItem {
  order: Order;
  movementCount: number;
  movementStates: Partial<Record<MovementState, number>>;
}

/** Orders per situation: every order counts in exactly one, so they add up to `all`. Quarantined payloads are not orders. */
export interface IntegrationSummary {
  integrationId: string;
  all: number;
  withoutMovements: number;
  pendingSync: number;
  failed: number;
  done: number;
  cancelled: number;
  ignored: number;
  unmapped: number;
  quarantined: number;
  lastOrder: Pick<Order, 'id' | 'externalId' | 'number' | 'createdAt' | 'intakeState'> | null;
}

export interface ClaimOptions {
  integrationIds?: readonly string[];
  /** Integration id → tenant (the company group): claims rotate between tenants first. */
  tenants?: Readonly<Record<string, string>>;
  limit: number;
  owner: string;
  leaseMs: number;
  now: string;
}

export interface ClaimedOrder {
  order: Order;
  /** Lease token: pass it back to `releaseOrder`. */
  lease: string;
}

/**
 * Persistence for the pipeline. Every adapter (memory, SQLite, PostgreSQL) passes the store contract suite in
 * `@conecta/core/testing`, concurrency cases included.
 */
export interface MovementTransition {
  id: string;
  from: readonly MovementState[];
  to: MovementState;
  patch: MovementPatch;
  audit: AuditEntry;
}

/** One transition's outcome: the movement as it is now, or the conflict that left it as it was. */
export type TransitionOutcome = { movement: Movement; conflict?: undefined } | { movement?: undefined; conflict: ConflictError };

/** A status dictionary a person edited at runtime: it wins over the configured one. */
export interface StoredStatusDictionary {
  dictionary: StatusDictionary;
  updatedBy: string;
  updatedAt: string;
  /** 1 for the first edit of the integration's dictionary, one more for each later edit. */
  version: number;
}

/** One SKU's available stock in one company as read from the ERP; `availableMilli` null: the company has no such product. */
export interface StoredStockLevel {
  cnpj: string;
  sku: string;
  availableMilli: QuantityMilli | null;
  readAt: string;
}

/** The last listing of a company's whole catalogue (kept current by incremental listings when the ERP allows them). */
export interface StoredStockListing {
  cnpj: string;
  /** When the listing started: every SKU's level is known as of this instant (a SKU without a level does not exist). */
  listedAt: string;
  /** Pages the last whole listing took: what a refresh costs in requests. */
  pages: number;
}

export interface StoredStock {
  levels: StoredStockLevel[];
  listings: StoredStockListing[];
}

export interface SaveStockInput {
  cnpj: string;
  /** Levels read at `readAt`; null for a SKU the company does not have. */
  levels: ReadonlyMap<string, QuantityMilli | null>;
  readAt: string;
  /**
   * Set when `levels` come from listing the catalogue. `whole`: every SKU of the company, so levels read before
   * `readAt` that the listing left out are dropped; otherwise only products changed since the previous listing.
   */
  listing?: { whole: boolean; pages: number };
}

export interface Store {
  /** Idempotent by (integrationId, externalId). An older `updatedAt` than the stored one changes nothing. */
  upsertOrder(input: UpsertOrderInput): Promise<UpsertOrderResult>;
  getOrder(id: string): Promise<Order | null>;
  listOrders(query: OrderQuery): Promise<{ items: OrderListItem[]; total: number }>;
  summary(integrationId: string): Promise<IntegrationSummary>;
  /** Distinct platform statuses seen per integration, for the dictionary editor. */
  seenStatuses(integrationId: string): Promise<Array<{ status: string; count: number }>>;
  /**
   * Records a person's SKU for a line the platform sent without one (or corrects a person's earlier choice) and
   * applies it to the stored order, as `withLineMapping` (@conecta/core) computes it: the mapping joins
   * `order.lineMappings`, the version is bumped and the order has work pending again. The mapping outlives later
   * versions of the order from the platform. Throws NotFoundError for an unknown order, ValidationError for a line
   * that does not exist, ConflictError for a line that has the platform's SKU.
   */
  mapOrderLine(orderId: string, mapping: LineMappingInput): Promise<Order>;
  /** Re-applies a (changed) dictionary to the stored orders whose state it changes. */
  setIntakeState(orderId: string, state: OrderIntakeState, at: string): Promise<void>;

  quarantine(input: QuarantineInput): Promise<QuarantinedRecord>;
  /** Newest first; `limit` 0 lists everything. */
  listQuarantine(integrationId: string, options?: { limit?: number }): Promise<QuarantinedRecord[]>;
  /** One quarantined payload, or null when there is none with that id (never recorded, or already removed). */
  getQuarantined(id: string): Promise<QuarantinedRecord | null>;
  /** Takes a payload out of quarantine once its order is stored; false when it was not there (another worker did it). */
  removeQuarantined(id: string): Promise<boolean>;

  getCursor(integrationId: string): Promise<string | null>;
  saveCursor(integrationId: string, cursor: string): Promise<void>;

  /**
   * Creates the order's movements from `plan`, atomically with respect to every other allocation in the group:
   * `plan` runs inside the store's lock and sees the stock other orders hold. When the order already has movements
   * (and `replace` is not set) nothing is planned and the existing ones are returned with `created: false`.
   */
  createMovements(
    orderId: string,
    scope: AllocationScope,
    plan: (reserved: ReservedStock) => PlannedMovement[],
    options: CreateMovementsOptions,
  ): Promise<{ movements: Movement[]; created: boolean }>;
  getMovements(orderId: string): Promise<Movement[]>;
  /**
   * Compare-and-set on the movement's state: moves it to `to` only when its state is one of `from`, appending the
   * audit entry. Throws ConflictError otherwise (another worker got there first).
   */
  transitionMovement(id: string, from: readonly MovementState[], to: MovementState, patch: MovementPatch, audit: AuditEntry): Promise<Movement>;
  /**
   * Optional: several of those compare-and-sets in one transaction, in order. A movement no longer in one of its
   * `from` states gets its ConflictError in its place in the result instead of a throw, and the others still move.
   * Stores without it get one `transitionMovement` per movement; with it, a step's transitions cost one commit.
   */
  transitionMovements?(transitions: readonly MovementTransition[]): Promise<TransitionOutcome[]>;
  /** Open (created, synced, failed) quantities per company and SKU, across all orders, for stock push. */
  reservedStock(cnpjs: readonly string[]): Promise<Map<string, Map<string, QuantityMilli>>>;

  /**
   * Optional: the stock snapshots every worker shares, per company (what the ERP said and when). Stores without them
   * keep snapshots in each process.
   */
  readStock?(cnpjs: readonly string[], skus: readonly string[]): Promise<StoredStock>;
  /** Saves levels read from the ERP; a level already stored with a later `readAt` is kept (the newer reading wins). */
  saveStock?(input: SaveStockInput): Promise<void>;
  /**
   * Optional: puts held orders of these integrations back in the work queue: orders still to allocate (pending or
   * finalized) that have no live movement and no pending work, e.g. after a shortfall. Returns how many.
   */
  requeueHeld?(integrationIds: readonly string[]): Promise<number>;
  /**
   * Optional: records that an allocation fell short and left the order without movements (`order.heldAt`), so a
   * person can be told when the stock it waits for is back. Kept across new versions of the order.
   */
  markHeld?(orderId: string, at: string): Promise<void>;

  /** Marks that the order has (or no longer has) automatic work to do. */
  setWorkPending(orderId: string, pending: boolean): Promise<void>;
  /**
   * Leases up to `limit` orders with pending work whose lease is free or expired, so several workers never process
   * one order at once; a worker that dies leaves a lease that expires and the order is picked up again. Claims rotate
   * between tenants (`tenants`: integration id → company group; an integration left out is a tenant of its own), and
   * between the integrations of a tenant, oldest first within each integration. The store remembers when it last
   * served each integration, so the rotation carries on across claims and workers: the tenant served longest ago
   * goes first (`pickClaims` in `@conecta/core/store` says exactly how), and one tenant's backlog does not starve
   * the others.
   */
  claimOrders(options: ClaimOptions): Promise<ClaimedOrder[]>;
  /**
   * Ends a lease; `workPending` false when the worker finished every step it could do. When the order changed after
   * the claim (a new version was imported), its work stays pending whatever `workPending` says.
   */
  releaseOrder(orderId: string, lease: string, workPending: boolean): Promise<void>;
  /**
   * Optional: extends a lease still held to `until`; false when the lease is no longer this token's (it expired and
   * another worker claimed the order, or it was released). The runner renews its leases while it works and checks
   * this before each ERP create, so a worker slower than its lease never creates an order another worker owns.
   */
  renewLease?(orderId: string, lease: string, until: string): Promise<boolean>;

  /**
   * Optional: the status dictionary edited at runtime for an integration, kept with the orders so every worker on the
   * store, and every restart, applies it. Stores without them keep an edit in the process that made it, until it
   * stops.
   */
  getStatusDictionary?(integrationId: string): Promise<StoredStatusDictionary | null>;
  saveStatusDictionary?(integrationId: string, edit: Omit<StoredStatusDictionary, 'version'>): Promise<StoredStatusDictionary>;

  /**
   * Optional: signed-out sessions of a dashboard, kept with the orders so a sign-out reaches every worker on the store
   * and outlives a restart. `expiresAt` is when the session would have ended anyway; a revocation is forgotten then.
   */
  revokeSession?(sessionId: string, expiresAt: string): Promise<void>;
  isSessionRevoked?(sessionId: string, now: string): Promise<boolean>;

  /** Records a webhook delivery id; false when it was already recorded (a replay or a duplicate). */
  rememberDelivery(integrationId: string, deliveryId: string, at: string): Promise<boolean>;

  /** The stock levels last pushed to a store, so only changes are pushed. */
  getPushedStock(integrationId: string): Promise<Map<string, QuantityMilli>>;
  savePushedStock(integrationId: string, levels: ReadonlyMap<string, QuantityMilli>): Promise<void>;

  close(): Promise<void>;
}
