import { ConflictError, NotFoundError, toConectaError } from '../errors/errors.js';
import { formatQuantity } from '../money/quantity.js';
import type { Movement, MovementFailure } from '../models/movement.js';
import type { Order } from '../models/order.js';
import type { StockView } from './stock-snapshot.js';
import { transitionAll } from '../store/transition-all.js';
import type { PipelineContext } from './context.js';

export interface SyncResult {
  synced: Movement[];
  failed: Movement[];
}

const SYNCABLE = ['created', 'failed'] as const;

/**
 * Validates the order's created (and failed) movements against the ERP: the product exists in that company and the
 * quantity is there, net of what other orders' open movements hold. Each becomes synced, or failed with its reason.
 */
export async function syncOrder(
  context: PipelineContext,
  orderId: string,
  options: { actor: string; signal?: AbortSignal; order?: Order; stock?: StockView },
): Promise<SyncResult> {
  const order = options.order ?? (await context.store.getOrder(orderId));
  if (!order) throw new NotFoundError(`order ${orderId} not found`);
  if (order.intakeState === 'cancelled') throw new ConflictError(`order ${order.number} is cancelled`);
  const all = await context.store.getMovements(orderId);
  const movements = all.filter((movement) => (SYNCABLE as readonly string[]).includes(movement.state));
  const result: SyncResult = { synced: [], failed: [] };
  if (movements.length === 0) return result;

  const cnpjs = [...new Set(movements.map((movement) => movement.companyCnpj))];
  const reserved = await context.store.reservedStock(cnpjs);
  const own = new Map<string, number>();
  for (const movement of all) {
    if (movement.state === 'created' || movement.state === 'synced' || movement.state === 'failed') {
      const key = `${movement.companyCnpj}\u0000${movement.sku}`;
      own.set(key, (own.get(key) ?? 0) + movement.quantityMilli);
    }
  }
  // What this order needs per company and SKU, checked as one amount so two lines of one SKU cannot both pass alone.
  const needed = new Map<string, number>();
  for (const movement of movements) {
    const key = `${movement.companyCnpj}\u0000${movement.sku}`;
    needed.set(key, (needed.get(key) ?? 0) + movement.quantityMilli);
  }
  // Movements of the order already validated but not yet in a Mainô order (a line mapped later joins them in the
  // company's order) need the same stock: Mainô does not hold it for them yet, so they count in the amount too.
  for (const movement of all) {
    const key = `${movement.companyCnpj}\u0000${movement.sku}`;
    if (movement.state === 'synced' && needed.has(key)) needed.set(key, needed.get(key)! + movement.quantityMilli);
  }

  // A snapshot that cannot be refreshed now leaves each SKU to its own lookup, whose failure is recorded on it.
  const fresh = await stockForCheck(context, options.stock, [...needed.keys()], options.signal).catch(() => undefined);
  const verdicts = new Map<string, MovementFailure | null>();
  await Promise.all(
    [...needed].map(async ([key, quantity]) => {
      const [cnpj = '', sku = ''] = key.split('\u0000');
      let failure: MovementFailure | null = null;
      try {
        // Stock read moments ago for the allocation is what Mainô would answer now; older stock is read again.
        const known = fresh?.read[cnpj]?.has(sku) ? fresh.byCompany[cnpj] : undefined;
        const product = known ? (sku in known ? { availableMilli: known[sku]! } : null) : await context.erp.findProduct(cnpj, sku, { signal: options.signal });
        if (!product) {
          failure = { code: 'NOT_FOUND', reason: `product ${sku} does not exist in company ${cnpj}`, retryable: false };
        } else {
          const heldByOthers = (reserved.get(cnpj)?.get(sku) ?? 0) - (own.get(key) ?? 0);
          const free = product.availableMilli - heldByOthers;
          if (free < quantity) {
            failure = {
              code: 'SHORTFALL',
              reason: `company ${cnpj} has ${formatQuantity(Math.max(0, free))} of ${sku} free, the order needs ${formatQuantity(quantity)}`,
              retryable: true,
            };
          }
        }
      } catch (error) {
        const typed = toConectaError(error, 'ERP check failed');
        failure = { code: typed.code, reason: typed.message, retryable: typed.retryable };
      }
      verdicts.set(key, failure);
    }),
  );

  // One store transaction for the whole order's verdicts.
  const at = context.now();
  const outcomes = await transitionAll(
    context.store,
    movements.map((movement) => {
      const failure = verdicts.get(`${movement.companyCnpj}\u0000${movement.sku}`) ?? null;
      if (failure) return { id: movement.id, from: [movement.state], to: 'failed' as const, patch: { failure }, audit: { at, actor: options.actor, action: 'sync', detail: failure.reason } };
      const checked = fresh?.read[movement.companyCnpj]?.has(movement.sku) ? `checked against Mainô stock read at ${fresh.takenAt} (${ageSeconds(context, fresh.takenAt)} s old)` : 'checked against Mainô';
      return { id: movement.id, from: [movement.state], to: 'synced' as const, patch: { failure: null }, audit: { at, actor: options.actor, action: 'sync', detail: checked } };
    }),
  );
  for (const outcome of outcomes) {
    // A conflict: another worker moved it first, and its outcome stands.
    const moved = outcome.movement;
    if (!moved) continue;
    if (moved.state === 'failed') {
      result.failed.push(moved);
      const failure = moved.failure!;
      context.events.emit('movement-failed', { integrationId: order.integrationId, orderId, movementId: moved.id, code: failure.code, reason: failure.reason, retryable: failure.retryable });
    } else {
      result.synced.push(moved);
      context.events.emit('movement-synced', { integrationId: order.integrationId, orderId, movementId: moved.id });
    }
  }
  return result;
}

/**
 * The stock to check against without asking Mainô, or undefined to ask it per SKU. With snapshots
 * (`stockFreshnessMs` > 0): the allocation's reading when it is within the bound and covers every SKU, else the
 * snapshots (which read Mainô only for what is older than the bound). Without: the allocation's reading when it is
 * at most `stockReuseMs` old.
 */
async function stockForCheck(context: PipelineContext, stock: StockView | undefined, keys: readonly string[], signal: AbortSignal | undefined): Promise<StockView | undefined> {
  const age = (view: StockView) => Date.parse(context.now()) - Date.parse(view.takenAt);
  if (context.stockFreshnessMs <= 0) return stock && context.stockReuseMs > 0 && age(stock) <= context.stockReuseMs ? stock : undefined;
  const pairs = keys.map((key) => key.split('\u0000') as [string, string]);
  if (stock && age(stock) <= context.stockFreshnessMs && pairs.every(([cnpj, sku]) => stock.read[cnpj]?.has(sku))) return stock;
  return context.stock.read([...new Set(pairs.map(([cnpj]) => cnpj))], [...new Set(pairs.map(([, sku]) => sku))], signal);
}

function ageSeconds(context: PipelineContext, takenAt: string): string {
  return (Math.max(0, Date.parse(context.now()) - Date.parse(takenAt)) / 1000).toFixed(1);
}
