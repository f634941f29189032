import { ValidationError, parseCents, parseQuantity, type ErpProduct, type ErpSalesOrder, type FieldIssue, type QuantityMilli } from '@conecta/core';
import type { MainoEndpointTable } from './endpoints.js';

/**
 * Tolerant readers for Mainô answers. The real answers differ from what the notes describe (UUID ids, `quantidade`
 * as "2.0", status labels, no prices or references), and the official reference is out of reach, so a field that
 * cannot be read is reported with its path instead of failing the whole answer: a lookup must still say found or not
 * found on a page it cannot fully read.
 */

/** One item of a Mainô order as far as it could be read. */
export interface MainoOrderItem {
  sku: string | undefined;
  name: string | undefined;
  quantityMilli: QuantityMilli | undefined;
  unitPriceCents: number | undefined;
}

/** A Mainô sales order: the ERP port's view plus what only Mainô has, and what could not be read. */
export interface MainoSalesOrder extends ErpSalesOrder {
  /** Mainô's own order number (`numero`). */
  number: string | undefined;
  /** The status as Mainô labels it ("Pedido gerado"); `status` is what the label means for stock. */
  statusLabel: string | undefined;
  /** Every item as read. `lines` holds only the items whose SKU, quantity and unit price were all readable. */
  items: MainoOrderItem[];
  /** Where `totalCents` came from; `lines` means a sum of readable lines, which may be short of the real total. */
  totalSource: 'valor_total' | 'parcelas' | 'lines';
  /** Fields that could not be read, each with its path in the answer. Empty when the whole order was read. */
  unreadable: FieldIssue[];
}

/** A product with the parts of its stock, as far as they could be read. */
export interface MainoProduct extends ErpProduct {
  onHandMilli: QuantityMilli | undefined;
  /** Each subtracted field as read (`qtde_comprometida`, `qtde_armazenada`); a missing one is absent. */
  reservedMilli: Record<string, QuantityMilli>;
  unreadable: FieldIssue[];
}

export type MainoInvoiceState = 'not-transmitted' | 'accepted' | 'rejected' | 'unknown';

/** The invoice (NF-e) of a sales order, from `GET /pedidos/{id}/nota_fiscal`. */
export interface MainoInvoice {
  id: string | undefined;
  /** As Mainô sends it: NAO_TRANSMITIDA, ACEITA or REJEITADA seen so far. */
  status: string | undefined;
  state: MainoInvoiceState;
  danfeUrl: string | undefined;
  unreadable: FieldIssue[];
}

type Orders = MainoEndpointTable['orders'];
type Products = MainoEndpointTable['products'];
type Raw = Record<string, unknown>;

const INVOICE_STATES: Record<string, MainoInvoiceState> = {
  NAO_TRANSMITIDA: 'not-transmitted',
  ACEITA: 'accepted',
  REJEITADA: 'rejected',
};

export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id as Mainô sends it: a UUID string in real answers, a number in older notes. */
function readId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** Text fields sometimes come as numbers (a numeric SKU, `numero`); both are the same text. */
function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Mainô writes decimals with ".", always ("2.0", "19.90"); `auto` would read "1.000" ambiguously. */
function decimal<T>(parse: () => T, path: string, issues: FieldIssue[]): T | undefined {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof ValidationError ? (error.issues[0]?.message ?? error.message) : String(error);
    issues.push({ path, message });
    return undefined;
  }
}

function quantity(value: unknown, path: string, issues: FieldIssue[], allowNegative = false): QuantityMilli | undefined {
  return decimal(() => parseQuantity(value, { field: path, decimalSeparator: '.', allowNegative }), path, issues);
}

function cents(value: unknown, path: string, issues: FieldIssue[], round = false): number | undefined {
  return decimal(() => parseCents(value, { field: path, decimalSeparator: '.', round }), path, issues);
}

function firstPresent(raw: Raw, fields: readonly string[]): { field: string; value: unknown } | undefined {
  for (const field of fields) {
    if (raw[field] !== undefined && raw[field] !== null) return { field, value: raw[field] };
  }
  return undefined;
}

