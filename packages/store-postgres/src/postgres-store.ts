import pg from 'pg';
import { randomUUID } from 'node:crypto';
import {
  ConfigurationError,
  ConflictError,
  NotFoundError,
  applyLineMappings,
  nextIntakeState,
  orderId as makeOrderId,
  type ClaimedOrder,
  type Movement,
  type Order,
  type OrderListItem,
  type QuantityMilli,
  type QuarantinedRecord,
  type ReservedStock,
  type Store,
  type UpsertOrderResult,
} from '@conecta/core';
import { applyTransition, newMovement, withLineMapping } from '@conecta/core/store';
import type { SharedRateLimiter } from '@conecta/core/http';
import { migrate } from './migrate.js';
import { listingSql } from './order-listing.js';
import {
  movementStates,
  orderValues,
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
import { quoteSchema } from './schema-name.js';
import { CLAIM_TURN_SPAN, statementName, statementTexts, type StatementKey } from './statements.js';
import { inTransaction } from './transaction.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. Ignored when `pool` is given. */
  connectionString?: string;
  /** A pool to use instead of opening one. The store does not end it on close. */
  pool?: pg.Pool;
  /** Schema holding the store's tables, created when missing. Default `conecta`. */
  schema?: string;
  /** Size of the pool the store opens. Default 10. */
  maxConnections?: number;
}

export interface PostgresStore extends Store {
  readonly pool: pg.Pool;
  readonly schema: string;
  /**
   * Request schedules per credential kept in the database, so workers on several machines share each platform's
   * rate limit: `shareRateLimits(store.rateLimiter)` from `@conecta/core/http` in each of them.
   */
  readonly rateLimiter: SharedRateLimiter;
}

