import { ConflictError } from '../errors/errors.js';
import type { Store } from '../store/store-port.js';

/** A worker's hold on one claimed order while it processes it. */
export interface LeaseKeeper {
  /** Renews the lease now; throws a ConflictError when another worker owns the order (the lease was lost). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Keeps a claimed order's lease alive while a worker processes it (renewed every third of the lease), so a slow pass
 * (a Mainô create waiting out its deadline, a loaded machine) does not let another worker claim the order and create
 * it a second time. `check()` before an ERP create fences the other case: a worker paused past its lease, whose order
 * another worker has since claimed, stops instead of creating. Stores without `renewLease` keep today's behaviour.
 *
 * The timer renews for at most `maxHoldMs` after the claim: a pass is bounded by its HTTP deadlines, so one still
 * running after that is taken for stuck (a call that never returns, a frozen process) and its order is left to the
 * next worker once the lease runs out, as before renewals existed. `check()` still renews a lease nobody took.
 */
export function keepLease(store: Store, orderId: string, lease: string, leaseMs: number, now: () => string, maxHoldMs = 3 * leaseMs): LeaseKeeper {
  const renew = store.renewLease?.bind(store);
  if (!renew) return { check: async () => undefined, stop: () => undefined };
  let lost = false;
  const claimedAt = Date.parse(now());
  const until = () => new Date(Date.parse(now()) + leaseMs).toISOString();
  const timer = setInterval(() => {
    if (Date.parse(now()) - claimedAt >= maxHoldMs) {
      clearInterval(timer);
      return;
    }
    renew(orderId, lease, until()).then(
      (held) => {
        if (!held) lost = true;
      },
      // A store that fails here fails `check()` too, which is where it matters.
      () => undefined,
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref?.();
  return {
    async check() {
      if (!lost && (await renew(orderId, lease, until()))) return;
      lost = true;
      throw new ConflictError(`order ${orderId}: its lease expired and another worker claimed it; that worker goes on with it`);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
