/**
 * A clock for tests and platform fakes that moves only when told to. Platforms stamp changes in whole seconds and a
 * busy store puts several changes in one second: `stamp` hands out such instants (`changesPerSecond` per second),
 * which is exactly the case where a cursor made of a bare timestamp loses or repeats orders.
 */
export interface FakeClock {
  /** The current instant, epoch ms. Pass `clock.now` wherever an SDK option takes `now: () => number`. */
  now(): number;
  /** Moves the clock forward and returns the new instant. */
  advance(ms: number): number;
  /** The instant (whole seconds) for the next change; strictly after `after` when given. */
  stamp(after?: number): number;
  /** Back to the start. */
  reset(): void;
}

export interface FakeClockOptions {
  /** Epoch ms to start at. Default 2024-05-01T12:00:00Z. */
  start?: number;
  /** Changes `stamp` puts in one second before moving to the next. Default 1. */
  changesPerSecond?: number;
}

export const FAKE_CLOCK_START = Date.UTC(2024, 4, 1, 12, 0, 0);

export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const start = options.start ?? FAKE_CLOCK_START;
  const perSecond = Math.max(1, options.changesPerSecond ?? 1);
  let now = start;
  let usedInSecond = 0;
  let stamped = false;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
      usedInSecond = 0;
      return now;
    },
    stamp(after) {
      if ((stamped && usedInSecond >= perSecond) || (after !== undefined && now <= after)) {
        now = Math.floor(Math.max(now, after ?? now) / 1000) * 1000 + 1000;
        usedInSecond = 0;
      }
      stamped = true;
      usedInSecond += 1;
      return now;
    },
    reset() {
      now = start;
      usedInSecond = 0;
      stamped = false;
    },
  };
}
