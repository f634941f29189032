import * as z from 'zod';
import type { OrderIntakeState } from './status-dictionary.js';

const cents = z.int().describe('integer cents');
const quantityMilli = z.int().positive().describe('thousandths of a unit');

export const CustomerSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  /** CPF or CNPJ, digits only. */
  document: z.string().optional(),
  phone: z.string().optional(),
});
export type Customer = z.output<typeof CustomerSchema>;

export const OrderLineSchema = z.object({
  /** The platform's id of the line, when it has one. */
  lineId: z.string().optional(),
  sku: z.string().min(1, 'SKU is empty: the product cannot be matched in Mainô'),
  name: z.string(),
  quantityMilli,
  unitPriceCents: cents.nonnegative(),
});
export type OrderLine = z.output<typeof OrderLineSchema>;

export const OrderTotalsSchema = z.object({
  itemsCents: cents,
  shippingCents: cents.default(0),
  discountCents: cents.default(0),
  totalCents: cents,
});
export type OrderTotals = z.output<typeof OrderTotalsSchema>;

const instant = z.iso.datetime({ offset: true }).describe('ISO-8601 instant');

/**
 * The canonical order a connector emits: platform data only, before any integration's status dictionary is applied.
 * `raw` keeps the platform payload as received (secrets redacted), for people to inspect.
 */
export const PlatformOrderSchema = z.object({
  externalId: z.string().min(1),
  number: z.string().min(1),
  /** The platform's status as it spells it (a code where the platform has codes). */
  status: z.string().min(1),
  statusLabel: z.string().optional(),
  customer: CustomerSchema,
  lines: z.array(OrderLineSchema),
  totals: OrderTotalsSchema,
  createdAt: instant,
  updatedAt: instant,
  raw: z.unknown(),
});
export type PlatformOrder = z.output<typeof PlatformOrderSchema>;
export type PlatformOrderInput = z.input<typeof PlatformOrderSchema>;

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
}

export function orderId(integrationId: string, externalId: string): string {
  return `${integrationId}:${externalId}`;
}
