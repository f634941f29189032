/** One schema change: applied once, in `version` order, inside the migration transaction. */
export interface Migration {
  version: number;
  name: string;
  /** The DDL, given the quoted schema name. */
  sql: (schema: string) => string;
}

const MOVEMENT_STATES = ['created', 'synced', 'done', 'failed', 'cancelled', 'reversed'] as const;

const countColumns = MOVEMENT_STATES.map((state) => `movements_${state} integer NOT NULL DEFAULT 0`).join(',\n  ');
const countOnInsert = MOVEMENT_STATES.map((state) => `movements_${state} = movements_${state} + (NEW.state = '${state}')::int`).join(', ');
const countOnUpdate = MOVEMENT_STATES.map(
  (state) => `movements_${state} = movements_${state} + (NEW.state = '${state}')::int - (OLD.state = '${state}')::int`,
).join(', ');

// Timestamps are ISO text in the "C" collation: they come back exactly as written and compare as JavaScript strings
// do, which is how the memory store orders and compares them.
const initialSchema = (s: string) => `
CREATE TABLE ${s}.orders (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  integration_id text COLLATE "C" NOT NULL,
  external_id text NOT NULL,
  number text NOT NULL,
  status text NOT NULL,
  status_label text,
  customer jsonb NOT NULL,
  lines jsonb NOT NULL,
  totals jsonb NOT NULL,
  raw json,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  intake_state text NOT NULL,
  imported_at text NOT NULL,
  version integer NOT NULL,
  work_pending boolean NOT NULL DEFAULT true,
  lease_token text,
  lease_owner text,
  lease_until text COLLATE "C",
  ${countColumns}
);
CREATE INDEX orders_by_integration ON ${s}.orders (integration_id, created_at DESC, id DESC);
CREATE INDEX orders_by_created ON ${s}.orders (created_at DESC, id DESC);
CREATE INDEX orders_by_status ON ${s}.orders (integration_id, status);
CREATE INDEX orders_claimable ON ${s}.orders (updated_at, seq) WHERE work_pending;

CREATE TABLE ${s}.movements (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  order_id text COLLATE "C" NOT NULL REFERENCES ${s}.orders (id),
  integration_id text NOT NULL,
  line_index integer NOT NULL,
  sku text NOT NULL,
  company_cnpj text NOT NULL,
  quantity_milli bigint NOT NULL,
  unit_price_cents bigint NOT NULL,
  state text NOT NULL CHECK (state IN (${MOVEMENT_STATES.map((state) => `'${state}'`).join(', ')})),
  idempotency_key text NOT NULL,
  failure jsonb,
  erp_order_id text,
  erp_reference text,
  audit jsonb NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL
);
CREATE INDEX movements_by_order ON ${s}.movements (order_id, seq);
CREATE INDEX movements_open_stock ON ${s}.movements (company_cnpj, sku) WHERE state IN ('created', 'synced', 'failed');
CREATE INDEX movements_done_recently ON ${s}.movements (updated_at) WHERE state = 'done';

-- Per-state movement counts on the order row, so listing filters and summaries read one table.
CREATE FUNCTION ${s}.count_movement_states() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE ${s}.orders SET ${countOnInsert} WHERE id = NEW.order_id;
  ELSIF NEW.state <> OLD.state THEN
    UPDATE ${s}.orders SET ${countOnUpdate} WHERE id = NEW.order_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER movements_count AFTER INSERT OR UPDATE OF state ON ${s}.movements
  FOR EACH ROW EXECUTE FUNCTION ${s}.count_movement_states();

CREATE TABLE ${s}.quarantine (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  integration_id text NOT NULL,
  external_id text,
  code text NOT NULL,
  path text NOT NULL,
  message text NOT NULL,
  raw json,
  source text NOT NULL,
  recorded_at text NOT NULL
);
CREATE INDEX quarantine_by_integration ON ${s}.quarantine (integration_id, seq);

CREATE TABLE ${s}.cursors (
  integration_id text PRIMARY KEY,
  cursor text NOT NULL
);

CREATE TABLE ${s}.deliveries (
  integration_id text NOT NULL,
  delivery_id text NOT NULL,
  seen_at text NOT NULL,
  PRIMARY KEY (integration_id, delivery_id)
);

CREATE TABLE ${s}.pushed_stock (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  integration_id text NOT NULL,
  sku text NOT NULL,
  quantity_milli bigint NOT NULL,
  PRIMARY KEY (integration_id, sku)
);
`;

