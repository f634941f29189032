import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  ConfigurationError,
  ConflictError,
  NotFoundError,
  applyLineMappings,
  nextIntakeState,
  orderId as makeOrderId,
  type AuditEntry,
  type ClaimedOrder,
  type IntegrationSummary,
  type Movement,
  type MovementTransition,
  type Order,
  type OrderListItem,
  type QuantityMilli,
  type QuarantinedRecord,
  type ReservedStock,
  type Store,
  type TransitionOutcome,
} from '@conecta/core';
import { applyTransition, newMovement, pickClaims, servedTurns, settleTransition, withLineMapping } from '@conecta/core/store';
import type { SharedRateLimiter } from '@conecta/core/http';
import { migrate } from './migrate.js';
import { configureConnection, openDatabase } from './open-database.js';
import { listingSql } from './order-listing.js';
import {
  movementParams,
  movementStates,
  orderParams,
  toJson,
  toMovement,
  toOrder,
  toQuarantined,
  toStoredDictionary,
  type MovementRow,
  type OrderRow,
  type QuarantineRow,
  type StatusDictionaryRow,
} from './rows.js';
import { prepareStatements } from './statements.js';

export interface SqliteStoreOptions {
  /** Path of the database file, created when missing. `:memory:` gives a private database that dies with the store. */
  filename?: string;
  /** An open better-sqlite3 connection to use instead of `filename`. The store configures it but does not close it. */
  database?: Database.Database;
  /** How long a write waits for another process holding the write lock, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): with WAL, a commit survives a crash of the process but the last commits may be lost on power
   * failure. `full`: every commit is fsynced.
   */
  synchronous?: 'normal' | 'full';
}

export interface SqliteStore extends Store {
  /** The underlying connection, for backups and inspection. Do not write to the store's tables directly. */
  readonly database: Database.Database;
  /**
   * Request schedules per credential kept in the file, so worker processes sharing it share each platform's rate
   * limit: `shareRateLimits(store.rateLimiter)` from `@conecta/core/http` in each of them.
   */
  readonly rateLimiter: SharedRateLimiter;
}

interface SummaryCountsRow {
  all_count: number;
  without_movements: number;
  pending_sync: number;
  failed: number;
  done: number;
  cancelled: number;
  ignored: number;
  unmapped: number;
}

interface StockRow {
  company_cnpj: string;
  sku: string;
  total: number;
}

const stockKey = (cnpj: string, sku: string) => `${cnpj}\u0000${sku}`;

