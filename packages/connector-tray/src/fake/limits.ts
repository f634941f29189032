import type { FakeClock } from './clock.js';
import { trayError, tooManyRequests } from './responses.js';

/**
 * What stands before any route: injected 429s and 5xx, then Tray's two limits, a rolling minute and a store-local
 * day. Every request that passes counts against both.
 */
export class FakeLimits {
  private throttles: number[] = [];
  private failures: number[] = [];
  private minute: number[] = [];
  private day = { key: '', used: 0 };

  constructor(
    private readonly clock: FakeClock,
    private readonly perMinute: number,
    private readonly perDay: number,
  ) {}

  throttleNext(times: number, seconds: number): void {
    for (let index = 0; index < times; index += 1) this.throttles.push(seconds);
  }

  failNext(times: number, status: number): void {
    for (let index = 0; index < times; index += 1) this.failures.push(status);
  }

  /** A refusal for a request arriving at `now` (real time), or undefined to let it through. */
  check(now: number): Response | undefined {
    const wait = this.throttles.shift();
    if (wait !== undefined) return tooManyRequests(wait);
    const failure = this.failures.shift();
    if (failure !== undefined) return trayError(failure, 'Internal Server Error', ['Erro interno']);
    const local = this.clock.local(now);
    const dayKey = local.slice(0, 10);
    if (this.day.key !== dayKey) this.day = { key: dayKey, used: 0 };
    if (this.day.used >= this.perDay) {
      const untilMidnight = Date.parse(`${dayKey}T00:00:00Z`) + 86_400_000 - Date.parse(`${local.replace(' ', 'T')}Z`);
      return tooManyRequests(Math.max(1, Math.ceil(untilMidnight / 1000)));
    }
    this.minute = this.minute.filter((at) => now - at < 60_000);
    if (this.minute.length >= this.perMinute) return tooManyRequests(Math.max(1, Math.ceil((this.minute[0]! + 60_000 - now) / 1000)));
    this.day.used += 1;
    this.minute.push(now);
    return undefined;
  }

  reset(): void {
    this.throttles = [];
    this.failures = [];
    this.minute = [];
    this.day = { key: '', used: 0 };
  }
}
