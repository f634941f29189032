import { allocate } from '../allocator/allocate.js';
import type { AllocationResult } from '../allocator/types.js';
import { ConflictError, NotFoundError, ValidationError, WebhookRejectedError } from '../errors/errors.js';
import { ConectaEventBus } from '../events/events.js';
import type { CompanyGroup } from '../models/company.js';
import type { Movement } from '../models/movement.js';
import { matchedSkus, orderId as orderIdOf, type Order } from '../models/order.js';
import { nextIntakeState, resolveStatus, StatusDictionarySchema, type StatusDictionary } from '../models/status-dictionary.js';
import { assertConnector } from '../spec/assert-connector.js';
import type { WebhookInput } from '../spec/connector.js';
import type { ErpPort } from '../spec/erp.js';
import type { IntegrationSummary, OrderQuery, Store } from '../store/store-port.js';
import { ordersReadyToRetry, type OrderWithMovementStates } from './held-orders.js';
import { allocateOrder, type AllocateOrderResult, type LineOverride } from './allocate-step.js';
import { cancelOrderMovements, type CancelResult } from './cancel-step.js';
import { createContext, integrationOf, type DictionaryEdit, type IntegrationBinding, type PipelineContext } from './context.js';
import { createErpOrders, type CreateErpOrdersResult } from './erp-order-step.js';
import { ingestOrders, type IngestResult } from './ingest.js';
import { pollIntegration, type PollResult } from './poll.js';
import { processOrder, type ProcessOutcome } from './process-order.js';
import { netOfReserved, StockReader } from './stock-snapshot.js';
import { planStockPush, pushStockFor, type StockPushPlan, type StockPushSummary } from './stock-push.js';
import { syncOrder, type SyncResult } from './sync-step.js';

export interface PipelineOptions {
  store: Store;
  erp: ErpPort;
  groups: readonly CompanyGroup[];
  integrations: readonly IntegrationBinding[];
  events?: ConectaEventBus;
  now?: () => Date;
  /**
   * In automatic mode a sync follows its allocation at once; when the stock the allocation read is at most this old
   * (ms), the sync checks against it instead of asking Mainô again. 0 makes every sync read Mainô. Default 5,000.
   */
  stockReuseMs?: number;
  /**
   * How old (ms) the stock an allocation or a Sincronizar check reads may be. Within it, checks read the per-company
   * snapshots every worker shares through the store (refreshed by listing the catalogue, or by lookups when that is
   * cheaper) together with what our own unfinished movements hold; older parts are read from Mainô again. A create
   * Mainô refuses for lack of stock sends the order back to allocation on fresh figures. 0 reads Mainô for every
   * check. Default 30,000.
   */
  stockFreshnessMs?: number;
  /**
   * Refresh snapshots with the products changed since the last listing (Mainô's `ultima_modificacao`) instead of the
   * whole catalogue. Only when the ERP client says it supports it; default false.
   */
  incrementalStock?: boolean;
}

/** A hypothetical order for `previewAllocation`: its lines, allocated in the group of `integrationId`. */
export interface AllocationDraft {
  integrationId: string;
  lines: ReadonlyArray<{ sku: string; quantityMilli: number; unitPriceCents?: number }>;
}

export interface OrderDetail {
  order: Order;
  movements: Movement[];
}

export interface WebhookOutcome {
  status: 'accepted' | 'ping' | 'duplicate';
  deliveryId: string;
  ingest?: IngestResult;
}

export interface StatusReport {
  dictionary: StatusDictionary;
  seen: Array<{ status: string; count: number; state: string; unmapped: boolean }>;
  /** The last edit made at runtime (the dashboard's editor, `updateStatusDictionary`); absent while the configured one applies. */
  lastEdit?: DictionaryEdit;
}

/**
 * The sync pipeline: import, allocate, sync, create in the ERP, cancel, push stock, with listings for people.
 * Every command takes an `actor` (a user id, or `system`), recorded in the movements' audit trail.
 */
export interface Pipeline {
  readonly events: ConectaEventBus;
  readonly context: PipelineContext;