/**
 * The SQLite store: one file, shared safely by several worker processes on one machine. Every write runs in a
 * BEGIN IMMEDIATE transaction, which takes the file's write lock up front, so read-then-write steps (upsert,
 * allocation, transitions, claims) are atomic against other processes too.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (!options.database && !options.filename) throw new ConfigurationError('createSqliteStore needs a `filename` or a `database`');
  const db = options.database ?? openDatabase(options.filename!);
  const ownsConnection = !options.database;
  try {
    configureConnection(db, { busyTimeoutMs: options.busyTimeoutMs ?? 5000, synchronous: options.synchronous ?? 'normal' });
    migrate(db);
  } catch (error) {
    if (ownsConnection) db.close();
    throw error;
  }
  const st = prepareStatements(db);
  const listingStatements = new Map<string, { page: Statement; count: Statement }>();
  let closed = false;

  /** A write transaction that takes the write lock before its first read. */
  const immediate = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const transaction = db.transaction(fn);
    return (...args: A): R => transaction.immediate(...args);
  };

  const getOrderRow = (id: string) => st.orderById.get(id) as OrderRow | undefined;
  const getMovementRows = (orderId: string) => st.movementsOfOrder.all(orderId) as MovementRow[];

  const upsertOrder = immediate((input: Parameters<Store['upsertOrder']>[0]) => {
    const { integrationId, order, intakeState, at } = input;
    const id = makeOrderId(integrationId, order.externalId);
    const row = getOrderRow(id);
    if (!row) {
      const params = orderParams({ ...order, id, integrationId, intakeState, importedAt: at, version: 1 });
      st.insertOrder.run(params);
      return { order: toOrder(params), created: true, changed: true, previousIntakeState: undefined };
    }
    const previous = toOrder(row);
    if (order.updatedAt < previous.updatedAt || (order.updatedAt === previous.updatedAt && order.status === previous.status)) {
      return { order: previous, created: false, changed: false, previousIntakeState: previous.intakeState };
    }
    const params = orderParams({
      // People's line mappings outlive a new version of the order from the platform.
      ...applyLineMappings(order, previous.lineMappings),
      id,
      integrationId,
      intakeState: nextIntakeState(previous.intakeState, intakeState),
      importedAt: previous.importedAt,
      version: previous.version + 1,
      ...(previous.lineMappings ? { lineMappings: previous.lineMappings } : {}),
    });
    st.updateOrder.run(params);
    return { order: toOrder(params), created: false, changed: true, previousIntakeState: previous.intakeState };
  });

  const mapOrderLine = immediate((...[id, mapping]: Parameters<Store['mapOrderLine']>) => {
    const row = getOrderRow(id);
    if (!row) throw new NotFoundError(`order ${id} not found`);
    const params = orderParams(withLineMapping(toOrder(row), mapping));
    st.updateOrder.run(params);
    return toOrder(params);
  });

  const createMovements = immediate((...[id, scope, plan, options]: Parameters<Store['createMovements']>) => {
    const orderRow = getOrderRow(id);
    if (!orderRow) throw new NotFoundError(`order ${id} not found`);
    const own = getMovementRows(id).map(toMovement);
    const live = own.filter((movement) => movement.state !== 'cancelled' && movement.state !== 'reversed');
    if (live.length > 0 && !options.replace && !options.append) return { movements: live, created: false };

    const totals = new Map<string, QuantityMilli>();
    const rows = st.reservedForScope.all({
      order_id: id,
      cnpjs: JSON.stringify(scope.cnpjs),
      skus: JSON.stringify(scope.skus),
      snapshot_at: scope.snapshotAt,
    }) as StockRow[];
    for (const row of rows) totals.set(stockKey(row.company_cnpj, row.sku), row.total);
    const reserved: ReservedStock = { get: (cnpj, sku) => totals.get(stockKey(cnpj, sku)) ?? 0 };
    const coveredLines = new Set(options.append ? live.map((movement) => movement.lineIndex) : []);
    const planned = plan(reserved).filter((item) => !coveredLines.has(item.lineIndex));
    if (options.append && planned.length === 0) return { movements: live, created: false };

    if (options.replace) {
      for (const movement of own) {
        if (movement.state !== 'created' && movement.state !== 'failed') continue;
        const entry: AuditEntry = { at: options.at, actor: options.actor, action: 'override', from: movement.state, to: 'cancelled', detail: options.detail };
        writeTransition({ ...movement, state: 'cancelled', updatedAt: options.at, audit: [...movement.audit, entry] }, [movement.state]);
      }
    }
    const created = planned.map((item) => newMovement(item, { id, integrationId: orderRow.integration_id, externalId: orderRow.external_id }, options));
    for (const movement of created) st.insertMovement.run(movementParams(movement));
    const movements = options.replace || options.append ? getMovementRows(id).map(toMovement).filter((movement) => movement.state !== 'cancelled') : created.map(roundTrip);
    return { movements, created: true };
  });

  /** Writes a movement's new state; false when it was no longer in one of `from`. */
  const writeTransition = (next: Movement, from: readonly string[]): boolean => {
    const params = movementParams(next);
    const result = st.transitionMovement.run({
      id: params.id,
      state: params.state,
      updated_at: params.updated_at,
      audit: params.audit,
      failure: params.failure,
      erp_order_id: params.erp_order_id,
      erp_reference: params.erp_reference,
      from: JSON.stringify(from),
    });
    return result.changes === 1;
  };

  const transitionOne = (...[id, from, to, patch, audit]: Parameters<Store['transitionMovement']>): Movement => {
    const row = st.movementById.get(id) as MovementRow | undefined;
    if (!row) throw new NotFoundError(`movement ${id} not found`);
    const movement = toMovement(row);
    const conflict = () => new ConflictError(`movement ${id} is ${movement.state}, not ${from.join('/')}; it was changed by someone else`);
    if (!from.includes(movement.state)) throw conflict();
    const next = applyTransition(movement, to, patch, audit);
    if (!writeTransition(next, from)) throw conflict();
    return roundTrip(next);
  };
  const transitionMovement = immediate(transitionOne);
  const transitionMovements = immediate((transitions: readonly MovementTransition[]): TransitionOutcome[] =>
    transitions.map(({ id, from, to, patch, audit }) => settleTransition(() => transitionOne(id, from, to, patch, audit))),
  );

  const claimOrders = immediate((...[{ integrationIds, tenants, limit, owner, leaseMs, now }]: Parameters<Store['claimOrders']>) => {
    const wanted = Math.max(0, Math.trunc(limit));
    const ids = integrationIds ?? (st.pendingIntegrations.all() as Array<{ integration_id: string }>).map((row) => row.integration_id);
    const queues = new Map(
      ids.map((integrationId) => {
        const rows = st.claimableOf.all({ integration_id: integrationId, now, limit: wanted }) as OrderRow[];
        return [integrationId, rows.map((row) => ({ integrationId, updatedAt: row.updated_at, seq: row.seq, row }))] as const;
      }),
    );
    const turns = new Map((st.claimTurns.all() as Array<{ integration_id: string; turn: number }>).map((row) => [row.integration_id, row.turn]));
    const picked = pickClaims({ queues, tenants, servedAt: (id) => turns.get(id), limit: wanted });
    const served = servedTurns(picked, Math.max(0, ...turns.values()) + 1);
    for (const [integrationId, turn] of served.turns) st.saveClaimTurn.run({ integration_id: integrationId, turn });
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    return picked.map(({ row }): ClaimedOrder => {
      // The token carries the version claimed, so a release can tell whether the order changed meanwhile.
      const lease = `${randomUUID()}.v${row.version}`;
      st.lease.run(lease, owner, until, row.id);
      return { order: toOrder(row), lease };
    });
  });

  const saveStock = immediate(({ cnpj, levels, readAt, listing }: Parameters<NonNullable<Store['saveStock']>>[0]) => {
    if (listing?.whole) st.dropUnlisted.run({ cnpj, read_at: readAt, skus: JSON.stringify([...levels.keys()]) });
    for (const [sku, available] of levels) st.saveStockLevel.run({ cnpj, sku, available, read_at: readAt });
    if (listing) st.saveStockListing.run(cnpj, readAt, listing.pages);
  });

  const savePushedStock = immediate((integrationId: string, levels: ReadonlyMap<string, QuantityMilli>) => {
    for (const [sku, quantity] of levels) st.savePushedStock.run(integrationId, sku, quantity);
  });

  const listingStatement = (key: string, pageSql: string, countSql: string) => {
    let cached = listingStatements.get(key);
    if (!cached) {
      cached = { page: db.prepare(pageSql), count: db.prepare(countSql) };
      listingStatements.set(key, cached);
    }
    return cached;
  };

  // Reads in one transaction see one snapshot, so a page and its total agree.
  // One read transaction, so levels and listings come from one snapshot: read apart, a save committed in between by
  // another process would pair old levels with a newer listing, which vouches for them up to its later time.
  const readStockTogether = db.transaction((cnpjs: readonly string[], skus: readonly string[]) => {
    const levels = (st.stockLevels.all({ cnpjs: JSON.stringify(cnpjs), skus: JSON.stringify(skus) }) as Array<{ company_cnpj: string; sku: string; available_milli: number | null; read_at: string }>).map(
      (row) => ({ cnpj: row.company_cnpj, sku: row.sku, availableMilli: row.available_milli, readAt: row.read_at }),
    );
    const listings = (st.stockListings.all(JSON.stringify(cnpjs)) as Array<{ company_cnpj: string; listed_at: string; pages: number }>).map((row) => ({
      cnpj: row.company_cnpj,
      listedAt: row.listed_at,
      pages: row.pages,
    }));
    return { levels, listings };
  });

  const listOrders = db.transaction((query: Parameters<Store['listOrders']>[0]) => {
    const { key, pageSql, countSql, params } = listingSql(query);
    const statements = listingStatement(key, pageSql, countSql);
    const rows = statements.page.all({ ...params, limit: Math.max(0, query.limit ?? 50), offset: Math.max(0, query.offset ?? 0) }) as OrderRow[];
    const { total } = statements.count.get(params) as { total: number };
    const items = rows.map((row): OrderListItem => {
      const states = movementStates(row);
      return { order: toOrder(row), movementCount: Object.values(states).reduce((sum, count) => sum + count, 0) - (states.cancelled ?? 0), movementStates: states };
    });
    return { items, total };
  });

  const summary = db.transaction((integrationId: string): IntegrationSummary => {
    const counts = st.summaryCounts.get(integrationId) as SummaryCountsRow;
    const last = st.lastOrder.get(integrationId) as Pick<OrderRow, 'id' | 'external_id' | 'number' | 'created_at' | 'intake_state'> | undefined;
    return {
      integrationId,
      all: counts.all_count,
      withoutMovements: counts.without_movements,
      pendingSync: counts.pending_sync,
      failed: counts.failed,
      done: counts.done,
      cancelled: counts.cancelled,
      ignored: counts.ignored,
      unmapped: counts.unmapped,
      quarantined: (st.countQuarantine.get(integrationId) as { count: number }).count,
      lastOrder: last
        ? { id: last.id, externalId: last.external_id, number: last.number, createdAt: last.created_at, intakeState: last.intake_state }
        : null,
    };
  });

  const revokeSession = immediate((sessionId: string, expiresAt: string) => {
    st.forgetExpiredRevocations.run(new Date().toISOString());
    st.revokeSession.run(sessionId, expiresAt);
  });

  const rateLimiter: SharedRateLimiter = {
    async reserve(key, spacingMs) {
      const now = Date.now();
      const { next_start_ms: next } = st.reserveRateSlot.get({ key, now, spacing: spacingMs }) as { next_start_ms: number };
      return Math.max(0, next - spacingMs - now);
    },
    async pause(key, waitMs) {
      st.pauseRateSlots.run({ key, until: Date.now() + waitMs });
    },
  };

  return {
    database: db,
    rateLimiter,

    async upsertOrder(input) {
      return upsertOrder(input);
    },

    async mapOrderLine(id, mapping) {
      return mapOrderLine(id, mapping);
    },

    async getOrder(id) {
      const row = getOrderRow(id);
      return row ? toOrder(row) : null;
    },

    async listOrders(query) {
      return listOrders(query);
    },

    async summary(integrationId) {
      return summary(integrationId);
    },

    async seenStatuses(integrationId) {
      const rows = st.seenStatuses.all(integrationId) as Array<{ status: string; count: number }>;
      // Sorted here: localeCompare is the order the memory store gives, which SQLite's collations do not offer.
      return rows.map(({ status, count }) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status));
    },

    async setIntakeState(id, state) {
      if (st.setIntakeState.run(state, id).changes === 0) throw new NotFoundError(`order ${id} not found`);
    },

    async quarantine(input) {
      const record: QuarantinedRecord = { ...structuredClone(input), id: randomUUID() };
      st.insertQuarantine.run({
        id: record.id,
        integration_id: record.integrationId,
        external_id: record.externalId ?? null,
        code: record.code,
        path: record.path,
        message: record.message,
        raw: toJson(record.raw),
        source: record.source,
        recorded_at: record.at,
      });
      return record;
    },

    async listQuarantine(integrationId, options) {
      // A limit of 0 lists everything, as the memory store's slice(-0) does.
      const limit = options?.limit ?? 100;
      const rows = st.listQuarantine.all(integrationId, limit === 0 ? -1 : Math.max(0, limit)) as QuarantineRow[];
      return rows.map(toQuarantined);
    },

    async getQuarantined(id) {
      const row = st.quarantinedById.get(id) as QuarantineRow | undefined;
      return row ? toQuarantined(row) : null;
    },

    async removeQuarantined(id) {
      return st.removeQuarantined.run(id).changes === 1;
    },

    async getCursor(integrationId) {
      const row = st.getCursor.get(integrationId) as { cursor: string } | undefined;
      return row?.cursor ?? null;
    },

    async saveCursor(integrationId, cursor) {
      st.saveCursor.run(integrationId, cursor);
    },

    async createMovements(id, scope, plan, options) {
      return createMovements(id, scope, plan, options);
    },

    async getMovements(id) {
      return getMovementRows(id).map(toMovement);
    },

    async transitionMovement(id, from, to, patch, audit) {
      return transitionMovement(id, from, to, patch, audit);
    },

    async transitionMovements(transitions) {
      return transitionMovements(transitions);
    },

    async reservedStock(cnpjs) {
      const out = new Map<string, Map<string, QuantityMilli>>();
      for (const row of st.reservedStock.all(JSON.stringify(cnpjs)) as StockRow[]) {
        const bySku = out.get(row.company_cnpj) ?? new Map<string, QuantityMilli>();
        bySku.set(row.sku, row.total);
        out.set(row.company_cnpj, bySku);
      }
      return out;
    },

    async setWorkPending(id, pending) {
      st.setWorkPending.run(pending ? 1 : 0, id);
    },

    async readStock(cnpjs, skus) {
      return readStockTogether(cnpjs, skus);
    },

    async saveStock(input) {
      saveStock(input);
    },

    async requeueHeld(integrationIds) {
      return st.requeueHeld.run(JSON.stringify(integrationIds)).changes;
    },

    async markHeld(id, at) {
      st.markHeld.run({ id, at });
    },

    async claimOrders(claim) {
      return claimOrders(claim);
    },

    async renewLease(id, lease, until) {
      return st.renewLease.run({ id, lease, until }).changes === 1;
    },

    async releaseOrder(id, lease, workPending) {
      st.release.run({ id, lease, work_pending: workPending ? 1 : 0, claimed_version: claimedVersion(lease) });
    },

    async getStatusDictionary(integrationId) {
      const row = st.statusDictionary.get(integrationId) as StatusDictionaryRow | undefined;
      return row ? toStoredDictionary(row) : null;
    },

    async saveStatusDictionary(integrationId, edit) {
      const row = st.saveStatusDictionary.get({
        integration_id: integrationId,
        dictionary: JSON.stringify(edit.dictionary),
        updated_by: edit.updatedBy,
        updated_at: edit.updatedAt,
      }) as StatusDictionaryRow;
      return toStoredDictionary(row);
    },

    async revokeSession(sessionId, expiresAt) {
      revokeSession(sessionId, expiresAt);
    },

    async isSessionRevoked(sessionId, now) {
      return st.sessionRevoked.get(sessionId, now) !== undefined;
    },

    async rememberDelivery(integrationId, deliveryId, at) {
      return st.rememberDelivery.run(integrationId, deliveryId, at).changes === 1;
    },

    async getPushedStock(integrationId) {
      const rows = st.pushedStock.all(integrationId) as Array<{ sku: string; quantity_milli: number }>;
      return new Map(rows.map((row) => [row.sku, row.quantity_milli]));
    },

    async savePushedStock(integrationId, levels) {
      savePushedStock(integrationId, levels);
    },

    async close() {
      if (closed) return;
      closed = true;
      if (ownsConnection) db.close();
    },
  };
}

/** A copy the caller may mutate without touching what the store returned to others (the memory store clones too). */
function roundTrip(movement: Movement): Movement {
  return structuredClone(movement);
}

/** The order version a lease token was issued for (`<uuid>.v<version>`), or -1 for a token without one. */
function claimedVersion(lease: string): number {
  const match = /\.v(\d+)$/.exec(lease);
  return match ? Number(match[1]) : -1;
}
