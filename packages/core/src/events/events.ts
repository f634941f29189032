import { EventEmitter } from 'eventemitter3';

type EmitArgs<K extends keyof ConectaEvents> = EventEmitter.ArgumentMap<ConectaEvents>[Extract<K, keyof ConectaEvents>];

/** Every event the SDK emits, in one declared map so all packages emit into the same set. */
export interface ConectaEvents {
  'order-imported': (event: { integrationId: string; orderId: string; externalId: string; created: boolean; intakeState: string }) => void;
  'order-quarantined': (event: { integrationId: string; externalId?: string; code: string; message: string }) => void;
  /** A person had a quarantined payload's order fetched again, and it was imported (it left quarantine). */
  'quarantine-reprocessed': (event: { integrationId: string; quarantineId: string; orderId: string; actor: string }) => void;
  'status-unmapped': (event: { integrationId: string; orderId: string; platformStatus: string }) => void;
  /** A person mapped a line the platform sent without SKU (or corrected an earlier mapping). */
  'line-mapped': (event: { integrationId: string; orderId: string; lineIndex: number; sku: string; actor: string }) => void;
  'movements-created': (event: { integrationId: string; orderId: string; movementIds: string[]; actor: string }) => void;
  shortfall: (event: { integrationId: string; orderId: string; lines: Array<{ sku: string; missingMilli: number }> }) => void;
  /**
   * The ERP refused a company's order for lack of stock: the snapshot was out of date. The movements are released,
   * the snapshot corrected with `fresh` levels, and the order goes back to allocation.
   */
  'stock-refused': (event: { integrationId: string; orderId: string; companyCnpj: string; reason: string; fresh: Array<{ sku: string; availableMilli: number | null }> }) => void;
  /** Held orders (shortfalls) went back in the queue because the stock they wait for may have changed. */
  'held-requeued': (event: { integrationIds: string[]; count: number }) => void;
  'movement-synced': (event: { integrationId: string; orderId: string; movementId: string }) => void;
  'movement-failed': (event: { integrationId: string; orderId: string; movementId: string; code: string; reason: string; retryable: boolean }) => void;
  'erp-order-created': (event: { integrationId: string; orderId: string; companyCnpj: string; erpOrderId: string; reference: string; reused: boolean }) => void;
  /** One automatic pass over an order ended (the runner's unit of work). */
  'order-processed': (event: { integrationId: string; orderId: string; outcome: string; retry: boolean }) => void;
  'order-cancelled': (event: { integrationId: string; orderId: string; released: number; reversed: number }) => void;
  'stock-pushed': (event: { integrationId: string; pushed: number; unchanged: number; failed: number }) => void;
  'cursor-saved': (event: { integrationId: string; cursor: string }) => void;
  progress: (event: { integrationId?: string; task: 'backfill' | 'stock-push' | 'sync'; done: number; total?: number }) => void;
  'request-retry': (event: { platform: string; attempt: number; code: string; waitMs: number }) => void;
  'webhook-received': (event: { integrationId: string; accepted: boolean; reason?: string }) => void;
  'poll-error': (event: { integrationId: string; code: string; message: string; retryInMs: number }) => void;
  'status-dictionary-updated': (event: { integrationId: string; actor: string; reclassified: number }) => void;
  'listener-error': (event: { eventName: string; error: unknown }) => void;
}

interface StoredListener {
  fn: (...args: unknown[]) => unknown;
  context: unknown;
  once: boolean;
}

export type ConectaEventName = keyof ConectaEvents;
export type ConectaEventPayload<K extends ConectaEventName> = Parameters<ConectaEvents[K]>[0];

/**
 * Typed event bus. `emit` isolates listeners: a listener that throws does not stop the pipeline or the listeners
 * after it; the failure is reported as `listener-error` instead.
 */
export class ConectaEventBus extends EventEmitter<ConectaEvents> {
  override emit<K extends ConectaEventName>(name: K, ...args: EmitArgs<K>): boolean {
    // eventemitter3 keeps one listener as an object and several as an array, each `{ fn, context, once }`.
    const stored = (this as unknown as { _events: Record<string, StoredListener | StoredListener[] | undefined> })._events[name];
    if (!stored) return false;
    const listeners = Array.isArray(stored) ? stored.slice() : [stored];
    for (const listener of listeners) {
      if (listener.once) this.removeListener(name, listener.fn as never, listener.context, true);
      try {
        const result = listener.fn.apply(listener.context, args);
        if (result && typeof (result as Promise<unknown>).catch === 'function') {
          (result as Promise<unknown>).catch((error: unknown) => this.reportListenerError(name, error));
        }
      } catch (error) {
        this.reportListenerError(name, error);
      }
    }
    return true;
  }

  private reportListenerError(eventName: string, error: unknown): void {
    if (eventName === 'listener-error') return;
    super.emit('listener-error', { eventName, error });
  }
}