  poll(integrationId: string, options?: { signal?: AbortSignal; since?: string }): Promise<PollResult>;
  ingest(integrationId: string, orders: Parameters<typeof ingestOrders>[2], rejected?: Parameters<typeof ingestOrders>[3], source?: 'poll' | 'webhook'): Promise<IngestResult>;
  /**
   * Verifies a webhook delivery with the connector and imports its orders; a delivery id seen before comes back as
   * `duplicate` (its import is idempotent). Throws WebhookRejectedError for a delivery that fails verification.
   */
  receiveWebhook(integrationId: string, input: WebhookInput): Promise<WebhookOutcome>;

  /**
   * Fetches the order of a quarantined payload from the platform again and imports it; the payload leaves quarantine
   * once its order is stored. When the platform still sends it malformed, the connector's ValidationError is thrown and
   * the payload stays; NotFoundError when the payload is not (or no longer) in quarantine or the platform no longer
   * has the order; ValidationError on `externalId` when the payload names no order to fetch.
   */
  reprocessQuarantined(integrationId: string, quarantineId: string, options: { actor: string; signal?: AbortSignal }): Promise<{ orderId: string; ingest: IngestResult }>;

  /**
   * The allocator's plan and explanation for an order, without storing anything: a stored order by id, or a draft
   * (lines that no store order has, e.g. "what if someone bought 3 of X") for an integration's group.
   */
  previewAllocation(order: string | AllocationDraft): Promise<AllocationResult>;
  createMovements(orderId: string, options: { actor: string; overrides?: LineOverride[] }): Promise<AllocateOrderResult>;
  /**
   * A person maps a line the platform sent without a usable SKU to a SKU (or corrects an earlier mapping of a line
   * that has no live movement yet). Recorded on the order (`lineMappings`: who, when, what) and kept across new
   * versions of the order; the order gets work pending, and the next allocation (the runner's in automatic mode, or
   * `createMovements`) uses the SKU. When the rest of the order was already allocated (partial policy), only the
   * mapped line is planned, and its Mainô order is a new one per company.
   */
  mapOrderLine(orderId: string, lineIndex: number, sku: string, actor: string): Promise<Order>;
  sync(orderId: string, options: { actor: string }): Promise<SyncResult>;
  createErpOrder(orderId: string, options: { actor: string }): Promise<CreateErpOrdersResult>;
  /** Puts failed movements back to created and syncs them again. */
  retryFailed(orderId: string, options: { actor: string }): Promise<SyncResult>;
  cancel(orderId: string, options: { actor: string }): Promise<CancelResult>;
  /** Runs every automatic step the order's mode allows. */
  process(orderId: string, options?: { actor?: string; signal?: AbortSignal }): Promise<{ outcome: ProcessOutcome; retry: boolean }>;

  pushStock(integrationId: string, options?: { skus?: readonly string[]; force?: boolean; signal?: AbortSignal }): Promise<StockPushSummary>;
  /** What `pushStock` would send, SKU by SKU, without sending or saving anything. */
  planStockPush(integrationId: string, options?: { skus?: readonly string[]; force?: boolean; signal?: AbortSignal }): Promise<StockPushPlan>;

  getOrder(orderId: string): Promise<OrderDetail>;
  listOrders(query: OrderQuery): ReturnType<Store['listOrders']>;
  /**
   * Which of these orders (a listing's items) are held, with no live movement after a shortfall, and now have their
   * lines covered by free stock: ready to try again. In automatic mode the runner retries them by itself; in
   * on-command mode a person sees them (see `ordersReadyToRetry`). Reads the stock as a check does.
   */
  readyToRetry(items: readonly OrderWithMovementStates[], options?: { signal?: AbortSignal }): Promise<Set<string>>;
  summary(integrationId: string): Promise<IntegrationSummary>;
  /** The dictionary and the statuses seen in orders, with the unmapped ones marked, and who last edited it. */
  statusReport(integrationId: string): Promise<StatusReport>;
  /**
   * Replaces the dictionary and re-applies it to every stored order of the integration (ranks hold: a cancelled order
   * is not revived), returning how many changed state. When the store
   * keeps dictionaries (`persisted: true`) every worker on it takes the edit up, and it outlives a restart.
   */
  updateStatusDictionary(integrationId: string, dictionary: StatusDictionary, options: { actor: string }): Promise<{ reclassified: number; persisted: boolean }>;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  for (const binding of options.integrations) {
    assertConnector(binding.connector, { stockPush: binding.integration.stockPush.enabled });
  }
  const events = options.events ?? new ConectaEventBus();
  const context = createContext({ ...options, events });

