import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { toConectaError } from '../errors/errors.js';
import { backoffDelay } from '../http/retry-after.js';
import type { Pipeline } from './pipeline.js';
import { keepLease } from './lease-keeper.js';
import { processOrder } from './process-order.js';

export interface RunnerOptions {
  /** Integrations to poll; default all configured. Webhook-only integrations can be left out. */
  integrationIds?: string[];
  pollIntervalMs?: number;
  /** Orders processed at once by this worker. */
  concurrency?: number;
  /** Distinguishes this worker's leases from other processes'. */
  workerId?: string;
  leaseMs?: number;
  /**
   * How long the runner keeps renewing the lease of an order still being processed (default 3 x `leaseMs`). Past it
   * the pass is taken for stuck and the order goes to the next worker when the lease runs out; a worker that wakes up
   * later checks its lease before any Mainô create and stops if another worker took the order.
   */
  maxLeaseHoldMs?: number;
  /** How often the work loop looks for claimable orders when idle. */
  workIntervalMs?: number;
  maxBackoffMs?: number;
  /**
   * How often held orders (shortfalls) of automatic integrations go back in the queue to be allocated again, in case
   * stock came in that no event announced (a purchase entered in Mainô). Default 60,000; 0 turns it off.
   */
  heldRetryMs?: number;
}

export interface Runner {
  start(): void;
  /**
   * Stops polling (a page being fetched is dropped: its cursor was not saved, so it is read again next time) and
   * claiming; orders being processed finish their steps. Resolves when everything is idle.
   */
  stop(): Promise<void>;
  /**
   * One poll of every integration plus work until none is left: for scripts and tests. Polls that fail are reported
   * after the work is done (the error itself, or an AggregateError of several).
   */
  drain(): Promise<void>;
}

/** Pages stored by polls still running: the work loop waits for the next one instead of stopping when the queue is empty. */
interface WorkFeed {
  /** True while a poll may still store orders. */
  more(): boolean;
  /** Resolves when the next page is stored or the polls end. */
  next(): Promise<void>;
}

function pageFeed(events: Pipeline['events'], integrationIds: ReadonlySet<string>): WorkFeed & { end: () => void } {
  let open = true;
  let wake: (() => void) | undefined;
  let waiting: Promise<void> | undefined;
  // A page stored while nobody waited (between a claim's read and the wait): the next wait returns at once.
  let missed = false;
  const signal = () => {
    if (!wake) missed = true;
    wake?.();
    wake = undefined;
    waiting = undefined;
  };
  const onPage = ({ integrationId }: { integrationId: string }) => {
    if (integrationIds.has(integrationId)) signal();
  };
  events.on('cursor-saved', onPage);
  return {
    more: () => open,
    next() {
      if (missed || !open) {
        missed = false;
        return Promise.resolve();
      }
      return (waiting ??= new Promise<void>((resolve) => (wake = resolve)));
    },
    end() {
      if (!open) return;
      open = false;
      events.off('cursor-saved', onPage);
      signal();
    },
  };
}

/**
 * Runs the pipeline: a poll loop per integration with backoff on errors, and a work loop that leases orders with
 * pending work from the store (so several workers share it) and processes them with bounded concurrency.
 */
