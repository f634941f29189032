/**
 * What `conecta` exits with, so scripts can tell outcomes apart (also in the README):
 * - 0: done, nothing to report;
 * - 1: done, with findings: the doctor saw a difference or a failed check, reconcile found a discrepancy, a retried
 *   quarantine payload is still invalid, a stock push failed for some SKUs;
 * - 2: the command line is wrong (unknown command or flag, bad date, missing argument);
 * - 3: the configuration is wrong (config file, a missing environment variable, the Mercos rule);
 * - 4: the work could not be done (a platform or Mainô refused or could not be reached, an unknown order);
 * - 130: interrupted (Ctrl-C); a backfill has saved its cursor and the next run continues from it.
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  config: 3,
  failure: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake on the command line: printed with the usage hint, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