// Dictionaries people edit at runtime, so every worker on the database and every restart applies them.
const statusDictionaries = (s: string) => `
CREATE TABLE ${s}.status_dictionaries (
  integration_id text PRIMARY KEY,
  dictionary jsonb NOT NULL,
  updated_by text NOT NULL,
  updated_at text NOT NULL,
  version integer NOT NULL
);
`;

// One start schedule per credential (a hash of it), shared by every worker on the database: see SharedRateLimiter.
const rateLimits = (s: string) => `
CREATE TABLE ${s}.rate_limits (
  key text PRIMARY KEY,
  next_start_ms double precision NOT NULL
);
`;

// Stock snapshots every worker shares (what Mainô said per company and SKU, and when), claims that rotate between
// integrations (one index walk per integration), and held orders found without reading done ones.
const stockSnapshots = (s: string) => `
CREATE TABLE ${s}.stock_levels (
  company_cnpj text NOT NULL,
  sku text NOT NULL,
  available_milli bigint,
  read_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (company_cnpj, sku)
);
CREATE TABLE ${s}.stock_listings (
  company_cnpj text PRIMARY KEY,
  listed_at text COLLATE "C" NOT NULL,
  pages integer NOT NULL
);
CREATE INDEX orders_claimable_by_integration ON ${s}.orders (integration_id, updated_at, seq) WHERE work_pending;
CREATE INDEX orders_held ON ${s}.orders (integration_id) WHERE NOT work_pending AND intake_state IN ('pending', 'finalized')
  AND movements_created = 0 AND movements_synced = 0 AND movements_done = 0 AND movements_failed = 0 AND movements_reversed = 0;
`;

// Issue 14: typed warnings, people's line mappings (their audit), and the count of lines still without a SKU, which
// puts an order in the "without movements" listing even when its other lines have movements.
const orderBreakdown = (s: string) => `
ALTER TABLE ${s}.orders
  ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN line_mappings jsonb,
  ADD COLUMN unmatched_lines integer NOT NULL DEFAULT 0;
`;

// Dashboard sign-outs, so they reach every worker on the database and outlive a restart.
const sessionRevocations = (s: string) => `
CREATE TABLE ${s}.session_revocations (
  session_id text PRIMARY KEY,
  expires_at text NOT NULL
);
CREATE INDEX session_revocations_by_expiry ON ${s}.session_revocations (expires_at);
`;

// The stock check adds the movements done since the company's snapshot was read: keyed by company and SKU (and
// covering the summed columns), it reads only the order's own SKUs instead of every done movement since the snapshot.
const doneSinceSnapshot = (s: string) => `
DROP INDEX ${s}.movements_done_recently;
CREATE INDEX movements_done_by_stock ON ${s}.movements (company_cnpj, sku, updated_at) INCLUDE (quantity_milli, order_id) WHERE state = 'done';
`;

// Fair claims between company groups: when the store last served each integration, so the rotation carries on from
// one claim to the next and across workers (see pickClaims in @conecta/core/store). A claim's turns are numbered from
// one sequence value, so concurrent claims never record the same turn. And when an allocation last left an order held.
const claimTurns = (s: string) => `
CREATE TABLE ${s}.claim_turns (
  integration_id text COLLATE "C" PRIMARY KEY,
  turn bigint NOT NULL
);
CREATE SEQUENCE ${s}.claim_turn_seq;
ALTER TABLE ${s}.orders ADD COLUMN held_at text;
`;

/** The schema, oldest first. Never edit a released migration: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: initialSchema },
  { version: 2, name: 'status dictionaries edited at runtime', sql: statusDictionaries },
  { version: 3, name: 'rate limits shared by workers', sql: rateLimits },
  { version: 4, name: 'order warnings and line mappings', sql: orderBreakdown },
  { version: 5, name: 'session revocations', sql: sessionRevocations },
  { version: 6, name: 'stock snapshots, fair claims, held orders', sql: stockSnapshots },
  { version: 7, name: 'done movements indexed by company and SKU', sql: doneSinceSnapshot },
  { version: 8, name: 'claims rotate between company groups; held orders', sql: claimTurns },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
