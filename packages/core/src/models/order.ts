import * as z from 'zod';
import { formatCents } from '../money/money.js';
import { normalizeTaxId, taxIdProblem } from './cnpj.js';
import type { OrderIntakeState } from './status-dictionary.js';

const cents = z.int().describe('integer cents');
const quantityMilli = z.int().positive().describe('thousandths of a unit');

export const CustomerSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  /**
   * CPF as 11 digits, or CNPJ as 14 characters (12 of 0-9A-Z, then 2 digits), uppercase, punctuation stripped.
   * A platform's formatted document is normalised; one that is neither is dropped with a `field-ignored` warning.
   */
  document: z.string().optional(),
  phone: z.string().optional(),
});
export type Customer = z.output<typeof CustomerSchema>;

export const UNMATCHED_REASONS = ['sku-missing', 'sku-not-found'] as const;
export type UnmatchedReason = (typeof UNMATCHED_REASONS)[number];

export const ProductRefSchema = z.object({
  productId: z.string().min(1).optional(),
  variantId: z.string().min(1).optional(),
});
export type ProductRef = z.output<typeof ProductRefSchema>;

export const UnmatchedLineSchema = z.object({
  /** sku-missing: the platform sent no SKU; sku-not-found: the connector looked the product up and found none. */
  reason: z.enum(UNMATCHED_REASONS),
  detail: z.string().optional(),
});
export type UnmatchedLine = z.output<typeof UnmatchedLineSchema>;

export const OrderLineSchema = z
  .object({
    /** The platform's id of the line, when it has one. */
    lineId: z.string().optional(),
    /** Absent when the line could not be matched to a SKU (a blank SKU counts as absent). */
    sku: z.string().optional(),
    name: z.string(),
    quantityMilli,
    unitPriceCents: cents.nonnegative(),
    /** The platform's ids for the product and variant, as strings. */
    productRef: ProductRefSchema.optional(),
    /** Present exactly when `sku` is absent: why the line has no SKU. */
    unmatched: UnmatchedLineSchema.optional(),
  })
  .transform((line, context) => {
    if (line.sku !== undefined && line.sku.trim() !== '') {
      if (line.unmatched) {
        context.addIssue({ code: 'custom', path: ['unmatched'], message: 'a line with a SKU cannot be unmatched' });
        return z.NEVER;
      }
      return line;
    }
    // Rebuilt key by key so the output keeps the schema's key order (expected fixtures compare it).
    const { sku: _blank, productRef, unmatched, ...rest } = line;
    return {
      ...rest,
      ...(productRef ? { productRef } : {}),
      unmatched: unmatched ?? { reason: 'sku-missing' as const },
    };
  });
export type OrderLine = z.output<typeof OrderLineSchema>;

export const OrderTotalsSchema = z.object({
  itemsCents: cents,
  shippingCents: cents.default(0),
  discountCents: cents.default(0),
  /** Fees and payment surcharges the customer pays (e.g. Tray's `payment_method_rate`, WooCommerce `fee_lines`). */
  feesCents: cents.default(0),
  taxCents: cents.default(0),
  totalCents: cents,
});
export type OrderTotals = z.output<typeof OrderTotalsSchema>;

/**
 * Something a person should know about an order that did not stop it being imported. Warnings travel with the order
 * as data, so the pipeline, the dashboard and a partner's code all see them.
 */
export const OrderWarningSchema = z.discriminatedUnion('code', [
  z.object({
    /** The breakdown does not add up: `expectedCents` is the platform's total, `computedCents` is
     *  items + shipping + fees + taxes - discounts. */
    code: z.literal('totals-mismatch'),
    expectedCents: cents,
    computedCents: cents,
    message: z.string(),
  }),
  z.object({
    /** The line at `lineIndex` (from 0) has no SKU: it gets no movement until a person maps it. */
    code: z.literal('line-unmatched'),
    lineIndex: z.int().nonnegative(),
    message: z.string(),
  }),
  z.object({
    /** A platform field the connector (or core) could not use, e.g. a customer document that is not a CPF nor a CNPJ. */
    code: z.literal('field-ignored'),
    field: z.string().min(1),
    message: z.string(),
  }),
]);
export type OrderWarning = z.output<typeof OrderWarningSchema>;
export type OrderWarningCode = OrderWarning['code'];

