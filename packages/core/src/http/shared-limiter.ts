import type { RateLimitPolicy } from '../spec/rate-limit.js';
import { sha256Hex } from './crypto.js';
import { windowMarginMs } from './token-bucket.js';

/**
 * Rate limits shared by several processes: the workers of one deployment that all call a platform with the same
 * credential. Each process's own limiter (./token-bucket.ts) knows only its own calls, so N workers would spend N
 * times the platform's budget. A shared limiter keeps one schedule per credential where every worker reaches it (the
 * stores provide one on their database) and hands out start times spaced evenly across all of them.
 */
export interface SharedRateLimiter {
  /**
   * Reserves the next start on `key`, starts being `spacingMs` apart across every process, and answers how many
   * milliseconds to wait before starting (0 when the slot is now). A pause set with `pause` holds starts too.
   */
  reserve(key: string, spacingMs: number): Promise<number>;
  /** No process starts on `key` within the next `waitMs` (the platform answered 429 with that wait). */
  pause(key: string, waitMs: number): Promise<void>;
}

let installed: SharedRateLimiter | undefined;

/**
 * Makes every HTTP client of this process that names its credential (`rateLimitKey`: all the connectors and the
 * Mainô client do) take its start times from `limiter` too, on top of its own limit. Pass undefined to stop.
 */
export function shareRateLimits(limiter: SharedRateLimiter | undefined): void {
  installed = limiter;
}

export function sharedRateLimiter(): SharedRateLimiter | undefined {
  return installed;
}

/** The key a shared limiter stores: a hash, since credential keys hold tokens and the schedule sits in a database. */
export function sharedLimiterKey(platform: string, rateLimitKey: string): string {
  return sha256Hex(`${platform}\u0000${rateLimitKey}`).slice(0, 40);
}

/**
 * Even spacing that never lets a window of `intervalMs` hold more than `requests` starts, with the local limiter's
 * margin for clock jitter. No burst: processes cannot share one without a window log per credential.
 */
export function sharedSpacingMs(policy: RateLimitPolicy): number {
  return (policy.intervalMs + windowMarginMs(policy)) / policy.requests;
}
