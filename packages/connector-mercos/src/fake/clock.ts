import { addSeconds, compareWallTime } from '../local-time.js';

/**
 * The fake's own time for `ultima_alteracao`: it moves one second after every `perSecond` stamps, so several records
 * share a second, as on a busy Mercos account, and a capped page can end in the middle of one.
 */
export class FakeClock {
  private current: string;
  private usedInSecond = 0;

  constructor(
    private readonly start: string,
    private readonly perSecond: number,
  ) {
    this.current = start;
  }

  /** The next stamp, strictly after `notBefore` when given (a changed record must move forward). */
  stamp(notBefore?: string): string {
    if (this.usedInSecond >= this.perSecond || (notBefore !== undefined && compareWallTime(this.current, notBefore) <= 0)) {
      this.current = addSeconds(notBefore !== undefined && compareWallTime(notBefore, this.current) > 0 ? notBefore : this.current, 1);
      this.usedInSecond = 0;
    }
    this.usedInSecond += 1;
    return this.current;
  }

  reset(): void {
    this.current = this.start;
    this.usedInSecond = 0;
  }
}
