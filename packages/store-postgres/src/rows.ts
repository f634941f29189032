import { storedTotals, unmatchedLineCount, type LineMapping, type Movement, type MovementState, type Order, type OrderIntakeState, type QuarantinedRecord, type StatusDictionary, type StoredStatusDictionary } from '@conecta/core';

// pg returns jsonb already parsed, int8 as a string (converted with Number: quantities and cents are safe integers),
// and json columns are selected as text so an absent payload (SQL NULL) stays apart from a JSON null.

export interface OrderRow {
  seq: string;
  id: string;
  integration_id: string;
  external_id: string;
  number: string;
  status: string;
  status_label: string | null;
  customer: Order['customer'];
  lines: Order['lines'];
  totals: Order['totals'];
  warnings: Order['warnings'];
  line_mappings: LineMapping[] | null;
  held_at: string | null;
  unmatched_lines: number;
  raw: string | null;
  created_at: string;
  updated_at: string;
  intake_state: OrderIntakeState;
  imported_at: string;
  version: number;
  work_pending: boolean;
  lease_token: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  movements_created: number;
  movements_synced: number;
  movements_done: number;
  movements_failed: number;
  movements_cancelled: number;
  movements_reversed: number;
}

export interface MovementRow {
  id: string;
  order_id: string;
  integration_id: string;
  line_index: number;
  sku: string;
  company_cnpj: string;
  quantity_milli: string;
  unit_price_cents: string;
  state: MovementState;
  idempotency_key: string;
  failure: Movement['failure'] | null;
  erp_order_id: string | null;
  erp_reference: string | null;
  audit: Movement['audit'];
  created_at: string;
  updated_at: string;
}

export interface QuarantineRow {
  id: string;
  integration_id: string;
  external_id: string | null;
  code: string;
  path: string;
  message: string;
  raw: string | null;
  source: QuarantinedRecord['source'];
  recorded_at: string;
}

/** Column list that reads `raw` as text (see above). */
export const ORDER_COLUMNS = `seq, id, integration_id, external_id, number, status, status_label, customer, lines, totals, warnings, line_mappings,
  unmatched_lines, raw::text AS raw,
  created_at, updated_at, intake_state, imported_at, version, work_pending, lease_token, lease_owner, lease_until,
  movements_created, movements_synced, movements_done, movements_failed, movements_cancelled, movements_reversed, held_at`;

export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const fromJson = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

/** An order's column values, in the order of the insert and update statements. */
export function orderValues(order: Order): unknown[] {
  return [
    order.id,
    order.integrationId,
    order.externalId,
    order.number,
    order.status,
    order.statusLabel ?? null,
    JSON.stringify(order.customer),
    JSON.stringify(order.lines),
    JSON.stringify(order.totals),
    toJson(order.raw),
    order.createdAt,
    order.updatedAt,
    order.intakeState,
    order.importedAt,
    order.version,
    JSON.stringify(order.warnings),
    order.lineMappings?.length ? JSON.stringify(order.lineMappings) : null,
    unmatchedLineCount(order.lines),
  ];
}

export function toOrder(row: OrderRow): Order {
  return {
    externalId: row.external_id,
    number: row.number,
    status: row.status,
    ...(row.status_label !== null ? { statusLabel: row.status_label } : {}),
    customer: row.customer,
    lines: row.lines,
    totals: storedTotals(row.totals),
    warnings: row.warnings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    raw: fromJson(row.raw),
    id: row.id,
    integrationId: row.integration_id,
    intakeState: row.intake_state,
    importedAt: row.imported_at,
    version: row.version,
    ...(row.line_mappings !== null ? { lineMappings: row.line_mappings } : {}),
    ...(row.held_at !== null && row.held_at !== undefined ? { heldAt: row.held_at } : {}),
  };
}

/** Per-state counts the trigger keeps on the order row; only states that occur, as `countStates` gives them. */
export function movementStates(row: OrderRow): Partial<Record<MovementState, number>> {
  const counts: Partial<Record<MovementState, number>> = {};
  const columns: Array<[MovementState, number]> = [
    ['created', row.movements_created],
    ['synced', row.movements_synced],
    ['done', row.movements_done],
    ['failed', row.movements_failed],
    ['cancelled', row.movements_cancelled],
    ['reversed', row.movements_reversed],
  ];
  for (const [state, count] of columns) if (count > 0) counts[state] = count;
  return counts;
}

export function toMovement(row: MovementRow): Movement {
  return {
    id: row.id,
    orderId: row.order_id,
    integrationId: row.integration_id,
    lineIndex: row.line_index,
    sku: row.sku,
    companyCnpj: row.company_cnpj,
    quantityMilli: Number(row.quantity_milli),
    unitPriceCents: Number(row.unit_price_cents),
    state: row.state,
    idempotencyKey: row.idempotency_key,
    ...(row.failure !== null ? { failure: row.failure } : {}),
    ...(row.erp_order_id !== null ? { erpOrderId: row.erp_order_id } : {}),
    ...(row.erp_reference !== null ? { erpReference: row.erp_reference } : {}),
    audit: row.audit,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toQuarantined(row: QuarantineRow): QuarantinedRecord {
  return {
    integrationId: row.integration_id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    code: row.code,
    path: row.path,
    message: row.message,
    raw: fromJson(row.raw),
    source: row.source,
    at: row.recorded_at,
    id: row.id,
  };
}

export interface StatusDictionaryRow {
  dictionary: StatusDictionary;
  updated_by: string;
  updated_at: string;
  version: number;
}

export function toStoredDictionary(row: StatusDictionaryRow): StoredStatusDictionary {
  return { dictionary: row.dictionary, updatedBy: row.updated_by, updatedAt: row.updated_at, version: row.version };
}
