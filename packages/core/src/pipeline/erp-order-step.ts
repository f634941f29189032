import { ConflictError, InsufficientStockError, NotFoundError, toConectaError } from '../errors/errors.js';
import { erpReference, type Movement } from '../models/movement.js';
import type { OrderTotals } from '../models/order.js';
import type { ErpOrderCharges } from '../spec/erp.js';
import { transitionAll } from '../store/transition-all.js';
import type { PipelineContext } from './context.js';
import { integrationOf } from './context.js';

export interface CreateErpOrdersResult {
  /** One entry per company whose sales order exists now. */
  created: Array<{ companyCnpj: string; erpOrderId: string; reference: string; reused: boolean }>;
  /** Companies left for later: some of their movements are not synced yet, or the create failed. */
  pending: Array<{
    companyCnpj: string;
    reason: string;
    /** False when the ERP refused the order for good: its movements are failed and a person must act. */
    retryable: boolean;
  }>;
  /**
   * Companies whose order Mainô refused for lack of stock: their movements were released and the snapshot corrected,
   * so the lines they held go back to allocation.
   */
  refused: Array<{ companyCnpj: string; reason: string }>;
}

/**
 * Creates one ERP sales order per supplying company, tagged with the integration's name and keyed by a reference
 * that is the same on every try, then marks its movements done (Realizado). A crash between the create and the
 * mark leaves the movements synced; the next run finds the order by its reference instead of creating another.
 */
export async function createErpOrders(context: PipelineContext, orderId: string, options: CreateErpOrdersOptions): Promise<CreateErpOrdersResult> {
  // Two creates of one order at once (a double click, a command while the runner works on it) would both miss the
  // reference lookup and both create: in one process the second leaves it to the first.
  let running = inFlight.get(context.store);
  if (!running) inFlight.set(context.store, (running = new Set()));
  if (running.has(orderId)) return { created: [], pending: [{ companyCnpj: '*', reason: 'the ERP orders of this order are being created right now', retryable: true }], refused: [] };
  running.add(orderId);
  try {
    return await createErpOrdersNow(context, orderId, options);
  } finally {
    running.delete(orderId);
  }
}

export interface CreateErpOrdersOptions {
  actor: string;
  signal?: AbortSignal;
  /** Movements the caller has just moved to synced (the sync step's result), which lets a first create skip its lookup. */
  justSynced?: ReadonlySet<string>;
  /**
   * Runs before each ERP create and throws to stop it: the runner checks here that its lease on the order still holds,
   * so a worker that outlived its lease never creates an order another worker now owns.
   */
  beforeCreate?: () => Promise<void>;
}

const inFlight = new WeakMap<object, Set<string>>();

