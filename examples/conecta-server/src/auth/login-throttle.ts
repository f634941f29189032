/**
 * Slows password guessing without letting anyone lock an account out:
 * - per address: past `perAddress` failures in the window, that address waits (429) whatever the account;
 * - per account and address: past `perPair` failures, that address waits for that account;
 * - per account, from anywhere: each failure past `perPair` adds a delay before the next answer for that account
 *   (doubling up to `maxDelayMs`). It slows a guesser spread over many addresses, but the account stays usable: the
 *   right password from an address that did not fail works, only a little later.
 */
export function createLoginThrottle(
  options: { perPair?: number; perAddress?: number; windowMs?: number; baseDelayMs?: number; maxDelayMs?: number; now?: () => number } = {},
) {
  const perPair = options.perPair ?? 5;
  const perAddress = options.perAddress ?? 20;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 4_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string) => {
    const cutoff = now() - windowMs;
    const list = (failures.get(key) ?? []).filter((at) => at > cutoff);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  const keys = (account: string, address: string) => {
    const normalised = account.trim().toLowerCase();
    return { account: `account:${normalised}`, pair: `pair:${normalised}\u0000${address}`, address: `address:${address}` };
  };
  const waitFor = (key: string, limit: number) => {
    const list = recent(key);
    return list.length >= limit ? list[list.length - limit]! + windowMs - now() : 0;
  };

  return {
    /** Milliseconds this address must wait before trying this account again (0: go ahead). */
    waitMs(account: string, address: string): number {
      const key = keys(account, address);
      return Math.max(0, waitFor(key.address, perAddress), waitFor(key.pair, perPair));
    },
    /** How long to hold the answer for this account: 0 until it collects failures from everywhere. */
    delayMs(account: string): number {
      const excess = recent(keys(account, '').account).length - perPair;
      return excess < 0 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** excess);
    },
    fail(account: string, address: string): void {
      // Guessers spraying accounts and addresses leave keys nobody asks about again: forget the stale ones.
      if (failures.size > 10_000) for (const key of [...failures.keys()]) recent(key);
      for (const key of Object.values(keys(account, address))) failures.set(key, [...recent(key), now()]);
    },
    /** A right password clears that address's record for the account (other addresses' failures stay counted). */
    succeed(account: string, address: string): void {
      failures.delete(keys(account, address).pair);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
