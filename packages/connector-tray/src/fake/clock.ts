import { instantToLocalDateTime, localDateTimeToInstant } from '@conecta/core';

/**
 * The fake store's clock. It moves only when told to, in whole seconds, so several orders can share one `modified`
 * second as they do on a busy Tray store.
 */
export class FakeClock {
  private now: number;

  constructor(
    private readonly start: number,
    readonly timeZone: string,
  ) {
    this.now = start;
  }

  /** Yesterday 23:59:30 store time: a seeded batch crosses midnight, which exercises the day-granular filter. */
  static defaultStart(timeZone: string): number {
    const today = instantToLocalDateTime(new Date(), timeZone).slice(0, 10);
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return Date.parse(localDateTimeToInstant(`${yesterday} 23:59:30`, timeZone));
  }

  current(): number {
    return this.now;
  }

  advance(seconds: number): number {
    this.now += seconds * 1000;
    return this.now;
  }

  /** Tray's zone-less "YYYY-MM-DD HH:MM:SS". */
  local(at: number): string {
    return instantToLocalDateTime(new Date(at), this.timeZone);
  }

  reset(): void {
    this.now = this.start;
  }
}
