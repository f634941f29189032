import { storedTotals, unmatchedLineCount, type LineMapping, type Movement, type MovementState, type Order, type OrderIntakeState, type QuarantinedRecord, type StatusDictionary, type StoredStatusDictionary } from '@conecta/core';

/** An `orders` row as SQLite returns it. */
export interface OrderRow {
  seq: number;
  id: string;
  integration_id: string;
  external_id: string;
  number: string;
  status: string;
  status_label: string | null;
  customer: string;
  lines: string;
  totals: string;
  warnings: string;
  line_mappings: string | null;
  held_at: string | null;
  unmatched_lines: number;
  raw: string | null;
  created_at: string;
  updated_at: string;
  intake_state: OrderIntakeState;
  imported_at: string;
  version: number;
  work_pending: number;
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
  quantity_milli: number;
  unit_price_cents: number;
  state: string;
  idempotency_key: string;
  failure: string | null;
  erp_order_id: string | null;
  erp_reference: string | null;
  audit: string;
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
  source: string;
  recorded_at: string;
}

/** SQL NULL stands for an absent (undefined) payload; JSON `null` is stored as the text `null`. */
export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const fromJson = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

/** The columns an order writes, as named parameters. */
export function orderParams(order: Order) {
  return {
    id: order.id,
    integration_id: order.integrationId,
    external_id: order.externalId,
    number: order.number,
    status: order.status,
    status_label: order.statusLabel ?? null,
    customer: JSON.stringify(order.customer),
    lines: JSON.stringify(order.lines),
    totals: JSON.stringify(order.totals),
    warnings: JSON.stringify(order.warnings),
    line_mappings: order.lineMappings?.length ? JSON.stringify(order.lineMappings) : null,
    unmatched_lines: unmatchedLineCount(order.lines),
    raw: toJson(order.raw),
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    intake_state: order.intakeState,
    imported_at: order.importedAt,
    version: order.version,
  };
}

export type OrderColumns = ReturnType<typeof orderParams>;

export function toOrder(row: OrderColumns & { held_at?: string | null }): Order {
  return {
    externalId: row.external_id,
    number: row.number,
    status: row.status,
    ...(row.status_label !== null ? { statusLabel: row.status_label } : {}),
    customer: JSON.parse(row.customer) as Order['customer'],
    lines: JSON.parse(row.lines) as Order['lines'],
    totals: storedTotals(JSON.parse(row.totals) as Order['totals']),
    warnings: JSON.parse(row.warnings) as Order['warnings'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    raw: fromJson(row.raw),
    id: row.id,
    integrationId: row.integration_id,
    intakeState: row.intake_state as OrderIntakeState,
    importedAt: row.imported_at,
    version: row.version,
    ...(row.line_mappings !== null ? { lineMappings: JSON.parse(row.line_mappings) as LineMapping[] } : {}),
    ...(row.held_at ? { heldAt: row.held_at } : {}),
  };
}

/** Per-state counts the triggers keep on the order row; only states that occur, as `countStates` gives them. */
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

export function movementParams(movement: Movement) {
  return {
    id: movement.id,
    order_id: movement.orderId,
    integration_id: movement.integrationId,
    line_index: movement.lineIndex,
    sku: movement.sku,
    company_cnpj: movement.companyCnpj,
    quantity_milli: movement.quantityMilli,
    unit_price_cents: movement.unitPriceCents,
    state: movement.state,
    idempotency_key: movement.idempotencyKey,
    failure: toJson(movement.failure),
    erp_order_id: movement.erpOrderId ?? null,
    erp_reference: movement.erpReference ?? null,
    audit: JSON.stringify(movement.audit),
    created_at: movement.createdAt,
    updated_at: movement.updatedAt,
  };
}

export function toMovement(row: MovementRow): Movement {
  return {
    id: row.id,
    orderId: row.order_id,
    integrationId: row.integration_id,
    lineIndex: row.line_index,
    sku: row.sku,
    companyCnpj: row.company_cnpj,
    quantityMilli: row.quantity_milli,
    unitPriceCents: row.unit_price_cents,
    state: row.state as MovementState,
    idempotencyKey: row.idempotency_key,
    ...(row.failure !== null ? { failure: JSON.parse(row.failure) as Movement['failure'] } : {}),
    ...(row.erp_order_id !== null ? { erpOrderId: row.erp_order_id } : {}),
    ...(row.erp_reference !== null ? { erpReference: row.erp_reference } : {}),
    audit: JSON.parse(row.audit) as Movement['audit'],
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
    source: row.source as QuarantinedRecord['source'],
    at: row.recorded_at,
    id: row.id,
  };
}

export interface StatusDictionaryRow {
  dictionary: string;
  updated_by: string;
  updated_at: string;
  version: number;
}

export function toStoredDictionary(row: StatusDictionaryRow): StoredStatusDictionary {
  return { dictionary: JSON.parse(row.dictionary) as StatusDictionary, updatedBy: row.updated_by, updatedAt: row.updated_at, version: row.version };
}