async function createErpOrdersNow(context: PipelineContext, orderId: string, options: CreateErpOrdersOptions): Promise<CreateErpOrdersResult> {
  const { integration, group, companies } = context.resolve(integrationOf(orderId));
  const order = await context.store.getOrder(orderId);
  if (!order) throw new NotFoundError(`order ${orderId} not found`);
  if (order.intakeState === 'cancelled') throw new ConflictError(`order ${order.number} is cancelled`);
  const movements = await context.store.getMovements(orderId);
  const byCompany = new Map<string, Movement[]>();
  for (const movement of movements) {
    if (movement.state === 'cancelled' || movement.state === 'reversed' || movement.state === 'done') continue;
    byCompany.set(movement.companyCnpj, [...(byCompany.get(movement.companyCnpj) ?? []), movement]);
  }
  const result: CreateErpOrdersResult = { created: [], pending: [], refused: [] };

  // All-or-nothing holds per order, not per company: while one company's movements are not validated (its stock check
  // failed, or has not run), no company's ERP order is created, so a failed check never leaves half an order in Mainô.
  if (group.allocation.shortfall === 'all-or-nothing') {
    const waiting = [...byCompany].filter(([, companyMovements]) => companyMovements.some((movement) => movement.state !== 'synced'));
    if (waiting.length > 0) {
      const blockers = waiting.map(([cnpj]) => cnpj).join(', ');
      for (const [cnpj, companyMovements] of byCompany) {
        const notSynced = companyMovements.filter((movement) => movement.state !== 'synced').length;
        const reason = notSynced > 0 ? `${notSynced} movement(s) not synced yet` : `waiting for the other companies of the order (${blockers}): all-or-nothing`;
        result.pending.push({ companyCnpj: cnpj, reason, retryable: true });
      }
      return result;
    }
  }
  const live = movements.filter((movement) => movement.state !== 'cancelled');
  const lead = companies.find((company) => live.some((movement) => movement.companyCnpj === company.cnpj))?.cnpj;

  for (const [cnpj, companyMovements] of byCompany) {
    const notSynced = companyMovements.filter((movement) => movement.state !== 'synced');
    if (notSynced.length > 0) {
      // One ERP order per company holds all of its lines, so it waits until every one of them is validated.
      result.pending.push({ companyCnpj: cnpj, reason: `${notSynced.length} movement(s) not synced yet`, retryable: true });
      continue;
    }
    const reference = referenceFor(order, cnpj, movements);
    const carriesCharges = cnpj === lead && reference === erpReference({ integrationId: order.integrationId, externalId: order.externalId, companyCnpj: cnpj });
    const charges = carriesCharges ? chargesOf(order.totals) : undefined;
    await options.beforeCreate?.();
    try {
      const { order: erpOrder, reused } = await context.erp.createSalesOrder(
        cnpj,
        {
          externalReference: reference,
          tag: integration.name,
          orderNumber: order.number,
          customer: order.customer,
          issuedAt: order.createdAt,
          ...(charges ? { charges } : {}),
          lines: companyMovements.map((movement) => ({
            sku: movement.sku,
            name: order.lines[movement.lineIndex]?.name ?? movement.sku,
            quantityMilli: movement.quantityMilli,
            unitPriceCents: movement.unitPriceCents,
          })),
        },
        { signal: options.signal, firstAttempt: neverSent(movements, cnpj, options.justSynced) },
      );
      const at = context.now();
      const outcomes = await transitionAll(
        context.store,
        companyMovements.map((movement) => ({
          id: movement.id,
          from: ['synced'] as const,
          to: 'done' as const,
          patch: { erpOrderId: erpOrder.id, erpReference: reference, failure: null },
          audit: { at, actor: options.actor, action: 'create-erp-order', detail: `Mainô order ${erpOrder.id}` },
        })),
      );
      const conflicted = outcomes.some((outcome) => outcome.conflict);
      if (conflicted) {
        // Cancelled while the create was in flight: the ERP order must not outlive the cancellation.
        const ids = new Set(companyMovements.filter((_, index) => outcomes[index]!.conflict).map((m) => m.id));
        const current = (await context.store.getMovements(orderId)).filter((m) => ids.has(m.id));
        if (current.some((m) => m.state === 'cancelled')) {
          await context.erp.cancelSalesOrder(cnpj, erpOrder.id, { signal: options.signal });
          // A cancellation releases the movements one by one: those it had not reached yet were marked done above,
          // with the order just cancelled. They are reversed with it, as the cancel step would have, so none of them
          // says "in Mainô" for an order Mainô no longer holds.
          const marked = outcomes.flatMap((outcome) => (outcome.movement ? [outcome.movement] : []));
          await transitionAll(
            context.store,
            marked.map((movement) => ({
              id: movement.id,
              from: ['done'] as const,
              to: 'reversed' as const,
              patch: {},
              audit: { at: context.now(), actor: options.actor, action: 'reverse', detail: `Mainô order ${erpOrder.id} cancelled: the order was cancelled while it was being created` },
            })),
          );
        }
      }
      if (conflicted && !reused) {
        // Another process created this company's order at the same time and marked the movements with it: this one
        // is a duplicate that nothing refers to, and would hold the stock twice.
        const ids = new Set(companyMovements.map((m) => m.id));
        const now = (await context.store.getMovements(orderId)).filter((m) => ids.has(m.id));
        if (!now.some((m) => m.erpOrderId === erpOrder.id) && now.some((m) => m.erpOrderId && m.erpOrderId !== erpOrder.id)) {
          await context.erp.cancelSalesOrder(cnpj, erpOrder.id, { signal: options.signal });
          continue;
        }
      }
      result.created.push({ companyCnpj: cnpj, erpOrderId: erpOrder.id, reference, reused });
      if (reused) {
        // An order found by its reference was stored by an earlier run (a crash between the create and marking it
        // done): until now its stock was counted twice, by Mainô and by our synced movements. The snapshot may have
        // counted it or not, so it is read again, and orders held meanwhile get another chance.
        if (context.stockFreshnessMs > 0) await context.stock.correct(cnpj, companyMovements.map((m) => m.sku), options.signal).catch(() => undefined);
        await context.requeueHeld([cnpj]);
      }
      context.events.emit('erp-order-created', { integrationId: order.integrationId, orderId, companyCnpj: cnpj, erpOrderId: erpOrder.id, reference, reused });
    } catch (error) {
      if (error instanceof InsufficientStockError) {
        await releaseRefused(context, order, companyMovements, error, options);
        result.refused.push({ companyCnpj: cnpj, reason: error.message });
        continue;
      }
      const typed = toConectaError(error, 'ERP order creation failed');
      result.pending.push({ companyCnpj: cnpj, reason: typed.message, retryable: typed.retryable });
      // A failure that may pass on retry leaves the movements synced, so the next run tries again with the same
      // reference; one that will not is recorded on the movements for a person to see.
      if (!typed.retryable) {
        const failure = { code: typed.code, reason: typed.message, retryable: false };
        const at = context.now();
        const outcomes = await transitionAll(
          context.store,
          companyMovements.map((movement) => ({ id: movement.id, from: ['synced'] as const, to: 'failed' as const, patch: { failure }, audit: { at, actor: options.actor, action: 'create-erp-order', detail: typed.message } })),
        );
        for (const { movement } of outcomes) {
          if (movement) context.events.emit('movement-failed', { integrationId: order.integrationId, orderId, movementId: movement.id, code: typed.code, reason: typed.message, retryable: false });
        }
      }
    }
  }
  return result;
}