interface StockRow {
  company_cnpj: string;
  sku: string;
  total: string;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

const stockKey = (cnpj: string, sku: string) => `${cnpj}\u0000${sku}`;
/** Optimistic upserts retry when another worker changed the order in between; this many tries is plenty. */
const UPSERT_ATTEMPTS = 20;

/**
 * The PostgreSQL store: several workers on several machines share one database. Allocation is serialised per company
 * group by a transaction-scoped advisory lock; movement transitions are single-statement compare-and-sets; work is
 * leased with FOR UPDATE SKIP LOCKED; order upserts use the order's version for optimistic concurrency.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  if (!options.pool && !options.connectionString) throw new ConfigurationError('createPostgresStore needs a `connectionString` or a `pool`');
  const schema = options.schema ?? 'conecta';
  const s = quoteSchema(schema);
  const ownsPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle connection that drops is removed from the pool and the next query opens a new one; without a listener
  // the error event would crash the process.
  if (ownsPool) pool.on('error', () => undefined);
  try {
    await migrate(pool, schema);
  } catch (error) {
    if (ownsPool) await pool.end();
    throw error;
  }

  const texts = statementTexts(s);
  const run = <R extends pg.QueryResultRow>(db: Queryable, key: StatementKey, values: unknown[]) =>
    db.query<R>({ name: statementName(schema, key), text: texts[key], values });
  let closed = false;

  const getOrderRow = async (db: Queryable, id: string) => (await run<OrderRow>(db, 'orderById', [id])).rows[0];
  const getMovementRows = async (db: Queryable, orderId: string) => (await run<MovementRow>(db, 'movementsOfOrder', [orderId])).rows;

  async function upsertOrder(input: Parameters<Store['upsertOrder']>[0]): Promise<UpsertOrderResult> {
    const { integrationId, order, intakeState, at } = input;
    const id = makeOrderId(integrationId, order.externalId);
    for (let attempt = 0; attempt < UPSERT_ATTEMPTS; attempt += 1) {
      const row = await getOrderRow(pool, id);
      if (!row) {
        const created = { ...order, id, integrationId, intakeState, importedAt: at, version: 1 };
        const inserted = await run(pool, 'insertOrder', orderValues(created));
        if (inserted.rowCount === 1) return { order: structuredClone(created), created: true, changed: true, previousIntakeState: undefined };
        continue; // another worker inserted it first: read theirs and merge
      }
      const previous = toOrder(row);
      if (order.updatedAt < previous.updatedAt || (order.updatedAt === previous.updatedAt && order.status === previous.status)) {
        return { order: previous, created: false, changed: false, previousIntakeState: previous.intakeState };
      }
      const next: Order = {
        // People's line mappings outlive a new version of the order from the platform.
        ...applyLineMappings(order, previous.lineMappings),
        id,
        integrationId,
        intakeState: nextIntakeState(previous.intakeState, intakeState),
        importedAt: previous.importedAt,
        version: previous.version + 1,
        ...(previous.lineMappings ? { lineMappings: previous.lineMappings } : {}),
      };
      const [, , , number, status, statusLabel, customer, lines, totals, raw, createdAt, updatedAt, state, , version, warnings, lineMappings, unmatched] = orderValues(next);
      const values = [id, number, status, statusLabel, customer, lines, totals, raw, createdAt, updatedAt, state, version, previous.version, warnings, lineMappings, unmatched];
      if ((await run(pool, 'updateOrder', values)).rowCount === 1) {
        return { order: structuredClone(next), created: false, changed: true, previousIntakeState: previous.intakeState };
      }
    }
    throw new ConflictError(`order ${id} kept changing while it was being stored; try again`, { retryable: true });
  }

  async function mapOrderLine(id: string, mapping: Parameters<Store['mapOrderLine']>[1]): Promise<Order> {
    for (let attempt = 0; attempt < UPSERT_ATTEMPTS; attempt += 1) {
      const row = await getOrderRow(pool, id);
      if (!row) throw new NotFoundError(`order ${id} not found`);
      const previous = toOrder(row);
      const next = withLineMapping(previous, mapping);
      const [, , , number, status, statusLabel, customer, lines, totals, raw, createdAt, updatedAt, state, , version, warnings, lineMappings, unmatched] = orderValues(next);
      const values = [id, number, status, statusLabel, customer, lines, totals, raw, createdAt, updatedAt, state, version, previous.version, warnings, lineMappings, unmatched];
      if ((await run(pool, 'updateOrder', values)).rowCount === 1) return structuredClone(next);
    }
    throw new ConflictError(`order ${id} kept changing while its line was being mapped; try again`, { retryable: true });
  }

  const createMovements: Store['createMovements'] = (id, scope, plan, options) =>
    inTransaction(pool, async (client) => {
      // Serialises allocations in the group across every worker; released when the transaction ends.
      await run(client, 'lockGroup', [`conecta.allocate:${schema}`, scope.groupId]);
      const identity = (await run<{ integration_id: string; external_id: string }>(client, 'orderIdentity', [id])).rows[0];
      if (!identity) throw new NotFoundError(`order ${id} not found`);
      const own = (await getMovementRows(client, id)).map(toMovement);
      const live = own.filter((movement) => movement.state !== 'cancelled' && movement.state !== 'reversed');
      if (live.length > 0 && !options.replace && !options.append) return { movements: live, created: false };

      const held = await run<StockRow>(client, 'reservedForScope', [id, scope.cnpjs, scope.skus, scope.snapshotAt]);
      const totals = new Map(held.rows.map((row) => [stockKey(row.company_cnpj, row.sku), Number(row.total)]));
      const reserved: ReservedStock = { get: (cnpj, sku) => totals.get(stockKey(cnpj, sku)) ?? 0 };
      const coveredLines = new Set(options.append ? live.map((movement) => movement.lineIndex) : []);
      const planned = plan(reserved).filter((item) => !coveredLines.has(item.lineIndex));
      if (options.append && planned.length === 0) return { movements: live, created: false };

      if (options.replace) await run(client, 'cancelForOverride', [id, options.at, options.actor, options.detail ?? null]);
      const created = planned.map((item) => newMovement(item, { id, integrationId: identity.integration_id, externalId: identity.external_id }, options));
      if (created.length > 0) {
        const records = created.map((movement) => ({
          id: movement.id,
          order_id: movement.orderId,
          integration_id: movement.integrationId,
          line_index: movement.lineIndex,
          sku: movement.sku,
          company_cnpj: movement.companyCnpj,
          quantity_milli: movement.quantityMilli,
          unit_price_cents: movement.unitPriceCents,
          state: movement.state,
          idempotency_key: movement.idempotencyKey,
          audit: movement.audit,
          created_at: movement.createdAt,
          updated_at: movement.updatedAt,
        }));
        await run(client, 'insertMovements', [JSON.stringify(records)]);
      }
      if (!options.replace && !options.append) return { movements: created.map((movement) => structuredClone(movement)), created: true };
      const after = (await getMovementRows(client, id)).map(toMovement);
      return { movements: after.filter((movement) => movement.state !== 'cancelled'), created: true };
    });

  const rateLimiter: SharedRateLimiter = {
    async reserve(key, spacingMs) {
      const { rows } = await run<{ wait_ms: number }>(pool, 'reserveRateSlot', [key, spacingMs]);
      return Math.max(0, Number(rows[0]!.wait_ms));
    },
    async pause(key, waitMs) {
      await run(pool, 'pauseRateSlots', [key, waitMs]);
    },
  };

  return {
    pool,
    schema,
    rateLimiter,

    upsertOrder,
    mapOrderLine,

    async getOrder(id) {
      const row = await getOrderRow(pool, id);
      return row ? toOrder(row) : null;
    },

    async listOrders(query) {
      const { key, pageSql, countSql, values } = listingSql(s, query);
      const limit = Math.max(0, query.limit ?? 50);
      const offset = Math.max(0, query.offset ?? 0);
      const page = await pool.query<OrderRow & { total_count: number }>({ name: statementName(schema, `list_${key}`), text: pageSql, values: [...values, limit, offset] });
      let total = page.rows[0]?.total_count;
      if (total === undefined) {
        // Past the last page the window count has no row to ride on.
        const counted = await pool.query<{ total: number }>({ name: statementName(schema, `count_${key}`), text: countSql, values });
        total = counted.rows[0]!.total;
      }
      const items = page.rows.map((row): OrderListItem => {
        const states = movementStates(row);
        const all = Object.values(states).reduce((sum, count) => sum + count, 0);
        return { order: toOrder(row), movementCount: all - (states.cancelled ?? 0), movementStates: states };
      });
      return { items, total };
    },

    async summary(integrationId) {
      const row = (await run<Record<string, unknown>>(pool, 'summary', [integrationId])).rows[0]!;
      return {
        integrationId,
        all: row['all_count'] as number,
        withoutMovements: row['without_movements'] as number,
        pendingSync: row['pending_sync'] as number,
        failed: row['failed'] as number,
        done: row['done'] as number,
        cancelled: row['cancelled'] as number,
        ignored: row['ignored'] as number,
        unmapped: row['unmapped'] as number,
        quarantined: row['quarantined'] as number,
        lastOrder:
          row['last_id'] === null
            ? null
            : {
                id: row['last_id'] as string,
                externalId: row['last_external_id'] as string,
                number: row['last_number'] as string,
                createdAt: row['last_created_at'] as string,
                intakeState: row['last_intake_state'] as OrderRow['intake_state'],
              },
      };
    },

    async seenStatuses(integrationId) {
      const { rows } = await run<{ status: string; count: number }>(pool, 'seenStatuses', [integrationId]);
      // Sorted here: localeCompare is the order the memory store gives, whatever the database's collation.
      return rows.map(({ status, count }) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status));
    },

    async setIntakeState(id, state) {
      if ((await run(pool, 'setIntakeState', [id, state])).rowCount === 0) throw new NotFoundError(`order ${id} not found`);
    },

    async quarantine(input) {
      const record: QuarantinedRecord = { ...structuredClone(input), id: randomUUID() };
      await run(pool, 'insertQuarantine', [
        record.id,
        record.integrationId,
        record.externalId ?? null,
        record.code,
        record.path,
        record.message,
        toJson(record.raw),
        record.source,
        record.at,
      ]);
      return record;
    },

    async listQuarantine(integrationId, options) {
      // A limit of 0 lists everything, as the memory store's slice(-0) does; LIMIT NULL is no limit.
      const limit = options?.limit ?? 100;
      const { rows } = await run<QuarantineRow>(pool, 'listQuarantine', [integrationId, limit === 0 ? null : Math.max(0, limit)]);
      return rows.map(toQuarantined);
    },

    async getQuarantined(id) {
      const row = (await run<QuarantineRow>(pool, 'quarantinedById', [id])).rows[0];
      return row ? toQuarantined(row) : null;
    },

    async removeQuarantined(id) {
      return ((await run(pool, 'removeQuarantined', [id])).rowCount ?? 0) === 1;
    },

    async getCursor(integrationId) {
      return (await run<{ cursor: string }>(pool, 'getCursor', [integrationId])).rows[0]?.cursor ?? null;
    },

    async saveCursor(integrationId, cursor) {
      await run(pool, 'saveCursor', [integrationId, cursor]);
    },

    createMovements,

    async getMovements(id) {
      return (await getMovementRows(pool, id)).map(toMovement);
    },

    async transitionMovement(id, from, to, patch, audit) {
      const values = [
        id,
        from,
        to,
        audit.at,
        JSON.stringify(audit),
        patch.failure !== undefined,
        patch.failure == null ? null : JSON.stringify(patch.failure),
        patch.erpOrderId ?? null,
        patch.erpReference ?? null,
      ];
      const updated = (await run<MovementRow>(pool, 'transitionMovement', values)).rows[0];
      if (updated) return toMovement(updated);
      const current = (await run<{ state: string }>(pool, 'movementState', [id])).rows[0];
      if (!current) throw new NotFoundError(`movement ${id} not found`);
      throw new ConflictError(`movement ${id} is ${current.state}, not ${from.join('/')}; it was changed by someone else`);
    },

    async reservedStock(cnpjs) {
      const out = new Map<string, Map<string, QuantityMilli>>();
      for (const row of (await run<StockRow>(pool, 'reservedStock', [cnpjs])).rows) {
        const bySku = out.get(row.company_cnpj) ?? new Map<string, QuantityMilli>();
        bySku.set(row.sku, Number(row.total));
        out.set(row.company_cnpj, bySku);
      }
      return out;
    },

    async setWorkPending(id, pending) {
      await run(pool, 'setWorkPending', [id, pending]);
    },

    async claimOrders({ integrationIds, tenants, limit, owner, leaseMs, now }) {
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      const wanted = Math.min(CLAIM_TURN_SPAN, Math.max(0, Math.trunc(limit)));
      const tenantEntries = Object.entries(tenants ?? {});
      const { rows } = await run<OrderRow & { position: string }>(pool, 'claim', [
        now,
        wanted,
        owner,
        until,
        integrationIds ?? null,
        tenantEntries.map(([integrationId]) => integrationId),
        tenantEntries.map(([, tenant]) => tenant),
      ]);
      // UPDATE ... RETURNING gives rows in no particular order: put them back in the order they were picked.
      rows.sort((a, b) => Number(a.position) - Number(b.position));
      return rows.map((row): ClaimedOrder => ({ order: toOrder(row), lease: row.lease_token! }));
    },

    async readStock(cnpjs, skus) {
      const { rows } = await run<{ kind: 'level' | 'listing'; company_cnpj: string; sku: string | null; available_milli: string | null; at: string; pages: number | null }>(
        pool,
        'stockReading',
        [cnpjs, skus],
      );
      return {
        levels: rows
          .filter((row) => row.kind === 'level')
          .map((row) => ({ cnpj: row.company_cnpj, sku: row.sku!, availableMilli: row.available_milli === null ? null : Number(row.available_milli), readAt: row.at })),
        listings: rows.filter((row) => row.kind === 'listing').map((row) => ({ cnpj: row.company_cnpj, listedAt: row.at, pages: row.pages! })),
      };
    },

    async saveStock({ cnpj, levels, readAt, listing }) {
      await inTransaction(pool, async (client) => {
        if (listing?.whole) await run(client, 'dropUnlisted', [cnpj, readAt, [...levels.keys()]]);
        if (levels.size > 0) await run(client, 'saveStockLevels', [cnpj, [...levels.keys()], [...levels.values()], readAt]);
        if (listing) await run(client, 'saveStockListing', [cnpj, readAt, listing.pages]);
      });
    },

    async requeueHeld(integrationIds) {
      return (await run(pool, 'requeueHeld', [integrationIds])).rowCount ?? 0;
    },

    async markHeld(id, at) {
      await run(pool, 'markHeld', [id, at]);
    },

    async renewLease(id, lease, until) {
      return ((await run(pool, 'renewLease', [id, lease, until])).rowCount ?? 0) === 1;
    },

    async releaseOrder(id, lease, workPending) {
      await run(pool, 'release', [id, lease, workPending]);
    },

    async getStatusDictionary(integrationId) {
      const row = (await run<StatusDictionaryRow>(pool, 'statusDictionary', [integrationId])).rows[0];
      return row ? toStoredDictionary(row) : null;
    },

    async saveStatusDictionary(integrationId, edit) {
      const { rows } = await run<StatusDictionaryRow>(pool, 'saveStatusDictionary', [integrationId, JSON.stringify(edit.dictionary), edit.updatedBy, edit.updatedAt]);
      return toStoredDictionary(rows[0]!);
    },

    async revokeSession(sessionId, expiresAt) {
      await run(pool, 'revokeSession', [sessionId, expiresAt, new Date().toISOString()]);
    },

    async isSessionRevoked(sessionId, now) {
      return (await run(pool, 'sessionRevoked', [sessionId, now])).rows.length > 0;
    },

    async rememberDelivery(integrationId, deliveryId, at) {
      return (await run(pool, 'rememberDelivery', [integrationId, deliveryId, at])).rowCount === 1;
    },

    async getPushedStock(integrationId) {
      const { rows } = await run<{ sku: string; quantity_milli: string }>(pool, 'pushedStock', [integrationId]);
      return new Map(rows.map((row) => [row.sku, Number(row.quantity_milli)]));
    },

    async savePushedStock(integrationId, levels) {
      if (levels.size === 0) return;
      await run(pool, 'savePushedStock', [integrationId, [...levels.keys()], [...levels.values()]]);
    },

    async close() {
      if (closed) return;
      closed = true;
      if (ownsPool) await pool.end();
    },
  };
}
