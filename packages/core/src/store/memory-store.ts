import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors/errors.js';
import type { AuditEntry, Movement, MovementState } from '../models/movement.js';
import { applyTransition, newMovement } from './movement-records.js';
import { withLineMapping } from './line-mapping.js';
import { settleTransition } from './transition-all.js';
import { pickClaims, servedTurns } from './claim-rotation.js';
import { applyLineMappings, orderId as makeOrderId, type Order } from '../models/order.js';
import { nextIntakeState } from '../models/status-dictionary.js';
import type { QuantityMilli } from '../money/quantity.js';
import { countStates, holdsStock, matchesFilter, orderSituation } from './order-filters.js';
import type {
  ClaimedOrder,
  IntegrationSummary,
  MovementPatch,
  OrderListItem,
  QuarantinedRecord,
  ReservedStock,
  Store,
  StoredStatusDictionary,
  StoredStockLevel,
  StoredStockListing,
} from './store-port.js';

const SUMMARY_KEYS = {
  'without-movements': 'withoutMovements',
  'pending-sync': 'pendingSync',
  failed: 'failed',
  done: 'done',
  cancelled: 'cancelled',
  ignored: 'ignored',
  unmapped: 'unmapped',
} as const;

interface OrderRecord {
  order: Order;
  workPending: boolean;
  lease?: { token: string; owner: string; until: string; version: number };
}