export function createRunner(pipeline: Pipeline, options: RunnerOptions = {}): Runner {
  const context = pipeline.context;
  const integrationIds = options.integrationIds ?? context.integrationIds();
  const pollIntervalMs = options.pollIntervalMs ?? 60_000;
  const concurrency = options.concurrency ?? 4;
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 120_000;
  const maxLeaseHoldMs = options.maxLeaseHoldMs ?? 3 * leaseMs;
  const workIntervalMs = options.workIntervalMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 300_000;
  const heldRetryMs = options.heldRetryMs ?? 60_000;
  // Claims rotate between company groups, so one group's backlog does not hold back another's work.
  const tenants = Object.fromEntries(context.integrationIds().map((id) => [id, context.resolve(id).group.id]));
  let controller: AbortController | undefined;
  const loops: Promise<void>[] = [];

  async function pollLoop(integrationId: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let waitMs = pollIntervalMs;
      try {
        await pipeline.poll(integrationId, { signal });
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        const typed = toConectaError(error, 'poll failed');
        const hinted = (typed as { retryAfterMs?: number }).retryAfterMs;
        waitMs = Math.max(hinted ?? 0, Math.min(maxBackoffMs, pollIntervalMs / 4 + backoffDelay(failures, 1_000, maxBackoffMs)));
        context.events.emit('poll-error', { integrationId, code: typed.code, message: typed.message, retryInMs: waitMs });
      }
      await sleep(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /**
   * Claims and processes orders until none is claimable (or `stopping` is aborted); returns how many it processed.
   * Orders already claimed are processed to the end even when stopping: a half-done step would only be redone later.
   * Free slots are refilled as orders finish, a few at a time: waiting for a whole batch would leave most slots idle
   * behind its slowest order, and claiming one by one would spend a store transaction per order.
   */
  async function workOnce(stopping?: AbortSignal, feed?: WorkFeed): Promise<number> {
    let processed = 0;
    const running = new Set<Promise<void>>();
    const refillAt = Math.max(1, Math.floor(concurrency / 4));
    const handle = async ({ order, lease }: Awaited<ReturnType<typeof context.store.claimOrders>>[number]) => {
      let retry = false;
      const keeper = keepLease(context.store, order.id, lease, leaseMs, context.now, maxLeaseHoldMs);
      try {
        // The claim carries the order as stored now; reading it again would only repeat the work.
        ({ retry } = await processOrder(context, order, { beforeErpCreate: keeper.check }));
      } catch (error) {
        const typed = toConectaError(error, 'processing failed');
        retry = typed.retryable;
        context.events.emit('poll-error', { integrationId: order.integrationId, code: typed.code, message: `order ${order.number}: ${typed.message}`, retryInMs: leaseMs });
      } finally {
        keeper.stop();
      }
      processed += 1;
      // Work that may succeed later keeps its lease: the order is claimed again when the lease expires, which
      // is the retry's backoff. Everything else is released as finished.
      // The store keeps the work pending when the order changed after the claim (e.g. a cancellation came in).
      if (!retry) await context.store.releaseOrder(order.id, lease, false);
    };
    // A task that fails (the store is down) stops the claiming and fails the call once the others are done.
    let failure: { error: unknown } | undefined;
    try {
      while (!stopping?.aborted && !failure) {
        const free = concurrency - running.size;
        if (free < refillAt && running.size > 0) {
          await Promise.race(running);
          continue;
        }
        const claims = await context.store.claimOrders({ integrationIds, tenants, limit: free, owner: workerId, leaseMs, now: context.now() });
        for (const claim of claims) {
          const task: Promise<void> = handle(claim)
            .catch((error: unknown) => {
              failure ??= { error };
            })
            .finally(() => running.delete(task));
          running.add(task);
        }
        if (running.size === 0 && !feed?.more()) break;
        // Fewer than asked for: nothing more to claim until a running order finishes (and maybe frees new work), or a
        // poll still running stores another page.
        if (claims.length < free) await Promise.race([...running, ...(feed?.more() ? [feed.next()] : [])]);
      }
    } finally {
      await Promise.all(running);
    }
    if (failure) throw failure.error;
    return processed;
  }

  async function workLoop(signal: AbortSignal): Promise<void> {
    let heldRetriedAt = Date.now();
    while (!signal.aborted) {
      try {
        if (heldRetryMs > 0 && Date.now() - heldRetriedAt >= heldRetryMs) {
          heldRetriedAt = Date.now();
          await context.requeueHeld();
        }
        await workOnce(signal);
      } catch (error) {
        const typed = toConectaError(error, 'work loop failed');
        context.events.emit('poll-error', { integrationId: '*', code: typed.code, message: typed.message, retryInMs: workIntervalMs });
      }
      await sleep(workIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  return {
    start() {
      if (controller) return;
      controller = new AbortController();
      const { signal } = controller;
      for (const integrationId of integrationIds) {
        const { connector } = context.resolve(integrationId);
        if (connector.capabilities.incrementalPolling) loops.push(pollLoop(integrationId, signal));
      }
      loops.push(workLoop(signal));
    },
    async stop() {
      controller?.abort();
      await Promise.allSettled(loops.splice(0));
      controller = undefined;
    },
    async drain() {
      // One integration failing to poll must not keep the others, or the work queue, from running. Work starts with
      // the first page stored rather than after the whole backlog is read: behind a small ERP rate limit the work takes
      // minutes, and the seconds spent reading would otherwise come first with the ERP's budget unused.
      const failures: unknown[] = [];
      const feed = pageFeed(context.events, new Set(integrationIds));
      const polls = (async () => {
        for (const integrationId of integrationIds) {
          if (!context.resolve(integrationId).connector.capabilities.incrementalPolling) continue;
          try {
            await pipeline.poll(integrationId);
          } catch (error) {
            const typed = toConectaError(error, 'poll failed');
            failures.push(typed);
            context.events.emit('poll-error', { integrationId, code: typed.code, message: typed.message, retryInMs: 0 });
          }
        }
      })().finally(feed.end);
      try {
        await workOnce(undefined, feed);
      } finally {
        await polls;
        feed.end();
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, `${failures.length} integrations failed to poll`);
    },
  };
}
