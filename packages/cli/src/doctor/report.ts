/**
 * One line of the doctor's report. `ok`: as the SDK assumes. `differs`: not as assumed (`expected` and `came` say
 * how). `unknown`: the account gave nothing to judge by (no products, no orders, a platform that cannot be asked).
 * `error`: the check could not run because something failed (a refused credential, an unreachable host).
 */
export type CheckStatus = 'ok' | 'differs' | 'unknown' | 'error';

export interface CheckRow {
  /** What was checked: `config`, `maino:<cnpj>`, `integration:<id>`. */
  scope: string;
  /** A stable key for scripts, e.g. `maino.products.fields`. */
  check: string;
  /** The check in the report's language. */
  label: string;
  status: CheckStatus;
  expected?: string;
  came?: string;
  note?: string;
}

export function summarise(rows: readonly CheckRow[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = { ok: 0, differs: 0, unknown: 0, error: 0 };
  for (const row of rows) summary[row.status] += 1;
  return summary;
}