/** The in-memory store: for tests, examples and single-process tools that do not need to survive a restart. */
export function createMemoryStore(): Store {
  const orders = new Map<string, OrderRecord>();
  const movements = new Map<string, Movement>();
  const movementsByOrder = new Map<string, string[]>();
  // Fair claims: when each integration was last served, on a counter that only grows.
  const servedAt = new Map<string, number>();
  let nextTurn = 1;
  const quarantine: QuarantinedRecord[] = [];
  const cursors = new Map<string, string>();
  const deliveries = new Set<string>();
  const pushed = new Map<string, Map<string, QuantityMilli>>();
  const dictionaries = new Map<string, StoredStatusDictionary>();
  const stockLevels = new Map<string, Map<string, StoredStockLevel>>();
  const stockListings = new Map<string, StoredStockListing>();
  const revokedSessions = new Map<string, string>();

  const orderMovements = (id: string): Movement[] => (movementsByOrder.get(id) ?? []).map((movementId) => movements.get(movementId)!);
  const clone = <T>(value: T): T => structuredClone(value);


  function transitionOne(movementId: string, from: readonly MovementState[], to: MovementState, patch: MovementPatch, audit: AuditEntry): Movement {
    const movement = movements.get(movementId);
    if (!movement) throw new NotFoundError(`movement ${movementId} not found`);
    if (!from.includes(movement.state)) {
      throw new ConflictError(`movement ${movementId} is ${movement.state}, not ${from.join('/')}; it was changed by someone else`);
    }
    const next = applyTransition(movement, to, patch, audit);
    movements.set(movementId, next);
    return clone(next);
  }

  return {
    async upsertOrder({ integrationId, order, intakeState, at }) {
      const id = makeOrderId(integrationId, order.externalId);
      const existing = orders.get(id);
      if (!existing) {
        const stored: Order = { ...clone(order), id, integrationId, intakeState, importedAt: at, version: 1 };
        orders.set(id, { order: stored, workPending: true });
        return { order: clone(stored), created: true, changed: true, previousIntakeState: undefined };
      }
      const previous = existing.order;
      if (order.updatedAt < previous.updatedAt || (order.updatedAt === previous.updatedAt && order.status === previous.status)) {
        return { order: clone(previous), created: false, changed: false, previousIntakeState: previous.intakeState };
      }
      const next: Order = {
        // People's line mappings outlive a new version of the order from the platform.
        ...applyLineMappings(clone(order), previous.lineMappings),
        id,
        integrationId,
        intakeState: nextIntakeState(previous.intakeState, intakeState),
        importedAt: previous.importedAt,
        version: previous.version + 1,
        ...(previous.lineMappings ? { lineMappings: previous.lineMappings } : {}),
        ...(previous.heldAt ? { heldAt: previous.heldAt } : {}),
      };
      existing.order = next;
      existing.workPending = true;
      return { order: clone(next), created: false, changed: true, previousIntakeState: previous.intakeState };
    },

    async getOrder(id) {
      const record = orders.get(id);
      return record ? clone(record.order) : null;
    },

    async listOrders(query) {
      const filter = query.filter ?? 'all';
      const search = query.search?.trim().toLowerCase();
      const matching: OrderListItem[] = [];
      for (const { order } of orders.values()) {
        if (query.integrationId && order.integrationId !== query.integrationId) continue;
        if (query.integrationIds && !query.integrationIds.includes(order.integrationId)) continue;
        if (search && !order.number.toLowerCase().includes(search) && !order.externalId.toLowerCase().includes(search)) continue;
        const own = orderMovements(order.id);
        if (!matchesFilter(filter, order, own)) continue;
        matching.push({ order, movementCount: own.filter((movement) => movement.state !== 'cancelled').length, movementStates: countStates(own) });
      }
      // Byte-wise comparisons, as the SQL adapters sort, so every adapter lists in the same order.
      const byteWise = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      matching.sort((a, b) => byteWise(b.order.createdAt, a.order.createdAt) || byteWise(b.order.id, a.order.id));
      const offset = query.offset ?? 0;
      const items = matching.slice(offset, offset + (query.limit ?? 50));
      return { items: clone(items), total: matching.length };
    },

    async summary(integrationId) {
      const summary: IntegrationSummary = {
        integrationId,
        all: 0,
        withoutMovements: 0,
        pendingSync: 0,
        failed: 0,
        done: 0,
        cancelled: 0,
        ignored: 0,
        unmapped: 0,
        quarantined: quarantine.filter((record) => record.integrationId === integrationId).length,
        lastOrder: null,
      };
      let last: Order | undefined;
      for (const { order } of orders.values()) {
        if (order.integrationId !== integrationId) continue;
        const own = orderMovements(order.id);
        summary.all += 1;
        summary[SUMMARY_KEYS[orderSituation(order, countStates(own))]] += 1;
        if (!last || order.createdAt > last.createdAt || (order.createdAt === last.createdAt && order.id > last.id)) last = order;
      }
      if (last) summary.lastOrder = { id: last.id, externalId: last.externalId, number: last.number, createdAt: last.createdAt, intakeState: last.intakeState };
      return summary;
    },

    async seenStatuses(integrationId) {
      const counts = new Map<string, number>();
      for (const { order } of orders.values()) {
        if (order.integrationId === integrationId) counts.set(order.status, (counts.get(order.status) ?? 0) + 1);
      }
      return [...counts].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status));
    },

    async mapOrderLine(id, mapping) {
      const record = orders.get(id);
      if (!record) throw new NotFoundError(`order ${id} not found`);
      record.order = withLineMapping(record.order, mapping);
      record.workPending = true;
      return clone(record.order);
    },

    async setIntakeState(id, state) {
      const record = orders.get(id);
      if (!record) throw new NotFoundError(`order ${id} not found`);
      record.order = { ...record.order, intakeState: state, version: record.order.version + 1 };
      record.workPending = true;
    },

    async quarantine(input) {
      const record: QuarantinedRecord = { ...clone(input), id: randomUUID() };
      quarantine.push(record);
      return clone(record);
    },

    async listQuarantine(integrationId, options) {
      const limit = options?.limit ?? 100;
      if (limit <= 0) return [];
      return clone(quarantine.filter((record) => record.integrationId === integrationId).slice(-limit).reverse());
    },

    async getQuarantined(id) {
      const record = quarantine.find((entry) => entry.id === id);
      return record ? clone(record) : null;
    },

    async removeQuarantined(id) {
      const index = quarantine.findIndex((entry) => entry.id === id);
      if (index < 0) return false;
      quarantine.splice(index, 1);
      return true;
    },

    async getCursor(integrationId) {
      return cursors.get(integrationId) ?? null;
    },

    async saveCursor(integrationId, cursor) {
      cursors.set(integrationId, cursor);
    },

    async createMovements(id, scope, plan, options) {
      // Runs without an await between reading reservations and writing movements: JavaScript's single thread is
      // the lock that serialises allocations in this adapter.
      const record = orders.get(id);
      if (!record) throw new NotFoundError(`order ${id} not found`);
      const own = orderMovements(id);
      const live = own.filter((movement) => movement.state !== 'cancelled' && movement.state !== 'reversed');
      if (live.length > 0 && !options.replace && !options.append) return { movements: clone(live), created: false };

      const cnpjs = new Set(scope.cnpjs);
      const skus = new Set(scope.skus);
      const reservedTotals = new Map<string, QuantityMilli>();
      for (const movement of movements.values()) {
        if (movement.orderId === id || !cnpjs.has(movement.companyCnpj) || !skus.has(movement.sku)) continue;
        if (!holdsStock(movement, scope.snapshotAt)) continue;
        const key = `${movement.companyCnpj}\u0000${movement.sku}`;
        reservedTotals.set(key, (reservedTotals.get(key) ?? 0) + movement.quantityMilli);
      }
      const reserved: ReservedStock = { get: (cnpj, sku) => reservedTotals.get(`${cnpj}\u0000${sku}`) ?? 0 };
      const coveredLines = new Set(options.append ? live.map((movement) => movement.lineIndex) : []);
      const planned = plan(reserved).filter((item) => !coveredLines.has(item.lineIndex));
      if (options.append && planned.length === 0) return { movements: clone(live), created: false };

      if (options.replace) {
        for (const movement of own) {
          if (movement.state !== 'created' && movement.state !== 'failed') continue;
          const entry: AuditEntry = { at: options.at, actor: options.actor, action: 'override', from: movement.state, to: 'cancelled', detail: options.detail };
          movements.set(movement.id, { ...movement, state: 'cancelled', updatedAt: options.at, audit: [...movement.audit, entry] });
        }
      }
      const created = planned.map((item) => newMovement(item, record.order, options));
      for (const movement of created) {
        movements.set(movement.id, movement);
        movementsByOrder.set(id, [...(movementsByOrder.get(id) ?? []), movement.id]);
      }
      const result = options.replace || options.append ? orderMovements(id).filter((movement) => movement.state !== 'cancelled') : created;
      return { movements: clone(result), created: true };
    },

    async getMovements(id) {
      return clone(orderMovements(id));
    },

    async transitionMovement(movementId, from, to, patch: MovementPatch, audit) {
      return transitionOne(movementId, from, to, patch, audit);
    },

    async transitionMovements(transitions) {
      return transitions.map(({ id, from, to, patch, audit }) => settleTransition(() => transitionOne(id, from, to, patch, audit)));
    },

    async reservedStock(cnpjs) {
      const wanted = new Set(cnpjs);
      const out = new Map<string, Map<string, QuantityMilli>>();
      for (const movement of movements.values()) {
        if (!wanted.has(movement.companyCnpj) || !holdsStock(movement, undefined)) continue;
        const bySku = out.get(movement.companyCnpj) ?? new Map<string, QuantityMilli>();
        bySku.set(movement.sku, (bySku.get(movement.sku) ?? 0) + movement.quantityMilli);
        out.set(movement.companyCnpj, bySku);
      }
      return out;
    },

    async setWorkPending(id, pending) {
      const record = orders.get(id);
      if (record) record.workPending = pending;
    },

    async claimOrders({ integrationIds, tenants, limit, owner, leaseMs, now }) {
      const queues = new Map<string, Array<{ integrationId: string; updatedAt: string; seq: number; record: OrderRecord }>>();
      let seq = 0;
      for (const record of orders.values()) {
        seq += 1;
        if (!record.workPending) continue;
        if (integrationIds && !integrationIds.includes(record.order.integrationId)) continue;
        if (record.lease && record.lease.until > now) continue;
        const queue = queues.get(record.order.integrationId) ?? [];
        queue.push({ integrationId: record.order.integrationId, updatedAt: record.order.updatedAt, seq, record });
        queues.set(record.order.integrationId, queue);
      }
      for (const queue of queues.values()) queue.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.seq - b.seq);
      const picked = pickClaims({ queues, tenants, servedAt: (id) => servedAt.get(id), limit });
      const served = servedTurns(picked, nextTurn);
      for (const [integrationId, turn] of served.turns) servedAt.set(integrationId, turn);
      nextTurn = served.next;
      return picked.map(({ record }): ClaimedOrder => {
        const token = randomUUID();
        record.lease = { token, owner, until: new Date(Date.parse(now) + leaseMs).toISOString(), version: record.order.version };
        return { order: clone(record.order), lease: token };
      });
    },

    async readStock(cnpjs, skus) {
      const wanted = new Set(skus);
      const levels: StoredStockLevel[] = [];
      const listings: StoredStockListing[] = [];
      for (const cnpj of cnpjs) {
        for (const level of stockLevels.get(cnpj)?.values() ?? []) if (wanted.has(level.sku)) levels.push(clone(level));
        const listing = stockListings.get(cnpj);
        if (listing) listings.push(clone(listing));
      }
      return { levels, listings };
    },

    async saveStock({ cnpj, levels, readAt, listing }) {
      const company = stockLevels.get(cnpj) ?? new Map<string, StoredStockLevel>();
      stockLevels.set(cnpj, company);
      if (listing?.whole) {
        for (const [sku, level] of company) if (level.readAt < readAt && !levels.has(sku)) company.delete(sku);
      }
      for (const [sku, availableMilli] of levels) {
        const current = company.get(sku);
        if (!current || current.readAt <= readAt) company.set(sku, { cnpj, sku, availableMilli, readAt });
      }
      const current = stockListings.get(cnpj);
      if (listing && (!current || current.listedAt <= readAt)) stockListings.set(cnpj, { cnpj, listedAt: readAt, pages: listing.pages });
    },

    async requeueHeld(integrationIds) {
      let count = 0;
      for (const record of orders.values()) {
        if (record.workPending || !integrationIds.includes(record.order.integrationId)) continue;
        if (!matchesFilter('without-movements', record.order, orderMovements(record.order.id))) continue;
        record.workPending = true;
        count += 1;
      }
      return count;
    },

    async markHeld(id, at) {
      const record = orders.get(id);
      if (record) record.order = { ...record.order, heldAt: at };
    },

    async renewLease(id, lease, until) {
      const record = orders.get(id);
      if (!record?.lease || record.lease.token !== lease) return false;
      record.lease = { ...record.lease, until };
      return true;
    },

    async releaseOrder(id, lease, workPending) {
      const record = orders.get(id);
      if (!record || record.lease?.token !== lease) return;
      // Work imported after the claim (the version moved on) stays pending whatever the worker says.
      const changed = record.order.version !== record.lease.version;
      delete record.lease;
      record.workPending = workPending || changed;
    },

    async getStatusDictionary(integrationId) {
      const stored = dictionaries.get(integrationId);
      return stored ? clone(stored) : null;
    },

    async saveStatusDictionary(integrationId, edit) {
      const stored: StoredStatusDictionary = { ...clone(edit), version: (dictionaries.get(integrationId)?.version ?? 0) + 1 };
      dictionaries.set(integrationId, stored);
      return clone(stored);
    },

    async revokeSession(sessionId, expiresAt) {
      const now = new Date().toISOString();
      for (const [id, until] of revokedSessions) if (until <= now) revokedSessions.delete(id);
      revokedSessions.set(sessionId, expiresAt);
    },

    async isSessionRevoked(sessionId, now) {
      const until = revokedSessions.get(sessionId);
      return until !== undefined && until > now;
    },

    async rememberDelivery(integrationId, deliveryId) {
      const key = `${integrationId}\u0000${deliveryId}`;
      if (deliveries.has(key)) return false;
      deliveries.add(key);
      return true;
    },

    async getPushedStock(integrationId) {
      return new Map(pushed.get(integrationId) ?? []);
    },

    async savePushedStock(integrationId, levels) {
      const current = pushed.get(integrationId) ?? new Map<string, QuantityMilli>();
      for (const [sku, quantity] of levels) current.set(sku, quantity);
      pushed.set(integrationId, current);
    },

    async close() {},
  };
}

export type { MovementState };
