/** A platform's documented request limits, per credential. */
export interface RateLimitPolicy {
  /** Requests allowed per `intervalMs` (the token bucket's size and refill). */
  requests: number;
  intervalMs: number;
  /** Burst above the steady rate the platform tolerates; defaults to `requests`. */
  burst?: number;
  /** Daily quota, where the platform has one (Tray: 10,000/day). */
  perDay?: number;
  /** Where the documented limit comes from, or "assumed" when nothing is documented. */
  source: string;
}
