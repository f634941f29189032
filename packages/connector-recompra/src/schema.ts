import * as z from 'zod';
import { ValidationError, normalizeTaxId, parseCents, parseQuantity, type PlatformOrderInput } from '@conecta/core';

/**
 * THE field mapping of the connector: the assumed wire shape of one Recompra.aí order and its mapping to the
 * canonical order, in one zod schema. Nothing else in the package reads order fields, so when the vendor's real
 * format is known, replacing this schema (option `schema`) is the whole change.
 */

/** What a mapping produces; the connector adds `raw` itself so every mapping keeps the payload the same way. */
export type RecompraMappedOrder = Omit<PlatformOrderInput, 'raw'>;

/** A replacement for the default mapping: any zod schema from a raw order to a canonical order. */
export type RecompraOrderMapping = z.ZodType<RecompraMappedOrder>;

/**
 * Reads the id and last-change instant of a raw order even when the mapping rejects it, so the rejection is
 * labelled and the polling cursor can still move past it.
 */
export type RecompraOrderIdentify = (raw: unknown) => { externalId?: string; updatedAt?: string };

export interface DecimalFieldOptions {
  /**
   * The assumed API uses "." ("129.90"); a Brazilian-format payload ("129,90") needs ",". Always one of the two:
   * guessing would read "1.234" as 1.234 or as 1234 depending on the value.
   */
  decimalSeparator?: '.' | ',';
}

function decimalField(parse: typeof parseCents, options: DecimalFieldOptions) {
  const decimalSeparator = options.decimalSeparator ?? '.';
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    try {
      // Stryker disable next-line StringLiteral: the parser's field name is dropped below; zod's issue carries the path
      return parse(value, { field: '', decimalSeparator });
    } catch (error) {
      // core's decimal parsers throw only a ValidationError with one issue, whose message quotes the value refused.
      ctx.addIssue((error as ValidationError).issues[0]!.message);
      return z.NEVER;
    }
  });
}

/** Decimal money as a string or JSON number, read exactly into integer cents; for building a `schema` override. */
export const recompraCentsField = (options: DecimalFieldOptions = {}) => decimalField(parseCents, options);

/** Decimal quantity ("0.750", 2) read exactly into integer milli-units; for building a `schema` override. */
export const recompraQuantityField = (options: DecimalFieldOptions = {}) => decimalField(parseQuantity, options);

const cents = recompraCentsField();
const quantity = recompraQuantityField();

const idField = z.union([z.string().min(1), z.int().nonnegative()]).transform(String);
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value ? value : undefined));
/** Normalised to UTC `toISOString()` so instants compare as text and as numbers alike. */
const instantField = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const RecompraWireOrderSchema = z.object({
  id: idField,
  number: idField,
  status: z.string().min(1),
  status_label: optionalText,
  customer: z.object({
    name: z.string(),
    email: optionalText,
    document: optionalText,
    phone: optionalText,
  }),
  items: z
    .array(
      z.object({
        id: idField.nullish(),
        // Blank or absent: the line is imported unmatched (core's `line-unmatched`), never dropped or guessed.
        sku: z.union([z.string(), z.int().nonnegative().transform(String)]).nullish(),
        name: z.string(),
        quantity,
        unit_price: cents,
      }),
    )
    .min(1, 'an order has at least one item'),
  subtotal: cents,
  shipping: cents.nullish(),
  discount: cents.nullish(),
  /** Fees and payment surcharges the customer pays. */
  fees: cents.nullish(),
  tax: cents.nullish(),
  total: cents,
  created_at: instantField,
  updated_at: instantField,
});
export type RecompraWireOrder = z.input<typeof RecompraWireOrderSchema>;

export const RecompraOrderSchema: RecompraOrderMapping = RecompraWireOrderSchema.transform(
  (order): RecompraMappedOrder => ({
    externalId: order.id,
    number: order.number,
    status: order.status,
    statusLabel: order.status_label,
    customer: {
      name: order.customer.name,
      email: order.customer.email,
      // CPF (11 digits) or CNPJ (14 characters, possibly alphanumeric), punctuation stripped by core's normaliser; one
      // that is neither goes on as sent and core drops it with a `field-ignored` warning.
      document: order.customer.document ? (normalizeTaxId(order.customer.document)?.value ?? order.customer.document) : undefined,
      phone: order.customer.phone,
    },
    lines: order.items.map((item) => ({
      lineId: item.id ?? undefined,
      sku: item.sku?.trim() || undefined,
      name: item.name,
      quantityMilli: item.quantity,
      unitPriceCents: item.unit_price,
    })),
    totals: {
      itemsCents: order.subtotal,
      shippingCents: order.shipping ?? 0,
      discountCents: order.discount ?? 0,
      feesCents: order.fees ?? 0,
      taxCents: order.tax ?? 0,
      totalCents: order.total,
    },
    createdAt: order.created_at,
    updatedAt: order.updated_at,
  }),
);

// Each field falls back to absent on its own, so only a payload that is not an object fails as a whole.
const LooseIdentity = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String).optional().catch(undefined),
  updated_at: instantField.optional().catch(undefined),
});

/**
 * Default `identify`: the assumed `id` and `updated_at` fields, read leniently. The instant is read as strictly as
 * the mapping reads it: `Date.parse` would take an impossible date ("2024-02-30T12:00:00Z") for another day, and a
 * rejected order placed before the cursor would be skipped as already read instead of reported.
 */
export const identifyRecompraOrder: RecompraOrderIdentify = (raw) => {
  const parsed = LooseIdentity.safeParse(raw);
  return parsed.success ? { externalId: parsed.data.id, updatedAt: parsed.data.updated_at } : {};
};

/** Polling envelope: `GET {ordersPath}` answers one page of raw orders, sorted by `updated_at` then `id`. */
export const RecompraOrdersPageSchema = z.object({
  orders: z.array(z.unknown()),
  has_more: z.boolean(),
});

/** `GET {ordersPath}/{id}` answers the raw order under `order`. */
export const RecompraOrderEnvelopeSchema = z.object({ order: z.unknown() });

/** Webhook body: an event name and, except for `ping`, the full raw order. */
export const RecompraWebhookBodySchema = z.object({
  event: z.string().min(1),
  order: z.unknown().optional(),
});
