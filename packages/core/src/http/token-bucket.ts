import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimitPolicy } from '../spec/rate-limit.js';
import { RateLimitError } from '../errors/errors.js';

/**
 * Client-side limiter for one credential, as a GCRA (a token bucket kept as one "theoretical arrival time"). Each call
 * reserves its slot synchronously, so concurrent callers are spaced out fairly without a queue.
 */
export interface TokenBucket {
  /** Waits for a slot. Rejects with RateLimitError when the daily quota is spent, and with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<void>;
  /** No request may start before `until` (epoch ms): the server asked everybody on this credential to wait. */
  pauseUntil(until: number): void;
  /** Milliseconds until the next slot (0 when one is free now). */
  waitTime(): number;
}

export function createTokenBucket(policy: RateLimitPolicy, clock: { now: () => number } = { now: Date.now }): TokenBucket {
  const emission = policy.intervalMs / policy.requests;
  const burst = Math.max(1, policy.burst ?? policy.requests);
  const tolerance = emission * (burst - 1);
  let theoreticalArrival = 0;
  let dayStart = 0;
  let usedToday = 0;

  const reserve = (): number => {
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
    const allowAt = Math.max(now, theoreticalArrival - tolerance);
    theoreticalArrival = Math.max(theoreticalArrival, now) + emission;
    return allowAt - now;
  };

  return {
    async take(signal) {
      signal?.throwIfAborted();
      const allowAt = clock.now() + reserve();
      // Timers may fire a millisecond early; some platforms count a call one millisecond early as a violation.
      while (clock.now() < allowAt) await sleep(allowAt - clock.now(), undefined, { signal });
    },
    pauseUntil(until) {
      // After a pause requests resume at the steady rate, not in a burst that would trip the limit again.
      theoreticalArrival = Math.max(theoreticalArrival, until + tolerance);
    },
    waitTime() {
      return Math.max(0, theoreticalArrival - tolerance - clock.now());
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
