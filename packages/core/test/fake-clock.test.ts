import { describe, expect, it } from 'vitest';
import { FAKE_CLOCK_START, createFakeClock } from '../src/testing/index.js';

describe('fake clock', () => {
  it('moves only when told to, and stamps several changes into one second', () => {
    const clock = createFakeClock({ changesPerSecond: 2 });
    expect(clock.now()).toBe(FAKE_CLOCK_START);
    expect([clock.stamp(), clock.stamp(), clock.stamp()]).toEqual([FAKE_CLOCK_START, FAKE_CLOCK_START, FAKE_CLOCK_START + 1000]);
    // A change to something stamped now lands strictly after it.
    expect(clock.stamp(FAKE_CLOCK_START + 1000)).toBe(FAKE_CLOCK_START + 2000);
    expect(clock.advance(30_000)).toBe(FAKE_CLOCK_START + 32_000);
    clock.reset();
    expect(clock.now()).toBe(FAKE_CLOCK_START);
  });
});
