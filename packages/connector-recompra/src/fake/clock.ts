/**
 * The fake's data clock. Timestamps have one-second resolution and several changes land in the same second, as on
 * a busy store: exactly the case where a cursor made of a bare timestamp loses or repeats orders.
 */
export interface FakeClock {
  /** The instant (epoch ms, whole seconds) for the next change; strictly after `after` when given. */
  stamp(after?: number): number;
  reset(): void;
}

export const FAKE_EPOCH = Date.UTC(2024, 4, 1, 12, 0, 0);

export function createFakeClock(changesPerSecond: number, start = FAKE_EPOCH): FakeClock {
  let now = start;
  let usedInSecond = 0;
  return {
    stamp(after) {
      if (usedInSecond >= changesPerSecond || (after !== undefined && now <= after)) {
        now = Math.max(now, after ?? now) + 1000;
        usedInSecond = 0;
      }
      usedInSecond += 1;
      return now;
    },
    reset() {
      now = start;
      usedInSecond = 0;
    },
  };
}