/**
 * Freight, discount and fees of the order; undefined when all are 0 (nothing to carry). Negative fees (a Pix discount
 * given as a negative fee line) are a discount: "outras despesas" in an NF-e cannot be negative.
 */
function chargesOf(totals: OrderTotals): ErpOrderCharges | undefined {
  const feeDiscountCents = Math.max(0, -totals.feesCents);
  const charges = {
    shippingCents: totals.shippingCents,
    discountCents: totals.discountCents + feeDiscountCents,
    otherExpensesCents: Math.max(0, totals.feesCents),
  };
  return charges.shippingCents || charges.discountCents || charges.otherExpensesCents ? charges : undefined;
}

/**
 * Mainô refused the company's order for lack of stock: someone took it outside the SDK since the snapshot. Nothing
 * was stored, so the movements are released (with the reason in their audit), the SKUs are read again and saved for
 * every worker, and the event says why; the caller plans the lines again on the fresh figures.
 */
async function releaseRefused(
  context: PipelineContext,
  order: { id: string; integrationId: string },
  movements: readonly Movement[],
  error: InsufficientStockError,
  options: CreateErpOrdersOptions,
): Promise<void> {
  const cnpj = movements[0]!.companyCnpj;
  const skus = [...new Set(movements.map((movement) => movement.sku))];
  const at = context.now();
  const detail = `Mainô refused for lack of stock: ${error.message}`;
  await transitionAll(
    context.store,
    movements.map((movement) => ({ id: movement.id, from: ['synced'] as const, to: 'cancelled' as const, patch: {}, audit: { at, actor: options.actor, action: 'stock-refused', detail } })),
  );
  // Left with no movement, the order is held until it is allocated again: by the runner at once in automatic mode,
  // by a person in on-command mode, who is told when the stock is back.
  const left = await context.store.getMovements(order.id);
  if (!left.some((movement) => movement.state !== 'cancelled' && movement.state !== 'reversed')) await context.store.markHeld?.(order.id, at);
  let fresh: Array<{ sku: string; availableMilli: number | null }> = [];
  try {
    const reading = context.stockFreshnessMs > 0 ? await context.stock.correct(cnpj, skus, options.signal) : undefined;
    const levels = reading?.byCompany[cnpj] ?? Object.fromEntries(await context.erp.getStock(cnpj, skus, options.signal ? { signal: options.signal } : {}));
    fresh = skus.map((sku) => ({ sku, availableMilli: levels[sku] ?? null }));
  } catch {
    // The figures could not be read now; the next allocation reads them (the snapshot still says too much, so the
    // create may be refused again, which costs a request and oversells nothing).
  }
  context.events.emit('stock-refused', { integrationId: order.integrationId, orderId: order.id, companyCnpj: cnpj, reason: error.message, fresh });
}

/**
 * The company's first sales order for the order uses the plain reference. A line a person mapped to a SKU after that
 * order was created gets a later one (`…:2`, `…:3`): reusing the first reference would find the existing order and
 * mark the new line done without it being in any Mainô order. Deterministic: it counts the references already done,
 * which a crash between create and mark does not change, so a retry looks up the same reference.
 */
function referenceFor(order: { integrationId: string; externalId: string }, cnpj: string, movements: readonly Movement[]): string {
  const base = erpReference({ integrationId: order.integrationId, externalId: order.externalId, companyCnpj: cnpj });
  const earlier = new Set(
    movements.filter((m) => m.companyCnpj === cnpj && (m.state === 'done' || m.state === 'reversed') && m.erpReference).map((m) => m.erpReference),
  );
  return earlier.size === 0 ? base : `${base}:${earlier.size + 1}`;
}

/**
 * True when no run before this one can have sent the company's order: each of the order's movements for the company
 * was validated exactly once, by the caller just now, or never. A retry, a re-validation or a run after a crash sees
 * an earlier validation and looks the reference up before creating.
 */
function neverSent(movements: readonly Movement[], cnpj: string, justSynced: ReadonlySet<string> | undefined): boolean {
  if (!justSynced) return false;
  return movements
    .filter((movement) => movement.companyCnpj === cnpj)
    .every((movement) => movement.audit.filter((entry) => entry.to === 'synced').length === (justSynced.has(movement.id) ? 1 : 0));
}
