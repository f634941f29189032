import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { ConectaError, UpstreamError, type ErpSalesOrder } from '@conecta/core';

export interface CreateOnceSteps {
  /** The order already stored under the reference, or null. */
  lookup: () => Promise<ErpSalesOrder | null>;
  create: () => Promise<ErpSalesOrder>;
  maxAttempts: number;
  /**
   * The wait before looking up after an ambiguous failure, so a slow store has time to show the order: it starts at
   * `baseMs`, doubles each time with jitter (x1 to x2), and never passes `capMs`.
   */
  pause: { baseMs: number; capMs: number };
  reference: string;
  /** No earlier call can have stored this reference: the first lookup is skipped. */
  firstAttempt?: boolean;
  signal?: AbortSignal;
}

/**
 * Mainô has no known idempotency key on orders, so at-most-once rests on the external reference: look it up first,
 * and after any failure that may have stored the order, look it up again before creating again. A first attempt the
 * caller vouches for saves the first lookup, which is a third of a busy pipeline's Mainô calls. p-retry runs the
 * attempts (each one after the first is a lookup, then a create); only a failure that may have stored the order is
 * retried, and the last one is looked up once more before giving up.
 */
export async function createOnce(steps: CreateOnceSteps): Promise<{ order: ErpSalesOrder; reused: boolean }> {
  const existing = steps.firstAttempt ? null : await steps.lookup();
  if (existing) return { order: existing, reused: true };
  const signal = steps.signal ? { signal: steps.signal } : {};
  let last: unknown;
  let lastDelayMs = steps.pause.baseMs;
  try {
    return await pRetry(
      async (attemptNumber) => {
        if (attemptNumber > 1) {
          const stored = await steps.lookup().catch((error: unknown) => {
            throw new AbortError(error instanceof Error ? error : new Error(String(error)));
          });
          // Stored by one of this call's own attempts: it is this call's creation, not a reuse.
          if (stored) return { order: stored, reused: false };
        }
        try {
          return { order: await steps.create(), reused: false };
        } catch (error) {
          if (!mayHaveStored(error)) throw new AbortError(error instanceof Error ? error : new Error(String(error)));
          last = error;
          throw error;
        }
      },
      {
        retries: Math.max(0, steps.maxAttempts - 1),
        minTimeout: steps.pause.baseMs,
        maxTimeout: steps.pause.capMs,
        factor: 2,
        randomize: true,
        ...signal,
        onFailedAttempt: ({ retryDelay }) => {
          if (retryDelay > 0) lastDelayMs = retryDelay;
        },
      },
    );
  } catch (error) {
    if (error !== last) throw error;
  }
  // The last attempt failed ambiguously too: one more look before telling the caller it is unconfirmed.
  await sleep(Math.min(steps.pause.capMs, lastDelayMs * 2), undefined, signal);
  const stored = await steps.lookup();
  if (stored) return { order: stored, reused: false };
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
