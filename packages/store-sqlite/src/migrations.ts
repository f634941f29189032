/** One schema change: applied once, in `version` order, inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MOVEMENT_STATES = ['created', 'synced', 'done', 'failed', 'cancelled', 'reversed'] as const;

// Per-state movement counts kept on the order row, so listing filters and summaries read one table.
const countColumns = MOVEMENT_STATES.map((state) => `movements_${state} INTEGER NOT NULL DEFAULT 0`).join(',\n  ');
const countOnInsert = MOVEMENT_STATES.map((state) => `movements_${state} = movements_${state} + (NEW.state = '${state}')`).join(',\n      ');
const countOnUpdate = MOVEMENT_STATES.map(
  (state) => `movements_${state} = movements_${state} + (NEW.state = '${state}') - (OLD.state = '${state}')`,
).join(',\n      ');

const initialSchema = `
CREATE TABLE orders (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  integration_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  number TEXT NOT NULL,
  status TEXT NOT NULL,
  status_label TEXT,
  customer TEXT NOT NULL,
  lines TEXT NOT NULL,
  totals TEXT NOT NULL,
  raw TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  intake_state TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  work_pending INTEGER NOT NULL DEFAULT 1,
  lease_token TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  ${countColumns}
);
CREATE INDEX orders_by_integration ON orders (integration_id, created_at DESC, id DESC);
CREATE INDEX orders_by_created ON orders (created_at DESC, id DESC);
CREATE INDEX orders_by_status ON orders (integration_id, status);
CREATE INDEX orders_claimable ON orders (updated_at, seq) WHERE work_pending = 1;

CREATE TABLE movements (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  order_id TEXT NOT NULL REFERENCES orders (id),
  integration_id TEXT NOT NULL,
  line_index INTEGER NOT NULL,
  sku TEXT NOT NULL,
  company_cnpj TEXT NOT NULL,
  quantity_milli INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN (${MOVEMENT_STATES.map((state) => `'${state}'`).join(', ')})),
  idempotency_key TEXT NOT NULL,
  failure TEXT,
  erp_order_id TEXT,
  erp_reference TEXT,
  audit TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX movements_by_order ON movements (order_id, seq);
CREATE INDEX movements_open_stock ON movements (company_cnpj, sku) WHERE state IN ('created', 'synced', 'failed');
CREATE INDEX movements_done_recently ON movements (updated_at) WHERE state = 'done';

CREATE TRIGGER movements_count_insert AFTER INSERT ON movements
BEGIN
  UPDATE orders SET
      ${countOnInsert}
    WHERE id = NEW.order_id;
END;
CREATE TRIGGER movements_count_update AFTER UPDATE OF state ON movements WHEN OLD.state <> NEW.state
BEGIN
  UPDATE orders SET
      ${countOnUpdate}
    WHERE id = NEW.order_id;
END;

CREATE TABLE quarantine (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  integration_id TEXT NOT NULL,
  external_id TEXT,
  code TEXT NOT NULL,
  path TEXT NOT NULL,
  message TEXT NOT NULL,
  raw TEXT,
  source TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX quarantine_by_integration ON quarantine (integration_id, seq);

CREATE TABLE cursors (
  integration_id TEXT PRIMARY KEY,
  cursor TEXT NOT NULL
);

CREATE TABLE deliveries (
  integration_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (integration_id, delivery_id)
) WITHOUT ROWID;

CREATE TABLE pushed_stock (
  integration_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  quantity_milli INTEGER NOT NULL,
  PRIMARY KEY (integration_id, sku)
);
`;

// Dictionaries people edit at runtime, so every worker on the file and every restart applies them.
const statusDictionaries = `
CREATE TABLE status_dictionaries (
  integration_id TEXT PRIMARY KEY,
  dictionary TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL
);
`;

// One start schedule per credential (a hash of it), shared by every process on the file: see SharedRateLimiter.
const rateLimits = `
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  next_start_ms REAL NOT NULL
) WITHOUT ROWID;
`;

// Stock snapshots every worker shares (what Mainô said per company and SKU, and when), claims that rotate between
// integrations (one index walk per integration), and held orders found without reading done ones.
const stockSnapshots = `
CREATE TABLE stock_levels (
  company_cnpj TEXT NOT NULL,
  sku TEXT NOT NULL,
  available_milli INTEGER,
  read_at TEXT NOT NULL,
  PRIMARY KEY (company_cnpj, sku)
) WITHOUT ROWID;
CREATE TABLE stock_listings (
  company_cnpj TEXT PRIMARY KEY,
  listed_at TEXT NOT NULL,
  pages INTEGER NOT NULL
);
CREATE INDEX orders_claimable_by_integration ON orders (integration_id, updated_at, seq) WHERE work_pending = 1;
CREATE INDEX orders_held ON orders (integration_id) WHERE work_pending = 0 AND intake_state IN ('pending', 'finalized')
  AND movements_created = 0 AND movements_synced = 0 AND movements_done = 0 AND movements_failed = 0 AND movements_reversed = 0;
`;

// Issue 14: typed warnings, people's line mappings (their audit), and the count of lines still without a SKU, which
// puts an order in the "without movements" listing even when its other lines have movements.
const orderBreakdown = `
ALTER TABLE orders ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE orders ADD COLUMN line_mappings TEXT;
ALTER TABLE orders ADD COLUMN unmatched_lines INTEGER NOT NULL DEFAULT 0;
`;

// Dashboard sign-outs, so they reach every process on the file and outlive a restart.
const sessionRevocations = `
CREATE TABLE session_revocations (
  session_id TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_revocations_by_expiry ON session_revocations (expires_at);
`;

// The stock check adds the movements done since the company's snapshot was read. Ranged on updated_at alone, that
// read every done movement of every SKU since the snapshot, so each allocation cost grew with the backlog; keyed by
// company and SKU, and covering the summed columns, it reads only the order's own SKUs from the index.
const doneSinceSnapshot = `
DROP INDEX movements_done_recently;
CREATE INDEX movements_done_by_stock ON movements (company_cnpj, sku, updated_at, quantity_milli, order_id) WHERE state = 'done';
`;

// Fair claims between company groups: when the store last served each integration, so the rotation carries on from
// one claim to the next (see pickClaims in @conecta/core/store). And when an allocation last left an order held.
const claimTurns = `
CREATE TABLE claim_turns (
  integration_id TEXT PRIMARY KEY,
  turn INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE orders ADD COLUMN held_at TEXT;
`;

/** The schema, oldest first. Never edit a released migration: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: initialSchema },
  { version: 2, name: 'status dictionaries edited at runtime', sql: statusDictionaries },
  { version: 3, name: 'rate limits shared by processes', sql: rateLimits },
  { version: 4, name: 'order warnings and line mappings', sql: orderBreakdown },
  { version: 5, name: 'session revocations', sql: sessionRevocations },
  { version: 6, name: 'stock snapshots, fair claims, held orders', sql: stockSnapshots },
  { version: 7, name: 'done movements indexed by company and SKU', sql: doneSinceSnapshot },
  { version: 8, name: 'claims rotate between company groups; held orders', sql: claimTurns },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
