import { createFakeClock as createCoreFakeClock, type FakeClock } from '@conecta/core/fakes';

export type { FakeClock };

/** The fake's data clock (core's fake clock): whole seconds, several changes in one, as on a busy store. */
export const FAKE_EPOCH = Date.UTC(2024, 4, 1, 12, 0, 0);

export function createFakeClock(changesPerSecond: number, start = FAKE_EPOCH): FakeClock {
  return createCoreFakeClock({ start, changesPerSecond });
}
