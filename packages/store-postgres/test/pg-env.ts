import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, it } from 'vitest';

export const PG_URL = process.env['CONECTA_PG_URL'];
const HOW = 'start one with `bash .ci/services.sh && set -a && . .ci/env && set +a` (see packages/store-postgres/README.md)';

/**
 * Whether the PostgreSQL tests can run. Without CONECTA_PG_URL they fail in CI, where a silent skip would pass a
 * build that never exercised this adapter, and are skipped with the reason locally.
 */
export function requirePostgres(suite: string): boolean {
  if (PG_URL) return true;
  if (process.env['CI']) {
    it(`${suite}: needs CONECTA_PG_URL`, () => {
      throw new Error(`CONECTA_PG_URL is not set, so the ${suite} tests cannot reach PostgreSQL: ${HOW}`);
    });
  } else {
    it.skip(`${suite}: skipped, CONECTA_PG_URL is not set; ${HOW}`, () => undefined);
  }
  return false;
}

/** Fresh schema names for this run, dropped when the file's tests end. */
export function schemaFactory(): () => string {
  const run = randomBytes(4).toString('hex');
  const made: string[] = [];
  let count = 0;
  afterAll(async () => {
    if (!PG_URL || made.length === 0) return;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      for (const schema of made) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  });
  return () => {
    const schema = `conecta_test_${run}_${(count += 1)}`;
    made.push(schema);
    return schema;
  };
}