  const requireOrder = async (orderId: string): Promise<Order> => {
    const order = await context.store.getOrder(orderId);
    if (!order) throw new NotFoundError(`order ${orderId} not found`);
    return order;
  };

  return {
    events,
    context,
    poll: (integrationId, pollOptions) => pollIntegration(context, integrationId, pollOptions),
    ingest: (integrationId, orders, rejected = [], source = 'poll') => ingestOrders(context, integrationId, orders, rejected, source),

    async receiveWebhook(integrationId, input) {
      const { connector } = context.resolve(integrationId);
      if (!connector.parseWebhook) throw new WebhookRejectedError('not-configured', `${connector.platform} has no webhooks; this integration is polled`);
      const event = await connector.parseWebhook(input);
      if (event.ping) return { status: 'ping', deliveryId: event.deliveryId };
      // Imported before the delivery id is recorded: if the import fails, the platform's retry is processed.
      const ingest = await ingestOrders(context, integrationId, event.orders, event.rejected, 'webhook');
      const first = await context.store.rememberDelivery(integrationId, event.deliveryId, context.now());
      return { status: first ? 'accepted' : 'duplicate', deliveryId: event.deliveryId, ingest };
    },

    async reprocessQuarantined(integrationId, quarantineId, commandOptions) {
      const { connector } = context.resolve(integrationId);
      const record = await context.store.getQuarantined(quarantineId);
      if (!record || record.integrationId !== integrationId) throw new NotFoundError(`no quarantined payload ${quarantineId} in integration ${integrationId}`);
      if (!record.externalId) {
        throw new ValidationError([{ path: 'externalId', message: 'the payload names no order id, so the order cannot be fetched again' }], { subject: `quarantined payload ${quarantineId}` });
      }
      const order = await connector.getOrder(record.externalId, { signal: commandOptions.signal });
      if (!order) throw new NotFoundError(`${connector.platform} no longer has order ${record.externalId}`);
      const ingest = await ingestOrders(context, integrationId, [order], [], record.source);
      await context.store.removeQuarantined(quarantineId);
      const orderId = orderIdOf(integrationId, order.externalId);
      events.emit('quarantine-reprocessed', { integrationId, quarantineId, orderId, actor: commandOptions.actor });
      return { orderId, ingest };
    },

    async previewAllocation(target) {
      const integrationId = typeof target === 'string' ? integrationOf(target) : target.integrationId;
      const { group, companies } = context.resolve(integrationId);
      const lines = typeof target === 'string' ? (await requireOrder(target)).lines : target.lines.map((line) => ({ ...line, unitPriceCents: line.unitPriceCents ?? 0 }));
      const skus = matchedSkus(lines);
      const stock = new StockReader(context, companies, skus, undefined);
      await stock.readAll();
      const snapshot = stock.snapshot();
      const reserved = await context.store.reservedStock(companies.map((company) => company.cnpj));
      // A stored order's own open movements are not counted against it; a draft has none.
      const own = typeof target === 'string' ? await context.store.getMovements(target) : [];
      const held = (cnpj: string, sku: string) =>
        (reserved.get(cnpj)?.get(sku) ?? 0) -
        own.filter((m) => m.companyCnpj === cnpj && m.sku === sku && (m.state === 'created' || m.state === 'synced' || m.state === 'failed')).reduce((sum, m) => sum + m.quantityMilli, 0);
      return allocate({ lines }, netOfReserved(snapshot, { get: held }), { companies, ...group.allocation });
    },
    createMovements: (orderId, commandOptions) => allocateOrder(context, orderId, commandOptions),
    readyToRetry: (items, readOptions) => ordersReadyToRetry(context, items, readOptions?.signal),
    async mapOrderLine(orderId, lineIndex, sku, actor) {
      const order = await requireOrder(orderId);
      const movements = await context.store.getMovements(orderId);
      if (movements.some((m) => m.lineIndex === lineIndex && m.state !== 'cancelled' && m.state !== 'reversed')) {
        throw new ConflictError(`line ${lineIndex} of order ${order.number} already has movements; cancel them before mapping the line again`);
      }
      const mapped = await context.store.mapOrderLine(orderId, { lineIndex, sku, actor, at: context.now() });
      events.emit('line-mapped', { integrationId: order.integrationId, orderId, lineIndex, sku: mapped.lines[lineIndex]!.sku!, actor });
      return mapped;
    },
    sync: (orderId, commandOptions) => syncOrder(context, orderId, commandOptions),
    createErpOrder: (orderId, commandOptions) => createErpOrders(context, orderId, commandOptions),
    async retryFailed(orderId, commandOptions) {
      for (const movement of await context.store.getMovements(orderId)) {
        if (movement.state !== 'failed') continue;
        try {
          await context.store.transitionMovement(movement.id, ['failed'], 'created', { failure: null }, { at: context.now(), actor: commandOptions.actor, action: 'retry' });
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
      return syncOrder(context, orderId, commandOptions);
    },
    cancel: (orderId, commandOptions) => cancelOrderMovements(context, orderId, commandOptions),
    async process(orderId, processOptions) {
      return processOrder(context, await requireOrder(orderId), processOptions);
    },

    pushStock: (integrationId, pushOptions) => pushStockFor(context, integrationId, pushOptions),
    planStockPush: (integrationId, planOptions) => planStockPush(context, integrationId, planOptions),

    async getOrder(orderId) {
      return { order: await requireOrder(orderId), movements: await context.store.getMovements(orderId) };
    },
    listOrders: (query) => context.store.listOrders(query),
    summary: (integrationId) => context.store.summary(integrationId),

    async statusReport(integrationId) {
      await context.refreshDictionary(integrationId);
      const { integration } = context.resolve(integrationId);
      const seen = await context.store.seenStatuses(integrationId);
      const lastEdit = context.dictionaryEdit(integrationId);
      return {
        dictionary: integration.statusDictionary,
        seen: seen.map(({ status, count }) => {
          const resolution = resolveStatus(integration.statusDictionary, status);
          return { status, count, state: resolution.state, unmapped: resolution.unmapped };
        }),
        ...(lastEdit ? { lastEdit } : {}),
      };
    },

    async updateStatusDictionary(integrationId, dictionary, commandOptions) {
      const parsed = StatusDictionarySchema.parse(dictionary);
      // An unknown integration is refused before anything is saved for it.
      context.resolve(integrationId);
      const edit = { dictionary: parsed, updatedBy: commandOptions.actor, updatedAt: context.now() };
      const stored = context.store.saveStatusDictionary ? await context.store.saveStatusDictionary(integrationId, edit) : undefined;
      context.setDictionary(integrationId, parsed, { updatedBy: edit.updatedBy, updatedAt: edit.updatedAt, ...(stored ? { version: stored.version } : {}) });
      // Every stored order is looked at, not only unmapped ones: a pending order whose store status was unknown when
      // it arrived (the store cancelled it under a new status) follows the edit that maps that status. Collected
      // first, since reclassifying moves orders between the listing filters being paged through.
      const candidates: Order[] = [];
      const pageSize = 500;
      for (let offset = 0; ; offset += pageSize) {
        const page = await context.store.listOrders({ integrationId, filter: 'all', limit: pageSize, offset });
        for (const { order } of page.items) candidates.push(order);
        if (offset + pageSize >= page.total) break;
      }
      let reclassified = 0;
      for (const order of candidates) {
        const incoming = resolveStatus(parsed, order.status).state;
        // An ignored order may become unmapped or anything else under the new dictionary; other states keep their rank.
        const next = order.intakeState === 'ignored' ? incoming : nextIntakeState(order.intakeState, incoming);
        if (next !== order.intakeState) {
          // Marks the order's work pending: a runner releases the stock of an order that became cancelled.
          await context.store.setIntakeState(order.id, next, context.now());
          reclassified += 1;
        }
      }
      events.emit('status-dictionary-updated', { integrationId, actor: commandOptions.actor, reclassified });
      return { reclassified, persisted: stored !== undefined };
    },
  };
}
