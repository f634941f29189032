import type { Database, Statement } from 'better-sqlite3';
import { FILTER_SQL } from './order-filter-sql.js';

const OPEN = `('created', 'synced', 'failed')`;

/** Every fixed statement the store runs. */
export const SQL = {
  orderById: 'SELECT * FROM orders WHERE id = ?',
  insertOrder: `INSERT INTO orders (id, integration_id, external_id, number, status, status_label, customer, lines, totals,
    warnings, line_mappings, unmatched_lines, raw, created_at, updated_at, intake_state, imported_at, version, work_pending)
    VALUES (@id, @integration_id, @external_id, @number, @status, @status_label, @customer, @lines, @totals,
    @warnings, @line_mappings, @unmatched_lines, @raw,
    @created_at, @updated_at, @intake_state, @imported_at, @version, 1)`,
  updateOrder: `UPDATE orders SET number = @number, status = @status, status_label = @status_label, customer = @customer,
    lines = @lines, totals = @totals, warnings = @warnings, line_mappings = @line_mappings,
    unmatched_lines = @unmatched_lines, raw = @raw, created_at = @created_at, updated_at = @updated_at,
    intake_state = @intake_state, version = @version, work_pending = 1
    WHERE id = @id`,
  setIntakeState: 'UPDATE orders SET intake_state = ?, version = version + 1, work_pending = 1 WHERE id = ?',
  setWorkPending: 'UPDATE orders SET work_pending = ? WHERE id = ?',
  summaryCounts: `SELECT count(*) AS all_count,
    count(*) FILTER (WHERE ${FILTER_SQL['without-movements']}) AS without_movements,
    count(*) FILTER (WHERE ${FILTER_SQL['pending-sync']}) AS pending_sync,
    count(*) FILTER (WHERE ${FILTER_SQL.failed}) AS failed,
    count(*) FILTER (WHERE ${FILTER_SQL.done}) AS done,
    count(*) FILTER (WHERE ${FILTER_SQL.cancelled}) AS cancelled,
    count(*) FILTER (WHERE ${FILTER_SQL.ignored}) AS ignored,
    count(*) FILTER (WHERE ${FILTER_SQL.unmapped}) AS unmapped
    FROM orders o WHERE o.integration_id = ?`,
  lastOrder: `SELECT id, external_id, number, created_at, intake_state FROM orders
    WHERE integration_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
  seenStatuses: 'SELECT status, count(*) AS count FROM orders WHERE integration_id = ? GROUP BY status',

  insertQuarantine: `INSERT INTO quarantine (id, integration_id, external_id, code, path, message, raw, source, recorded_at)
    VALUES (@id, @integration_id, @external_id, @code, @path, @message, @raw, @source, @recorded_at)`,
  listQuarantine: 'SELECT * FROM quarantine WHERE integration_id = ? ORDER BY seq DESC LIMIT ?',
  countQuarantine: 'SELECT count(*) AS count FROM quarantine WHERE integration_id = ?',
  quarantinedById: 'SELECT * FROM quarantine WHERE id = ?',
  removeQuarantined: 'DELETE FROM quarantine WHERE id = ?',

  getCursor: 'SELECT cursor FROM cursors WHERE integration_id = ?',
  saveCursor: 'INSERT INTO cursors (integration_id, cursor) VALUES (?, ?) ON CONFLICT (integration_id) DO UPDATE SET cursor = excluded.cursor',

  movementsOfOrder: 'SELECT * FROM movements WHERE order_id = ? ORDER BY seq',
  movementById: 'SELECT * FROM movements WHERE id = ?',
  insertMovement: `INSERT INTO movements (id, order_id, integration_id, line_index, sku, company_cnpj, quantity_milli, unit_price_cents,
    state, idempotency_key, failure, erp_order_id, erp_reference, audit, created_at, updated_at)
    VALUES (@id, @order_id, @integration_id, @line_index, @sku, @company_cnpj, @quantity_milli, @unit_price_cents,
    @state, @idempotency_key, @failure, @erp_order_id, @erp_reference, @audit, @created_at, @updated_at)`,
  // Compare-and-set: the write only lands while the movement is still in one of the states the caller saw.
  transitionMovement: `UPDATE movements SET state = @state, updated_at = @updated_at, audit = @audit, failure = @failure,
    erp_order_id = @erp_order_id, erp_reference = @erp_reference
    WHERE id = @id AND state IN (SELECT value FROM json_each(@from))`,
  // Two branches so each uses its partial index: open movements, and done ones newer than the stock snapshot.
  reservedForScope: `SELECT company_cnpj, sku, sum(quantity_milli) AS total FROM (
    SELECT company_cnpj, sku, quantity_milli FROM movements
      WHERE state IN ${OPEN} AND company_cnpj IN (SELECT value FROM json_each(@cnpjs))
        AND sku IN (SELECT value FROM json_each(@skus)) AND order_id <> @order_id
    UNION ALL
    SELECT company_cnpj, sku, quantity_milli FROM movements
      WHERE state = 'done' AND updated_at > @snapshot_at AND company_cnpj IN (SELECT value FROM json_each(@cnpjs))
        AND sku IN (SELECT value FROM json_each(@skus)) AND order_id <> @order_id
    ) GROUP BY company_cnpj, sku`,
  reservedStock: `SELECT company_cnpj, sku, sum(quantity_milli) AS total FROM movements
    WHERE state IN ${OPEN} AND company_cnpj IN (SELECT value FROM json_each(?))
    GROUP BY company_cnpj, sku ORDER BY min(seq)`,

  // INDEXED BY: the planner otherwise picks orders_by_status, reads every order of the integration (done ones
  // included) and sorts them, so each claim cost grew with the table.
  // One integration's oldest claimable orders: the store takes a few from each integration in turn.
  claimableOf: `SELECT * FROM orders INDEXED BY orders_claimable_by_integration
    WHERE work_pending = 1 AND integration_id = @integration_id AND (lease_until IS NULL OR lease_until <= @now)
    ORDER BY updated_at, seq LIMIT @limit`,
  claimTurns: 'SELECT integration_id, turn FROM claim_turns',
  markHeld: 'UPDATE orders SET held_at = @at WHERE id = @id',
  saveClaimTurn: `INSERT INTO claim_turns (integration_id, turn) VALUES (@integration_id, @turn)
    ON CONFLICT (integration_id) DO UPDATE SET turn = excluded.turn`,
  pendingIntegrations: 'SELECT DISTINCT integration_id FROM orders INDEXED BY orders_claimable_by_integration WHERE work_pending = 1',
  requeueHeld: `UPDATE orders INDEXED BY orders_held SET work_pending = 1
    WHERE work_pending = 0 AND intake_state IN ('pending', 'finalized')
      AND movements_created = 0 AND movements_synced = 0 AND movements_done = 0 AND movements_failed = 0 AND movements_reversed = 0
      AND integration_id IN (SELECT value FROM json_each(?))`,
  stockLevels: `SELECT company_cnpj, sku, available_milli, read_at FROM stock_levels
    WHERE company_cnpj IN (SELECT value FROM json_each(@cnpjs)) AND sku IN (SELECT value FROM json_each(@skus))`,
  stockListings: 'SELECT company_cnpj, listed_at, pages FROM stock_listings WHERE company_cnpj IN (SELECT value FROM json_each(?))',
  // The newer reading wins, whichever worker saves last.
  saveStockLevel: `INSERT INTO stock_levels (company_cnpj, sku, available_milli, read_at) VALUES (@cnpj, @sku, @available, @read_at)
    ON CONFLICT (company_cnpj, sku) DO UPDATE SET available_milli = excluded.available_milli, read_at = excluded.read_at
    WHERE excluded.read_at >= stock_levels.read_at`,
  dropUnlisted: `DELETE FROM stock_levels WHERE company_cnpj = @cnpj AND read_at < @read_at
    AND sku NOT IN (SELECT value FROM json_each(@skus))`,
  saveStockListing: `INSERT INTO stock_listings (company_cnpj, listed_at, pages) VALUES (?, ?, ?)
    ON CONFLICT (company_cnpj) DO UPDATE SET listed_at = excluded.listed_at, pages = excluded.pages
    WHERE excluded.listed_at >= stock_listings.listed_at`,
  lease: 'UPDATE orders SET lease_token = ?, lease_owner = ?, lease_until = ? WHERE id = ?',
  renewLease: 'UPDATE orders SET lease_until = @until WHERE id = @id AND lease_token = @lease',
  // Work imported after the claim (the version moved on) stays pending whatever the worker says.
  release: `UPDATE orders SET lease_token = NULL, lease_owner = NULL, lease_until = NULL,
    work_pending = CASE WHEN version = @claimed_version THEN @work_pending ELSE 1 END
    WHERE id = @id AND lease_token = @lease`,

  statusDictionary: 'SELECT dictionary, updated_by, updated_at, version FROM status_dictionaries WHERE integration_id = ?',
  saveStatusDictionary: `INSERT INTO status_dictionaries (integration_id, dictionary, updated_by, updated_at, version)
    VALUES (@integration_id, @dictionary, @updated_by, @updated_at, 1)
    ON CONFLICT (integration_id) DO UPDATE SET dictionary = excluded.dictionary, updated_by = excluded.updated_by,
      updated_at = excluded.updated_at, version = status_dictionaries.version + 1
    RETURNING dictionary, updated_by, updated_at, version`,

  // The next start on a credential, spacing later ones; `now` comes from the caller (all processes share one clock).
  reserveRateSlot: `INSERT INTO rate_limits (key, next_start_ms) VALUES (@key, @now + @spacing)
    ON CONFLICT (key) DO UPDATE SET next_start_ms = max(next_start_ms, @now) + @spacing
    RETURNING next_start_ms`,
  pauseRateSlots: `INSERT INTO rate_limits (key, next_start_ms) VALUES (@key, @until)
    ON CONFLICT (key) DO UPDATE SET next_start_ms = max(next_start_ms, @until)`,

  revokeSession: `INSERT INTO session_revocations (session_id, expires_at) VALUES (?, ?)
    ON CONFLICT (session_id) DO UPDATE SET expires_at = excluded.expires_at`,
  forgetExpiredRevocations: 'DELETE FROM session_revocations WHERE expires_at <= ?',
  sessionRevoked: 'SELECT 1 AS revoked FROM session_revocations WHERE session_id = ? AND expires_at > ?',

  rememberDelivery: 'INSERT INTO deliveries (integration_id, delivery_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  pushedStock: 'SELECT sku, quantity_milli FROM pushed_stock WHERE integration_id = ? ORDER BY rowid',
  savePushedStock: `INSERT INTO pushed_stock (integration_id, sku, quantity_milli) VALUES (?, ?, ?)
    ON CONFLICT (integration_id, sku) DO UPDATE SET quantity_milli = excluded.quantity_milli`,
};

export type Statements = { readonly [K in keyof typeof SQL]: Statement };

/** Prepared once per connection: preparing is a large part of a small statement's cost. */
export function prepareStatements(db: Database): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as unknown as Statements;
}
