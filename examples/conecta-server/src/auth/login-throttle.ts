/**
 * Slows down password guessing: failures are counted per account and per address over a window; past the limit a
 * sign-in attempt is refused until the window moves on, with the wait to show.
 */
export function createLoginThrottle(options: { maxFailures?: number; windowMs?: number; now?: () => number } = {}) {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string) => {
    const cutoff = now() - windowMs;
    const list = (failures.get(key) ?? []).filter((at) => at > cutoff);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };

  return {
    /** Milliseconds to wait before another attempt for this account or address (0: go ahead). */
    waitMs(account: string, address: string): number {
      let wait = 0;
      for (const key of [`account:${account.toLowerCase()}`, `address:${address}`]) {
        const list = recent(key);
        if (list.length >= maxFailures) wait = Math.max(wait, list[list.length - maxFailures]! + windowMs - now());
      }
      return wait;
    },
    fail(account: string, address: string): void {
      for (const key of [`account:${account.toLowerCase()}`, `address:${address}`]) failures.set(key, [...recent(key), now()]);
    },
    succeed(account: string): void {
      failures.delete(`account:${account.toLowerCase()}`);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
