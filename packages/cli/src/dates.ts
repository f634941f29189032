import { UsageError } from './exit-codes.js';
import type { Say } from './i18n.js';

/**
 * A date from the command line: `2026-01-01` is that day in Brazil (UTC-3, the stores' zone; no daylight saving
 * since 2019), a full ISO instant is taken as written. With `endOfDay`, a bare date means up to the end of that day.
 */
export function parseDateArg(value: string, flag: string, say: Say, options: { endOfDay?: boolean } = {}): number {
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (bare) {
    const start = Date.parse(`${value}T00:00:00-03:00`);
    if (!Number.isNaN(start) && new Date(start + 3 * 3_600_000).toISOString().slice(0, 10) === value) {
      return options.endOfDay ? start + 86_400_000 : start;
    }
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) {
    return Date.parse(value);
  }
  throw new UsageError(say(`${flag} ${value}: use uma data AAAA-MM-DD ou um instante ISO`, `${flag} ${value}: use a date YYYY-MM-DD or an ISO instant`));
}
