import { createHash } from 'node:crypto';
import { FILTER_SQL } from './order-filter-sql.js';
import { ORDER_COLUMNS } from './rows.js';

/** Turns one claim may record: a claim never takes more orders than this. */
export const CLAIM_TURN_SPAN = 1_000_000;

const OPEN = `('created', 'synced', 'failed')`;
const ORDER_INSERT_COLUMNS = `id, integration_id, external_id, number, status, status_label, customer, lines, totals, raw,
  created_at, updated_at, intake_state, imported_at, version, warnings, line_mappings, unmatched_lines`;

/** Every fixed statement the store runs, for the quoted schema `s`. */
export function statementTexts(s: string) {
  return {
    orderById: `SELECT ${ORDER_COLUMNS} FROM ${s}.orders WHERE id = $1`,
    insertOrder: `INSERT INTO ${s}.orders (${ORDER_INSERT_COLUMNS})
      VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::json, $11, $12, $13, $14, $15, $16::jsonb, $17::jsonb, $18)
      ON CONFLICT (id) DO NOTHING`,
    // Optimistic concurrency: lands only if nobody changed the order since it was read.
    updateOrder: `UPDATE ${s}.orders SET number = $2, status = $3, status_label = $4, customer = $5::jsonb, lines = $6::jsonb,
        totals = $7::jsonb, raw = $8::json, created_at = $9, updated_at = $10, intake_state = $11, version = $12,
        warnings = $14::jsonb, line_mappings = $15::jsonb, unmatched_lines = $16, work_pending = true
      WHERE id = $1 AND version = $13`,
    setIntakeState: `UPDATE ${s}.orders SET intake_state = $2, version = version + 1, work_pending = true WHERE id = $1`,
    setWorkPending: `UPDATE ${s}.orders SET work_pending = $2 WHERE id = $1`,
    summary: `SELECT c.*, l.id AS last_id, l.external_id AS last_external_id, l.number AS last_number,
        l.created_at AS last_created_at, l.intake_state AS last_intake_state,
        (SELECT count(*)::int FROM ${s}.quarantine q WHERE q.integration_id = $1) AS quarantined
      FROM (
        SELECT count(*)::int AS all_count,
          count(*) FILTER (WHERE ${FILTER_SQL['without-movements']})::int AS without_movements,
          count(*) FILTER (WHERE ${FILTER_SQL['pending-sync']})::int AS pending_sync,
          count(*) FILTER (WHERE ${FILTER_SQL.failed})::int AS failed,
          count(*) FILTER (WHERE ${FILTER_SQL.done})::int AS done,
          count(*) FILTER (WHERE ${FILTER_SQL.cancelled})::int AS cancelled,
          count(*) FILTER (WHERE ${FILTER_SQL.ignored})::int AS ignored,
          count(*) FILTER (WHERE ${FILTER_SQL.unmapped})::int AS unmapped
        FROM ${s}.orders o WHERE o.integration_id = $1
      ) c
      LEFT JOIN LATERAL (
        SELECT id, external_id, number, created_at, intake_state FROM ${s}.orders
        WHERE integration_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1
      ) l ON true`,
    seenStatuses: `SELECT status, count(*)::int AS count FROM ${s}.orders WHERE integration_id = $1 GROUP BY status`,

    insertQuarantine: `INSERT INTO ${s}.quarantine (id, integration_id, external_id, code, path, message, raw, source, recorded_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8, $9)`,
    listQuarantine: `SELECT id, integration_id, external_id, code, path, message, raw::text AS raw, source, recorded_at
      FROM ${s}.quarantine WHERE integration_id = $1 ORDER BY seq DESC LIMIT $2`,

    getCursor: `SELECT cursor FROM ${s}.cursors WHERE integration_id = $1`,
    saveCursor: `INSERT INTO ${s}.cursors (integration_id, cursor) VALUES ($1, $2)
      ON CONFLICT (integration_id) DO UPDATE SET cursor = excluded.cursor`,

    lockGroup: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))',
    orderIdentity: `SELECT integration_id, external_id FROM ${s}.orders WHERE id = $1`,
    movementsOfOrder: `SELECT * FROM ${s}.movements WHERE order_id = $1 ORDER BY seq`,
    movementState: `SELECT state FROM ${s}.movements WHERE id = $1`,
    // Two branches so each uses its partial index: open movements, and done ones newer than the stock snapshot.
    reservedForScope: `SELECT company_cnpj, sku, sum(quantity_milli)::text AS total FROM (
        SELECT company_cnpj, sku, quantity_milli FROM ${s}.movements
          WHERE state IN ${OPEN} AND company_cnpj = ANY($2::text[]) AND sku = ANY($3::text[]) AND order_id <> $1
        UNION ALL
        SELECT company_cnpj, sku, quantity_milli FROM ${s}.movements
          WHERE state = 'done' AND updated_at > $4 AND company_cnpj = ANY($2::text[]) AND sku = ANY($3::text[]) AND order_id <> $1
      ) held GROUP BY company_cnpj, sku`,
    // Compare-and-set on the state. Right-hand sides read the row before the update, so `from` is the old state.
    cancelForOverride: `UPDATE ${s}.movements SET state = 'cancelled', updated_at = $2,
        audit = audit || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
          'at', $2::text, 'actor', $3::text, 'action', 'override', 'from', state, 'to', 'cancelled', 'detail', $4::text)))
      WHERE order_id = $1 AND state IN ('created', 'failed')`,
    insertMovements: `INSERT INTO ${s}.movements (id, order_id, integration_id, line_index, sku, company_cnpj, quantity_milli,
        unit_price_cents, state, idempotency_key, audit, created_at, updated_at)
      SELECT id, order_id, integration_id, line_index, sku, company_cnpj, quantity_milli, unit_price_cents, state,
        idempotency_key, audit, created_at, updated_at
      FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id text, order_id text, integration_id text, line_index integer,
        sku text, company_cnpj text, quantity_milli bigint, unit_price_cents bigint, state text, idempotency_key text,
        audit jsonb, created_at text, updated_at text)) WITH ORDINALITY
        AS m(id, order_id, integration_id, line_index, sku, company_cnpj, quantity_milli, unit_price_cents, state,
          idempotency_key, audit, created_at, updated_at, position)
      ORDER BY position`,
    transitionMovement: `UPDATE ${s}.movements SET state = $3, updated_at = $4,
        audit = audit || jsonb_build_array($5::jsonb || jsonb_build_object('from', state, 'to', $3::text)),
        failure = CASE WHEN $6::boolean THEN $7::jsonb ELSE failure END,
        erp_order_id = coalesce($8, erp_order_id),
        erp_reference = coalesce($9, erp_reference)
      WHERE id = $1 AND state = ANY($2::text[])
      RETURNING *`,
    reservedStock: `SELECT company_cnpj, sku, sum(quantity_milli)::text AS total FROM ${s}.movements
      WHERE state IN ${OPEN} AND company_cnpj = ANY($1::text[])
      GROUP BY company_cnpj, sku ORDER BY min(seq)`,

    // Fair claims, as pickClaims (@conecta/core/store) computes them: each integration's oldest claimable orders (one
    // index walk each); within a tenant (company group, $6/$7) its integrations in turns, the one served longest ago
    // first; between tenants in turns, the tenant served longest ago first, then the one with the oldest order.
    // SKIP LOCKED: concurrent claimers pass over rows another one is leasing instead of queueing behind it; the lease
    // condition is checked again on the locked row. The turns served are recorded in integration order, so two
    // claimers lock claim_turns rows in the same order and never deadlock.
    claim: `WITH integrations AS (
        SELECT i.integration_id, coalesce(t.tenant, i.integration_id) AS tenant, coalesce(ct.turn, -1) AS served
        FROM unnest(coalesce($5::text[], ARRAY(SELECT DISTINCT integration_id FROM ${s}.orders WHERE work_pending))) AS i(integration_id)
        LEFT JOIN unnest($6::text[], $7::text[]) AS t(integration_id, tenant) ON t.integration_id = i.integration_id
        LEFT JOIN ${s}.claim_turns ct ON ct.integration_id = i.integration_id
      ), candidates AS (
        SELECT c.seq, c.updated_at, i.integration_id, i.tenant, i.served,
          row_number() OVER (PARTITION BY i.integration_id ORDER BY c.updated_at, c.seq) AS rank_in_integration
        FROM integrations i, LATERAL (
          SELECT seq, updated_at FROM ${s}.orders
          WHERE work_pending AND integration_id = i.integration_id AND (lease_until IS NULL OR lease_until <= $1)
          ORDER BY updated_at, seq LIMIT $2
          FOR UPDATE SKIP LOCKED
        ) c
      ), tenant_turns AS (
        SELECT coalesce(t.tenant, known.integration_id) AS tenant, max(coalesce(ct.turn, -1)) AS tenant_served
        FROM (SELECT integration_id FROM integrations UNION SELECT unnest($6::text[])) AS known(integration_id)
        LEFT JOIN unnest($6::text[], $7::text[]) AS t(integration_id, tenant) ON t.integration_id = known.integration_id
        LEFT JOIN ${s}.claim_turns ct ON ct.integration_id = known.integration_id
        GROUP BY 1
      ), heads AS (
        SELECT candidates.*, tenant_turns.tenant_served,
          first_value(updated_at) OVER (PARTITION BY integration_id ORDER BY updated_at, seq) AS head_at,
          first_value(seq) OVER (PARTITION BY integration_id ORDER BY updated_at, seq) AS head_seq,
          first_value(updated_at) OVER (PARTITION BY tenant ORDER BY updated_at, seq) AS tenant_head_at,
          first_value(seq) OVER (PARTITION BY tenant ORDER BY updated_at, seq) AS tenant_head_seq
        FROM candidates JOIN tenant_turns USING (tenant)
      ), turns AS (
        SELECT *, row_number() OVER (PARTITION BY tenant ORDER BY rank_in_integration, served, head_at, head_seq) AS turn FROM heads
      ), picked AS (
        SELECT seq AS picked_seq, integration_id AS picked_integration,
          row_number() OVER (ORDER BY turn, tenant_served, tenant_head_at, tenant_head_seq) - 1 AS position
        FROM turns ORDER BY turn, tenant_served, tenant_head_at, tenant_head_seq LIMIT $2
      ), base AS (
        SELECT nextval('${s}.claim_turn_seq') * ${CLAIM_TURN_SPAN} AS turn
      ), served AS (
        INSERT INTO ${s}.claim_turns AS stored (integration_id, turn)
        SELECT picked_integration, (SELECT turn FROM base) + max(position) FROM picked GROUP BY picked_integration ORDER BY picked_integration
        ON CONFLICT (integration_id) DO UPDATE SET turn = greatest(stored.turn, excluded.turn)
      )
      UPDATE ${s}.orders o SET lease_token = gen_random_uuid()::text || '.v' || o.version, lease_owner = $3, lease_until = $4
      FROM picked WHERE o.seq = picked.picked_seq
      RETURNING ${ORDER_COLUMNS}, picked.position`,
    markHeld: `UPDATE ${s}.orders SET held_at = $2 WHERE id = $1`,
    requeueHeld: `UPDATE ${s}.orders SET work_pending = true
      WHERE NOT work_pending AND intake_state IN ('pending', 'finalized')
        AND movements_created = 0 AND movements_synced = 0 AND movements_done = 0 AND movements_failed = 0 AND movements_reversed = 0
        AND integration_id = ANY($1::text[])`,
    // Levels and listings in one statement, so one snapshot: read apart, a save committed in between would pair the
    // old levels with the new listing, which vouches for them up to its later time (an oversell's worth of stock).
    stockReading: `SELECT 'level' AS kind, company_cnpj, sku, available_milli::text AS available_milli, read_at AS at, NULL::integer AS pages
        FROM ${s}.stock_levels WHERE company_cnpj = ANY($1::text[]) AND sku = ANY($2::text[])
      UNION ALL
      SELECT 'listing', company_cnpj, NULL, NULL, listed_at, pages FROM ${s}.stock_listings WHERE company_cnpj = ANY($1::text[])`,
    // The newer reading wins, whichever worker saves last.
    saveStockLevels: `INSERT INTO ${s}.stock_levels AS stored (company_cnpj, sku, available_milli, read_at)
      SELECT $1, sku, available, $4 FROM unnest($2::text[], $3::bigint[]) AS levels(sku, available)
      ON CONFLICT (company_cnpj, sku) DO UPDATE SET available_milli = excluded.available_milli, read_at = excluded.read_at
      WHERE excluded.read_at >= stored.read_at`,
    dropUnlisted: `DELETE FROM ${s}.stock_levels WHERE company_cnpj = $1 AND read_at < $2 AND NOT (sku = ANY($3::text[]))`,
    saveStockListing: `INSERT INTO ${s}.stock_listings AS stored (company_cnpj, listed_at, pages) VALUES ($1, $2, $3)
      ON CONFLICT (company_cnpj) DO UPDATE SET listed_at = excluded.listed_at, pages = excluded.pages
      WHERE excluded.listed_at >= stored.listed_at`,
    renewLease: `UPDATE ${s}.orders SET lease_until = $3 WHERE id = $1 AND lease_token = $2`,
    // Work imported after the claim (the version moved on) stays pending whatever the worker says.
    release: `UPDATE ${s}.orders SET lease_token = NULL, lease_owner = NULL, lease_until = NULL,
        work_pending = CASE WHEN version::text = substring($2 from '\\.v(\\d+)$') THEN $3 ELSE true END
      WHERE id = $1 AND lease_token = $2`,

    statusDictionary: `SELECT dictionary, updated_by, updated_at, version FROM ${s}.status_dictionaries WHERE integration_id = $1`,
    saveStatusDictionary: `INSERT INTO ${s}.status_dictionaries AS stored (integration_id, dictionary, updated_by, updated_at, version)
      VALUES ($1, $2::jsonb, $3, $4, 1)
      ON CONFLICT (integration_id) DO UPDATE SET dictionary = excluded.dictionary, updated_by = excluded.updated_by,
        updated_at = excluded.updated_at, version = stored.version + 1
      RETURNING dictionary, updated_by, updated_at, version`,

    // The database's clock, not each worker's: workers on several machines disagree by more than a slot.
    reserveRateSlot: `WITH clock AS (SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms)
      INSERT INTO ${s}.rate_limits AS slots (key, next_start_ms) SELECT $1, now_ms + $2 FROM clock
      ON CONFLICT (key) DO UPDATE SET next_start_ms = greatest(slots.next_start_ms, (SELECT now_ms FROM clock)) + $2
      RETURNING next_start_ms - $2 - (SELECT now_ms FROM clock) AS wait_ms`,
    pauseRateSlots: `WITH clock AS (SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms)
      INSERT INTO ${s}.rate_limits AS slots (key, next_start_ms) SELECT $1, now_ms + $2 FROM clock
      ON CONFLICT (key) DO UPDATE SET next_start_ms = greatest(slots.next_start_ms, excluded.next_start_ms)`,

    quarantinedById: `SELECT id, integration_id, external_id, code, path, message, raw::text AS raw, source, recorded_at
      FROM ${s}.quarantine WHERE id = $1`,
    removeQuarantined: `DELETE FROM ${s}.quarantine WHERE id = $1`,
    revokeSession: `WITH forgotten AS (DELETE FROM ${s}.session_revocations WHERE expires_at <= $3 AND session_id <> $1)
      INSERT INTO ${s}.session_revocations (session_id, expires_at) VALUES ($1, $2)
      ON CONFLICT (session_id) DO UPDATE SET expires_at = excluded.expires_at`,
    sessionRevoked: `SELECT 1 AS revoked FROM ${s}.session_revocations WHERE session_id = $1 AND expires_at > $2`,
    rememberDelivery: `INSERT INTO ${s}.deliveries (integration_id, delivery_id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    pushedStock: `SELECT sku, quantity_milli::text AS quantity_milli FROM ${s}.pushed_stock WHERE integration_id = $1 ORDER BY seq`,
    savePushedStock: `INSERT INTO ${s}.pushed_stock (integration_id, sku, quantity_milli)
      SELECT $1, sku, quantity FROM unnest($2::text[], $3::bigint[]) AS levels(sku, quantity)
      ON CONFLICT (integration_id, sku) DO UPDATE SET quantity_milli = excluded.quantity_milli`,
  };
}

export type StatementKey = keyof ReturnType<typeof statementTexts>;

/**
 * Name of a server-side prepared statement. pg prepares a named statement once per connection; the schema is part
 * of the name because one pool may serve stores on several schemas, and pg refuses one name with two texts.
 */
export function statementName(schema: string, key: string): string {
  return `conecta_${createHash('sha1').update(schema).digest('hex').slice(0, 10)}_${key}`;
}