/** The first of `fields` the entry has, or a "missing" issue naming the first of them (the one Mainô is seen using). */
function present(raw: Raw, fields: readonly string[], at: string, issues: FieldIssue[]): { field: string; value: unknown } | undefined {
  const found = firstPresent(raw, fields);
  if (!found) issues.push({ path: `${at}.${fields[0] ?? '?'}`, message: `missing (looked for ${fields.join(', ')})` });
  return found;
}

/** The external reference an order carries, or why it has none the client can match. */
export function readReference(raw: unknown, path: string, table: Orders): { reference: string | undefined; issue?: FieldIssue } {
  if (!isRecord(raw)) return { reference: undefined, issue: { path, message: `expected an order object, got ${describe(raw)}` } };
  const present = firstPresent(raw, table.referenceFields);
  if (!present) {
    return {
      reference: undefined,
      issue: { path: `${path}.${table.referenceFields[0] ?? 'referencia_externa'}`, message: 'missing: this order cannot be matched to an external reference' },
    };
  }
  const reference = readText(present.value);
  if (reference === undefined) {
    return { reference: undefined, issue: { path: `${path}.${present.field}`, message: `expected text, got ${describe(present.value)}` } };
  }
  return { reference };
}

/** Reads an order field by field; what cannot be read is reported in `unreadable`, never thrown. */
export function readOrder(raw: unknown, path: string, table: Orders): MainoSalesOrder {
  const issues: FieldIssue[] = [];
  const order: Raw = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) issues.push({ path, message: `expected an order object, got ${describe(raw)}` });

  const id = readId(order['id']);
  if (id === undefined) issues.push({ path: `${path}.id`, message: `expected a UUID or numeric id, got ${describe(order['id'])}` });

  const referenceRead = isRecord(raw) ? readReference(raw, path, table) : { reference: undefined };
  // An order without a reference field is an ordinary Mainô order (real answers have none); only a reference field
  // that is there but unreadable is worth reporting when the whole order is read.
  if (referenceRead.issue && !referenceRead.issue.message.startsWith('missing')) issues.push(referenceRead.issue);

  const statusLabel = readOptionalText(order, 'status', path, issues);
  const number = readOptionalText(order, 'numero', path, issues);

  const items = readItems(order['itens'], `${path}.itens`, table, issues);
  const lines = items.flatMap((item) =>
    item.sku !== undefined && item.quantityMilli !== undefined && item.unitPriceCents !== undefined
      ? [{ sku: item.sku, name: item.name ?? item.sku, quantityMilli: item.quantityMilli, unitPriceCents: item.unitPriceCents }]
      : [],
  );
  const total = readTotal(order, path, lines, items.length, issues);
  const tags = readTags(order['tags'], `${path}.tags`, issues);

  return {
    id: id ?? '',
    externalReference: referenceRead.reference ?? '',
    tag: tags[0] ?? '',
    status: statusLabel !== undefined && table.cancelledStatus.test(foldLabel(statusLabel)) ? 'cancelled' : 'open',
    lines,
    totalCents: total.cents,
    number,
    statusLabel,
    items,
    totalSource: total.source,
    unreadable: issues,
  };
}

/** "Pedido Cancelado" and "CANCELADO" read alike: lowercase, without accents. */
export function foldLabel(label: string): string {
  return label.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().toLowerCase();
}

function readOptionalText(order: Raw, field: string, path: string, issues: FieldIssue[]): string | undefined {
  const value = order[field];
  if (value === undefined || value === null) return undefined;
  const text = readText(value);
  if (text === undefined) issues.push({ path: `${path}.${field}`, message: `expected text, got ${describe(value)}` });
  return text;
}

