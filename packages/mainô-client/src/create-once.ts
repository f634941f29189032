import { setTimeout as sleep } from 'node:timers/promises';
import { ConectaError, UpstreamError, type ErpSalesOrder } from '@conecta/core';

export interface CreateOnceSteps {
  /** The order already stored under the reference, or null. */
  lookup: () => Promise<ErpSalesOrder | null>;
  create: () => Promise<ErpSalesOrder>;
  maxAttempts: number;
  /** Wait before looking up after an ambiguous failure, so a slow store has time to show the order. */
  pauseMs: (attempt: number) => number;
  reference: string;
  /** No earlier call can have stored this reference: the first lookup is skipped. */
  firstAttempt?: boolean;
  signal?: AbortSignal;
}

/**
 * Mainô has no known idempotency key on orders, so at-most-once rests on the external reference: look it up first,
 * and after any failure that may have stored the order, look it up again before creating again. A first attempt the
 * caller vouches for saves the first lookup, which is a third of a busy pipeline's Mainô calls.
 */
export async function createOnce(steps: CreateOnceSteps): Promise<{ order: ErpSalesOrder; reused: boolean }> {
  const existing = steps.firstAttempt ? null : await steps.lookup();
  if (existing) return { order: existing, reused: true };
  let last: unknown;
  for (let attempt = 1; attempt <= steps.maxAttempts; attempt += 1) {
    try {
      return { order: await steps.create(), reused: false };
    } catch (error) {
      if (!mayHaveStored(error)) throw error;
      last = error;
    }
    await sleep(steps.pauseMs(attempt), undefined, steps.signal ? { signal: steps.signal } : undefined);
    const stored = await steps.lookup();
    // Stored by one of this call's own attempts: it is this call's creation, not a reuse.
    if (stored) return { order: stored, reused: false };
  }
  throw new UpstreamError(
    `maino: sales order ${steps.reference} could not be confirmed after ${steps.maxAttempts} attempts; a later call looks it up before creating`,
    { cause: last, retryable: true },
  );
}

/** A timeout, a dropped connection or a 5xx says nothing about whether the server stored the order. */
export function mayHaveStored(error: unknown): boolean {
  if (!ConectaError.isConectaError(error)) return false;
  if (error.code === 'TIMEOUT' || error.code === 'NETWORK') return true;
  if (error.code !== 'UPSTREAM') return false;
  const status = (error as UpstreamError).status;
  return status !== undefined && (status === 408 || status >= 500 || (status >= 200 && status < 300));
}
