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
  /**
   * No request may start before `until` (epoch ms): the server throttled a call and asked everybody on this credential
   * to wait. Calls already waiting for a slot are held too, keeping their spacing, and the window margin widens (see
   * `createTokenBucket`).
   */
  pauseUntil(until: number): void;
  /** Milliseconds until the next slot (0 when one is free now). */
  waitTime(): number;
}

/** 3% of the window (at least 20 ms, at most 2 s): absorbs scheduling and network jitter at the cost of ~3% of the rate. */
export function windowMarginMs(policy: RateLimitPolicy): number {
  return Math.min(2_000, Math.max(20, policy.intervalMs * 0.03));
}

/**
 * The widest the margin grows after throttles: a tenth of the window (at least the base margin, at most 2 s). Wider
 * would cost more rate than the throttles it saves: one throttle costs about one window (Retry-After comes in whole
 * seconds), a margin of a tenth costs a tenth of every window.
 */
function maxWindowMarginMs(policy: RateLimitPolicy): number {
  return Math.max(windowMarginMs(policy), Math.min(2_000, policy.intervalMs * 0.1));
}

/** Calls started without a throttle before the margin gives back half of what throttles added to it. */
const RELAX_AFTER_CALLS = 100;

interface Slot {
  /** Planned start, moved to the actual one when the call starts. */
  at: number;
  /** The slot `requests` calls earlier: this one keeps a full window (plus the margin) after it. */
  windowStart: Slot | undefined;
}

/**
 * Throttles of calls the limiter admitted mean the server's clock saw our calls closer together than we sent them:
 * transit time varies (a busy event loop, a descheduled process, the network), and a call delayed on its way makes
 * the window after it look short. Each throttle widens the window margin by its base (at most once per window, up to
 * a tenth of the window); every RELAX_AFTER_CALLS calls without one give back half of the widening. A throttle costs
 * the credential the whole Retry-After (whole seconds: about one window at Mainô's 2 per second), so the margin
 * follows the jitter the server actually shows rather than a fixed guess.
 */
export function createTokenBucket(policy: RateLimitPolicy, clock: { now: () => number } = { now: Date.now }): TokenBucket {
  const emission = policy.intervalMs / policy.requests;
  const burst = Math.max(1, policy.burst ?? policy.requests);
  const tolerance = emission * (burst - 1);
  const baseMargin = windowMarginMs(policy);
  const maxMargin = maxWindowMarginMs(policy);
  let margin = baseMargin;
  let lastWidened = -Infinity;
  let sinceThrottle = 0;
  // The last `requests` slots, started or not. A busy event loop fires several late timers together, and the server
  // counts arrivals, not plans: each slot's start moves to the actual instant.
  const starts: Slot[] = [];
  // Reserved slots whose calls have not started yet: a pause moves them.
  const waiting = new Set<Slot>();
  let theoreticalArrival = 0;
  let pausedUntil = 0;
  let dayStart = 0;
  let usedToday = 0;

  const allowedAt = (slot: Slot): number =>
    Math.max(slot.at, pausedUntil, slot.windowStart ? slot.windowStart.at + policy.intervalMs + margin : 0);

  const reserve = (): Slot => {
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
    const windowStart = starts.length >= policy.requests ? starts[starts.length - policy.requests]! : undefined;
    const slot: Slot = { at: Math.max(now, theoreticalArrival - tolerance, pausedUntil), windowStart };
    slot.at = allowedAt(slot);
    theoreticalArrival = Math.max(theoreticalArrival, slot.at) + emission;
    starts.push(slot);
    if (starts.length > policy.requests) starts.splice(0, starts.length - policy.requests);
    return slot;
  };

  const started = (slot: Slot): void => {
    slot.at = Math.max(slot.at, clock.now());
    sinceThrottle += 1;
    if (sinceThrottle >= RELAX_AFTER_CALLS && margin > baseMargin) {
      margin = baseMargin + (margin - baseMargin) / 2;
      sinceThrottle = 0;
    }
  };

  return {
    async take(signal) {
      signal?.throwIfAborted();
      const slot = reserve();
      // Timers may fire a millisecond early, and a pause or the window's first call starting late may move the slot:
      // check again after every wait. Some platforms count a call one millisecond early as a violation.
      if (clock.now() < allowedAt(slot)) {
        waiting.add(slot);
        try {
          for (let waitMs = allowedAt(slot) - clock.now(); waitMs > 0; waitMs = allowedAt(slot) - clock.now()) {
            await sleep(Math.ceil(waitMs), undefined, { signal });
          }
        } finally {
          waiting.delete(slot);
        }
      }
      started(slot);
    },
    pauseUntil(until) {
      const now = clock.now();
      if (now - lastWidened >= policy.intervalMs) {
        margin = Math.min(maxMargin, margin + baseMargin);
        lastWidened = now;
      }
      sinceThrottle = 0;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      // Waiting calls move together, keeping their spacing: holding each one only until `until` would send them all
      // at that instant, a burst that trips the limit again.
      let earliest = Infinity;
      for (const slot of waiting) earliest = Math.min(earliest, slot.at);
      const shift = until - earliest;
      if (shift > 0) {
        for (const slot of waiting) slot.at += shift;
        theoreticalArrival += shift;
      }
      // Then new calls resume at the steady rate, not in a burst.
      theoreticalArrival = Math.max(theoreticalArrival, until + tolerance);
    },
    waitTime() {
      const now = clock.now();
      const windowStart = starts.length >= policy.requests ? starts[starts.length - policy.requests] : undefined;
      return allowedAt({ at: Math.max(now, theoreticalArrival - tolerance), windowStart }) - now;
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