function readItems(value: unknown, path: string, table: Orders, issues: FieldIssue[]): MainoOrderItem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.push({ path, message: `expected a list of items, got ${describe(value)}` });
    return [];
  }
  return value.map((raw, index) => {
    const at = `${path}.${index}`;
    if (!isRecord(raw)) {
      issues.push({ path: at, message: `expected an item object, got ${describe(raw)}` });
      return { sku: undefined, name: undefined, quantityMilli: undefined, unitPriceCents: undefined };
    }
    const sku = readText(raw['codigo']);
    if (sku === undefined || sku.trim() === '') issues.push({ path: `${at}.codigo`, message: `expected the product code, got ${describe(raw['codigo'])}` });
    const quantityField = present(raw, table.quantityFields, at, issues);
    const quantityMilli = quantityField && quantity(quantityField.value, `${at}.${quantityField.field}`, issues);
    const priceField = present(raw, table.unitPriceFields, at, issues);
    const unitPriceCents = priceField && cents(priceField.value, `${at}.${priceField.field}`, issues);
    const name = readText(raw['descricao']);
    return { sku: sku === undefined || sku.trim() === '' ? undefined : sku, name, quantityMilli, unitPriceCents };
  });
}

/**
 * `valor_total` when the order has one (assumed name); otherwise the sum of `cobranca.parcelas[].valor`, which is how
 * the one client that read real orders got their total; otherwise the readable lines, reported as incomplete when
 * some item could not be read.
 */
function readTotal(
  order: Raw,
  path: string,
  lines: readonly { quantityMilli: number; unitPriceCents: number }[],
  itemCount: number,
  issues: FieldIssue[],
): { cents: number; source: MainoSalesOrder['totalSource'] } {
  if (order['valor_total'] !== undefined && order['valor_total'] !== null) {
    const total = cents(order['valor_total'], `${path}.valor_total`, issues, true);
    if (total !== undefined) return { cents: total, source: 'valor_total' };
  }
  const cobranca = order['cobranca'];
  const parcelas = isRecord(cobranca) ? cobranca['parcelas'] : undefined;
  if (Array.isArray(parcelas) && parcelas.length > 0) {
    let sum = 0;
    let readable = true;
    parcelas.forEach((parcela, index) => {
      const at = `${path}.cobranca.parcelas.${index}`;
      const present = isRecord(parcela) ? firstPresent(parcela, ['valor', 'valor_parcela']) : undefined;
      const value = present ? cents(present.value, `${at}.${present.field}`, issues, true) : undefined;
      if (!present) issues.push({ path: `${at}.valor`, message: `missing (looked for valor, valor_parcela)` });
      if (value === undefined) readable = false;
      else sum += value;
    });
    if (readable) return { cents: sum, source: 'parcelas' };
  }
  if (lines.length < itemCount) {
    issues.push({ path: `${path}.valor_total`, message: 'no total could be read; totalCents sums only the items whose price could be read' });
  }
  return { cents: linesTotalCents(lines), source: 'lines' };
}

