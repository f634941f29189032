/**
 * Mercos' throttling as the fake plays it: a 429 names a wait, and a client that calls again before the wait ends
 * is recorded as a violation and pushed back by a longer wait (Mercos may block such a client for good).
 */
export interface ThrottleViolation {
  at: number;
  url: string;
  /** How early the call came. */
  earlyByMs: number;
}

export interface ThrottleAnswer {
  waitSeconds: number;
  violation: boolean;
}

export class ThrottleGate {
  private blockedUntil = 0;
  private queued: number[] = [];
  private windowStart = 0;
  private windowCount = 0;
  readonly violations: ThrottleViolation[] = [];

  constructor(
    /** Optional steady limit, like the real account's: `requests` per `windowSeconds`. */
    private readonly limit: { requests: number; windowSeconds: number } | undefined,
    private readonly penaltyFactor: number,
  ) {}

  throttleNext(times: number, seconds: number): void {
    for (let i = 0; i < times; i += 1) this.queued.push(seconds);
  }

  /** Decides whether a request arriving at `now` is refused, and for how long. */
  check(now: number, url: string): ThrottleAnswer | undefined {
    if (now < this.blockedUntil) {
      const remaining = this.blockedUntil - now;
      this.violations.push({ at: now, url, earlyByMs: remaining });
      const waitSeconds = Math.ceil((remaining / 1000) * this.penaltyFactor);
      this.blockedUntil = now + waitSeconds * 1000;
      return { waitSeconds, violation: true };
    }
    const queued = this.queued.shift();
    if (queued !== undefined) return this.block(now, queued);
    if (this.limit) {
      if (now - this.windowStart >= this.limit.windowSeconds * 1000) {
        this.windowStart = now;
        this.windowCount = 0;
      }
      this.windowCount += 1;
      if (this.windowCount > this.limit.requests) {
        return this.block(now, Math.max(1, Math.ceil((this.windowStart + this.limit.windowSeconds * 1000 - now) / 1000)));
      }
    }
    return undefined;
  }

  reset(): void {
    this.blockedUntil = 0;
    this.queued = [];
    this.windowStart = 0;
    this.windowCount = 0;
    this.violations.length = 0;
  }

  private block(now: number, seconds: number): ThrottleAnswer {
    this.blockedUntil = now + seconds * 1000;
    return { waitSeconds: seconds, violation: false };
  }
}
