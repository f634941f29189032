import { instantToLocalDateTime, localDateTimeToInstant } from '@conecta/core';
import { createFakeClock, type FakeClock as CoreFakeClock } from '@conecta/core/fakes';

/**
 * The fake store's clock (core's fake clock, with Tray's local time). It moves only when told to, in whole seconds, so several orders can share one `modified`
 * second as they do on a busy Tray store.
 */
export class FakeClock {
  private readonly clock: CoreFakeClock;

  constructor(
    start: number,
    readonly timeZone: string,
  ) {
    this.clock = createFakeClock({ start });
  }

  /** Yesterday 23:59:30 store time: a seeded batch crosses midnight, which exercises the day-granular filter. */
  static defaultStart(timeZone: string): number {
    const today = instantToLocalDateTime(new Date(), timeZone).slice(0, 10);
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return Date.parse(localDateTimeToInstant(`${yesterday} 23:59:30`, timeZone));
  }

  current(): number {
    return this.clock.now();
  }

  advance(seconds: number): number {
    return this.clock.advance(seconds * 1000);
  }

  /** Tray's zone-less "YYYY-MM-DD HH:MM:SS". */
  local(at: number): string {
    return instantToLocalDateTime(new Date(at), this.timeZone);
  }

  reset(): void {
    this.clock.reset();
  }
}