const instant = z.iso.datetime({ offset: true }).describe('ISO-8601 instant');
/**
 * The instant schema's own pattern, for the plain reading of orders (plain-order.ts); one that never matches, should a
 * zod version not expose it, sends every order to the schema.
 */
export const INSTANT_PATTERN: RegExp = instant._zod.def.pattern ?? /(?!)/;

const PlatformOrderObject = z.object({
  externalId: z.string().min(1),
  number: z.string().min(1),
  /** The platform's status as it spells it (a code where the platform has codes). */
  status: z.string().min(1),
  statusLabel: z.string().optional(),
  customer: CustomerSchema,
  lines: z.array(OrderLineSchema),
  totals: OrderTotalsSchema,
  /** Connectors may add `field-ignored` warnings; core adds `totals-mismatch` and `line-unmatched` itself. */
  warnings: z.array(OrderWarningSchema).default([]),
  createdAt: instant,
  updatedAt: instant,
  raw: z.unknown(),
});

/**
 * The canonical order a connector emits: platform data only, before any integration's status dictionary is applied.
 * `raw` keeps the platform payload as received (secrets redacted), for people to inspect.
 *
 * Parsing also normalises the customer document and computes the warnings core owns (`line-unmatched` per line
 * without SKU, `totals-mismatch` when the breakdown does not add up); parsing a parsed order again gives it back
 * unchanged.
 */
export const PlatformOrderSchema = PlatformOrderObject.transform((order) => withCoreWarnings(order));
export type PlatformOrder = z.output<typeof PlatformOrderObject>;
export type PlatformOrderInput = z.input<typeof PlatformOrderObject>;

/**
 * Totals as a store kept them: orders stored before fees and taxes were part of the breakdown read them as 0 (they
 * were not carried then), in the schema's key order.
 */
export function storedTotals(totals: Partial<OrderTotals> & Pick<OrderTotals, 'itemsCents' | 'totalCents'>): OrderTotals {
  return {
    itemsCents: totals.itemsCents,
    shippingCents: totals.shippingCents ?? 0,
    discountCents: totals.discountCents ?? 0,
    feesCents: totals.feesCents ?? 0,
    taxCents: totals.taxCents ?? 0,
    totalCents: totals.totalCents,
  };
}

/** Lines with no SKU (neither the platform's nor a person's). */
export function unmatchedLineCount(lines: ReadonlyArray<{ sku?: string }>): number {
  let count = 0;
  for (const line of lines) if (line.sku === undefined) count += 1;
  return count;
}

/** items + shipping + fees + taxes - discounts. */
export function computedTotalCents(totals: OrderTotals): number {
  return totals.itemsCents + totals.shippingCents + totals.feesCents + totals.taxCents - totals.discountCents;
}

/** The warnings core derives from the order itself; connectors' own warnings are kept before them. */
const CORE_CODES: ReadonlySet<OrderWarningCode> = new Set(['totals-mismatch', 'line-unmatched']);

function withCoreWarnings(order: PlatformOrder): PlatformOrder {
  const warnings = order.warnings.filter((warning) => !isCoreWarning(warning));
  const customer = addCoreWarnings(order.customer, order.lines, order.totals, warnings);
  return { ...order, customer, warnings };
}

/** A warning core derives itself, so it is recomputed rather than kept from a connector or an earlier parse. */
export function isCoreWarning(warning: OrderWarning): boolean {
  return CORE_CODES.has(warning.code);
}

/**
 * Appends to `warnings` (the connector's own, core's removed) the warnings core derives from the order, and returns the
 * customer with its document normalised, or without it (and a warning) when it is neither a CPF nor a CNPJ.
 */
