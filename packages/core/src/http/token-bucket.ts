import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimitPolicy } from '../spec/rate-limit.js';
import { RateLimitError } from '../errors/errors.js';

/**
 * Client-side limiter for one credential. Two rules, each reserved synchronously so concurrent callers are spaced
 * fairly without a queue:
 * - a GCRA (a token bucket kept as one "theoretical arrival time") spreads calls at the steady rate with `burst`;
 * - a sliding log of the last `requests` start times guarantees no window of `intervalMs` ever holds more than
 *   `requests` calls, with a small margin, since the server's clock sees our calls a little jittered. A token bucket
 *   alone admits `burst + requests - 1` in one window, which platforms that count per window punish.
 */
export interface TokenBucket {
  /** Waits for a slot. Rejects with RateLimitError when the daily quota is spent, and with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<void>;
  /** No request may start before `until` (epoch ms): the server asked everybody on this credential to wait. */
  pauseUntil(until: number): void;
  /** Milliseconds until the next slot (0 when one is free now). */
  waitTime(): number;
}

/** 3% of the window (at least 20 ms, at most 2 s): absorbs scheduling and network jitter at the cost of ~3% of the rate. */
export function windowMarginMs(policy: RateLimitPolicy): number {
  return Math.min(2_000, Math.max(20, policy.intervalMs * 0.03));
}

export function createTokenBucket(policy: RateLimitPolicy, clock: { now: () => number } = { now: Date.now }): TokenBucket {
  const emission = policy.intervalMs / policy.requests;
  const burst = Math.max(1, policy.burst ?? policy.requests);
  const tolerance = emission * (burst - 1);
  const margin = windowMarginMs(policy);
  // Each slot's start: the planned instant, moved to the actual one when its timer fires late (a busy event loop fires
  // several late timers together, and the server counts arrivals, not plans).
  const starts: Array<{ at: number }> = [];
  let theoreticalArrival = 0;
  let dayStart = 0;
  let usedToday = 0;

  const reserve = (): { slot: { at: number }; windowStart: { at: number } | undefined } => {
    const now = clock.now();
    if (policy.perDay !== undefined) {
      if (now - dayStart >= 86_400_000) {
        dayStart = now;
        usedToday = 0;
      }
      if (usedToday >= policy.perDay) {
        const retryAfterMs = dayStart + 86_400_000 - now;
        throw new RateLimitError(`daily quota of ${policy.perDay} requests spent; resets in ${Math.ceil(retryAfterMs / 60_000)} min`, { retryAfterMs });
      }
      usedToday += 1;
    }
    let allowAt = Math.max(now, theoreticalArrival - tolerance);
    const windowStart = starts.length >= policy.requests ? starts[starts.length - policy.requests]! : undefined;
    if (windowStart) allowAt = Math.max(allowAt, windowStart.at + policy.intervalMs + margin);
    theoreticalArrival = Math.max(theoreticalArrival, allowAt) + emission;
    const slot = { at: allowAt };
    starts.push(slot);
    if (starts.length > policy.requests) starts.splice(0, starts.length - policy.requests);
    return { slot, windowStart };
  };

  return {
    async take(signal) {
      signal?.throwIfAborted();
      const { slot, windowStart } = reserve();
      // Timers may fire a millisecond early; some platforms count a call one millisecond early as a violation.
      for (;;) {
        // The window's first call may have started later than planned: this one keeps a full window after it.
        const allowAt = Math.max(slot.at, windowStart ? windowStart.at + policy.intervalMs + margin : 0);
        // Read the clock once: read twice, the wait could come out negative, which Node warns about.
        const waitMs = allowAt - clock.now();
        if (waitMs <= 0) break;
        await sleep(waitMs, undefined, { signal });
      }
      slot.at = Math.max(slot.at, clock.now());
    },
    pauseUntil(until) {
      // After a pause requests resume at the steady rate, not in a burst that would trip the limit again.
      theoreticalArrival = Math.max(theoreticalArrival, until + tolerance);
    },
    waitTime() {
      const now = clock.now();
      let allowAt = Math.max(now, theoreticalArrival - tolerance);
      if (starts.length >= policy.requests) allowAt = Math.max(allowAt, starts[starts.length - policy.requests]!.at + policy.intervalMs + margin);
      return allowAt - now;
    },
  };
}

const shared = new Map<string, TokenBucket>();

/**
 * One bucket per credential key and policy, shared by every client built for that credential in this process. Two
 * clients of one credential with different policies get different buckets rather than one silently ignoring its own.
 */
export function sharedTokenBucket(key: string, policy: RateLimitPolicy): TokenBucket {
  const fullKey = `${key}\u0000${policy.requests}/${policy.intervalMs}/${policy.burst ?? ''}/${policy.perDay ?? ''}`;
  let bucket = shared.get(fullKey);
  if (!bucket) {
    bucket = createTokenBucket(policy);
    shared.set(fullKey, bucket);
  }
  return bucket;
}