function readTags(value: unknown, path: string, issues: FieldIssue[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((tag) => tag.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((tag) => (readText(tag) === undefined ? [] : [readText(tag)!]));
  issues.push({ path, message: `expected a list of tags, got ${describe(value)}` });
  return [];
}

/** Line totals rounded half-up per line, the way a fiscal document rounds them. */
export function linesTotalCents(lines: readonly { quantityMilli: number; unitPriceCents: number }[]): number {
  let total = 0;
  for (const line of lines) total += Math.round((line.quantityMilli * line.unitPriceCents) / 1000);
  return total;
}

/**
 * Reads a product and its available stock: on hand less every reserved field (help centre: reserved in sales orders
 * and NF-es, and stored). A missing on-hand total reads as nothing available; a missing reserved field as 0; both are
 * reported. `unmatchable` when the SKU itself is unreadable (the product cannot be matched).
 */
export function readProduct(raw: unknown, path: string, table: Products): MainoProduct | { unmatchable: FieldIssue } {
  if (!isRecord(raw)) return { unmatchable: { path, message: `expected a product object, got ${describe(raw)}` } };
  const sku = readText(raw[table.skuField]);
  if (sku === undefined) return { unmatchable: { path: `${path}.${table.skuField}`, message: `expected the product code, got ${describe(raw[table.skuField])}` } };
  const issues: FieldIssue[] = [];
  const id = readId(raw['id']);
  if (id === undefined) issues.push({ path: `${path}.id`, message: `expected a UUID or numeric id, got ${describe(raw['id'])}` });

  const onHandRaw = raw[table.onHandField];
  const onHandMissing = onHandRaw === undefined || onHandRaw === null;
  if (onHandMissing) issues.push({ path: `${path}.${table.onHandField}`, message: 'missing: nothing is taken as available' });
  const onHandMilli = onHandMissing ? undefined : quantity(onHandRaw, `${path}.${table.onHandField}`, issues, true);
  const reservedMilli: Record<string, QuantityMilli> = {};
  let reserved = 0;
  for (const field of table.reservedFields) {
    const value = raw[field];
    if (value === undefined || value === null) {
      issues.push({ path: `${path}.${field}`, message: 'missing: taken as 0' });
      continue;
    }
    const read = quantity(value, `${path}.${field}`, issues, true);
    if (read !== undefined) {
      reservedMilli[field] = read;
      reserved += read;
    }
  }
  const name = readText(raw['descricao']);
  return {
    id: id ?? '',
    sku,
    name: name ?? sku,
    availableMilli: onHandMilli === undefined ? 0 : onHandMilli - reserved,
    onHandMilli,
    reservedMilli,
    unreadable: issues,
  };
}

/** Reads `{nota_fiscal: {...}}` (already unwrapped); statuses other than the three seen are kept as `unknown`. */
export function readInvoice(raw: unknown, path: string): MainoInvoice {
  const issues: FieldIssue[] = [];
  const invoice: Raw = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) issues.push({ path, message: `expected an invoice object, got ${describe(raw)}` });
  const id = readId(invoice['id']);
  if (id === undefined) issues.push({ path: `${path}.id`, message: `expected a UUID or numeric id, got ${describe(invoice['id'])}` });
  const status = readText(invoice['status']);
  if (status === undefined) issues.push({ path: `${path}.status`, message: `expected text, got ${describe(invoice['status'])}` });
  const danfe = invoice['danfe_url'];
  const danfeUrl = typeof danfe === 'string' && danfe !== '' ? danfe : undefined;
  if (danfe !== undefined && danfe !== null && danfeUrl === undefined) issues.push({ path: `${path}.danfe_url`, message: `expected a URL, got ${describe(danfe)}` });
  return { id, status, state: (status && INVOICE_STATES[status.trim().toUpperCase()]) || 'unknown', danfeUrl, unreadable: issues };
}

/**
 * The answer to our own create: items Mainô sent back without a price (real answers carry none) take the price this
 * client sent for the same SKU and quantity, which is what Mainô stored. Only those issues are dropped.
 */
export function withRequestedPrices(order: MainoSalesOrder, requested: readonly { sku: string; name: string; quantityMilli: number; unitPriceCents: number }[]): MainoSalesOrder {
  const unused = [...requested];
  const filled: string[] = [];
  const items = order.items.map((item, index) => {
    if (item.unitPriceCents !== undefined || item.sku === undefined) return item;
    const at = unused.findIndex((line) => line.sku === item.sku && (item.quantityMilli === undefined || line.quantityMilli === item.quantityMilli));
    if (at < 0) return item;
    const [line] = unused.splice(at, 1);
    filled.push(`.itens.${index}.`);
    return { ...item, name: item.name ?? line!.name, unitPriceCents: line!.unitPriceCents };
  });
  if (filled.length === 0) return order;
  const lines = items.flatMap((item) =>
    item.sku !== undefined && item.quantityMilli !== undefined && item.unitPriceCents !== undefined
      ? [{ sku: item.sku, name: item.name ?? item.sku, quantityMilli: item.quantityMilli, unitPriceCents: item.unitPriceCents }]
      : [],
  );
  const priceFilled = (issue: FieldIssue) => filled.some((marker) => issue.path.includes(marker)) && !/\.(codigo|quantidade|qtde)$/.test(issue.path);
  const complete = lines.length === items.length;
  const unreadable = order.unreadable.filter((issue) => !priceFilled(issue) && !(complete && order.totalSource === 'lines' && issue.path.endsWith('.valor_total')));
  return {
    ...order,
    items,
    lines,
    unreadable,
    totalCents: order.totalSource === 'lines' ? linesTotalCents(lines) : order.totalCents,
  };
}