export function addCoreWarnings(customer: Customer, lines: readonly OrderLine[], totals: OrderTotals, warnings: OrderWarning[]): Customer {
  const document = customer.document;
  if (document !== undefined) {
    const taxId = normalizeTaxId(document);
    if (taxId) {
      // A connector usually hands the document over normalised already: the customer is then kept as it is.
      if (taxId.value !== document) customer = { ...customer, document: taxId.value };
    } else {
      const { document: _dropped, ...rest } = customer;
      customer = rest;
      if (document.trim() !== '') {
        warnings.push({
          code: 'field-ignored',
          field: 'customer.document',
          message: `customer document "${document}" ignored: ${taxIdProblem(document)}`,
        });
      }
    }
  }
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex += 1) {
    const line = lines[lineIndex]!;
    if (line.unmatched) warnings.push(lineUnmatchedWarning(lineIndex, line));
  }
  const computed = computedTotalCents(totals);
  if (computed !== totals.totalCents) {
    warnings.push({
      code: 'totals-mismatch',
      expectedCents: totals.totalCents,
      computedCents: computed,
      message: `the platform's total ${formatCents(totals.totalCents)} differs from items + shipping + fees + taxes - discounts = ${formatCents(computed)}`,
    });
  }
  return customer;
}

export function lineUnmatchedWarning(lineIndex: number, line: Pick<OrderLine, 'name' | 'unmatched'>): OrderWarning {
  const why = line.unmatched?.reason === 'sku-not-found' ? 'no product with its reference was found' : 'the platform sent no SKU';
  const detail = line.unmatched?.detail ? ` (${line.unmatched.detail})` : '';
  return { code: 'line-unmatched', lineIndex, message: `line ${lineIndex} "${line.name}" has no SKU: ${why}${detail}` };
}

/** A person's choice of SKU for a line the platform sent without one. */
export interface LineMapping {
  lineIndex: number;
  sku: string;
  /** Who mapped it (a user id). */
  actor: string;
  at: string;
  /** Why the line was unmatched before the mapping. */
  unmatched: UnmatchedLine;
}

/** An order as the SDK keeps it: the platform order, its integration, and the state the dictionary gave it. */
export interface Order extends PlatformOrder {
  /** Internal id: `${integrationId}:${externalId}`. */
  id: string;
  integrationId: string;
  intakeState: OrderIntakeState;
  /** First time the SDK stored the order (ISO instant). */
  importedAt: string;
  /** Bumped on every stored change; used for optimistic concurrency. */
  version: number;
  /** Lines a person mapped to a SKU (already applied to `lines`), oldest first: the audit of those choices. */
  lineMappings?: LineMapping[];
  /**
   * When an allocation last fell short and left the order without movements (a held order), as stores with `markHeld`
   * record it; kept across new versions of the order.
   */
  heldAt?: string;
}

/** The distinct SKUs of the order's matched lines, in line order. */
export function matchedSkus(lines: ReadonlyArray<{ sku?: string }>): string[] {
  const skus = new Set<string>();
  for (const line of lines) if (line.sku !== undefined) skus.add(line.sku);
  return [...skus];
}

/** Lines that have a SKU (the platform's or a person's mapping). */
export function matchedLines<T extends { sku?: string }>(lines: readonly T[]): Array<T & { sku: string }> {
  return lines.filter((line): line is T & { sku: string } => line.sku !== undefined);
}

export function orderId(integrationId: string, externalId: string): string {
  return `${integrationId}:${externalId}`;
}

/**
 * Applies people's line mappings to a platform order: a mapped line that is still unmatched gets the chosen SKU and
 * loses its `line-unmatched` warning. A line the platform now sends with a SKU keeps the platform's SKU.
 */
export function applyLineMappings<T extends PlatformOrder>(order: T, mappings: readonly LineMapping[] | undefined): T {
  if (!mappings || mappings.length === 0) return order;
  const latest = new Map(mappings.map((mapping) => [mapping.lineIndex, mapping]));
  let changed = false;
  const lines = order.lines.map((line, lineIndex) => {
    const mapping = latest.get(lineIndex);
    if (!mapping || !line.unmatched) return line;
    changed = true;
    const { unmatched: _unmatched, productRef, ...rest } = line;
    const { lineId, name, quantityMilli, unitPriceCents } = rest;
    return { ...(lineId !== undefined ? { lineId } : {}), sku: mapping.sku, name, quantityMilli, unitPriceCents, ...(productRef ? { productRef } : {}) };
  });
  if (!changed) return order;
  const warnings = order.warnings.filter((warning) => warning.code !== 'line-unmatched' || lines[warning.lineIndex]?.unmatched !== undefined);
  return { ...order, lines, warnings };
}
