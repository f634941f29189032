import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlatformOrderSchema, normalizeTaxId, parsePlatformOrder, type PlatformOrderInput } from '../src/index.js';
import { plainPlatformOrder } from '../src/models/plain-order.js';

/** Deep equality with key order: the schema's output keeps its key order, and stored fixtures compare it. */
function expectSameOrder(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  const keys = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(keys) : value && typeof value === 'object' ? Object.entries(value).map(([key, inner]) => [key, keys(inner)]) : typeof value;
  expect(keys(actual)).toEqual(keys(expected));
}

const ABSENT = Symbol('absent');
/** A record from entries whose value may be ABSENT (key left out); `undefined` is kept as a present key. */
const record = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== ABSENT));

const notString = fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant({}));
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', ' ', 'A', 'Camiseta', ' SKU-1 '));
/** Absent, present as undefined, a string, or something else. */
const optionalText = fc.oneof({ weight: 3, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: text }, { weight: 1, arbitrary: notString });
const requiredText = fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: notString });
const integer = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5000, max: 500_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER) },
  { weight: 1, arbitrary: fc.oneof(fc.constant('100'), fc.constant(null), fc.constant(ABSENT), fc.constant(undefined)) },
);
const documents = fc.constantFrom(ABSENT, undefined, '529.982.247-25', '52998224725', '11.222.333/0001-81', '12.abc.345/01de-35', '52998224726', '123', '  ', '', 7);

const productRef = fc.oneof(
  fc.constant(ABSENT),
  fc.constant(undefined),
  fc.constant(null),
  fc.record({ productId: fc.oneof(fc.constant(ABSENT), fc.constant(undefined), fc.constantFrom('93', '', 'x'), notString), variantId: fc.oneof(fc.constant(ABSENT), fc.constant(undefined), fc.constantFrom('12', ''), notString) }).map(record),
);
const unmatched = fc.oneof(
  { weight: 4, arbitrary: fc.constant(ABSENT) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('sku-missing') },
  { weight: 3, arbitrary: fc.record({ reason: fc.constantFrom('sku-missing', 'sku-not-found', 'other', ABSENT), detail: optionalText }).map(record) },
);
const line = fc
  .record({ lineId: optionalText, sku: optionalText, name: requiredText, quantityMilli: integer, unitPriceCents: integer, productRef, unmatched, extra: fc.constantFrom(ABSENT, 'ignored') })
  .map(record);

const warning = fc.oneof(
  fc.record({ code: fc.constant('field-ignored'), field: requiredText, message: requiredText }).map(record),
  fc.record({ code: fc.constant('line-unmatched'), lineIndex: integer, message: requiredText }).map(record),
  fc.record({ code: fc.constant('totals-mismatch'), expectedCents: integer, computedCents: integer, message: requiredText }).map(record),
  fc.record({ code: fc.constantFrom('other', ABSENT), message: text }).map(record),
  fc.constantFrom(null, 'field-ignored', undefined),
);

const instant = fc.oneof(
  { weight: 6, arbitrary: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('2024-02-29T10:00:00Z', '2023-02-29T10:00:00.000Z', '2024-05-01T12:00:03-03:00', '2024-05-01T12:00:03', '2024-05-01 12:00:03Z', '', ABSENT, 0) },
);

const order = fc
  .record({
    externalId: requiredText,
    number: requiredText,
    status: requiredText,
    statusLabel: optionalText,
    customer: fc.oneof(
      { weight: 8, arbitrary: fc.record({ name: requiredText, email: optionalText, document: documents, phone: optionalText }).map(record) },
      { weight: 1, arbitrary: fc.constantFrom(null, ABSENT, 'João') },
    ),
    lines: fc.oneof({ weight: 8, arbitrary: fc.array(line, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(null, ABSENT, {}) }),
    totals: fc.oneof(
      {
        weight: 8,
        arbitrary: fc
          .record({ itemsCents: integer, shippingCents: integer, discountCents: integer, feesCents: integer, taxCents: integer, totalCents: integer })
          .map(record),
      },
      { weight: 1, arbitrary: fc.constantFrom(null, ABSENT) },
    ),
    warnings: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(ABSENT, undefined, null) }, { weight: 5, arbitrary: fc.array(warning, { maxLength: 3 }) }),
    createdAt: instant,
    updatedAt: instant,
    raw: fc.constantFrom(ABSENT, undefined, { id: 1 }, null),
    extra: fc.constantFrom(ABSENT, 'ignored'),
  })
  .map(record);

/** Biased towards what the schema accepts, so both branches are exercised: most fields drawn from their valid forms. */
const plainOrder = fc
  .record({
    externalId: fc.constantFrom('727', '1'),
    number: fc.constantFrom('727', 'A-1'),
    status: fc.constantFrom('processing', 'on-hold'),
    statusLabel: fc.constantFrom(ABSENT, 'Processando'),
    customer: fc.record({ name: fc.string({ maxLength: 5 }), email: fc.constantFrom(ABSENT, 'a@b.c'), document: documents, phone: fc.constantFrom(ABSENT, '11 99999-0000') }).map(record),
    lines: fc.array(
      fc
        .record({
          lineId: fc.constantFrom(ABSENT, '315'),
          sku: fc.constantFrom(ABSENT, '', '  ', 'SKU-1'),
          name: fc.constantFrom('Camiseta', 'Caneca &amp; pires'),
          quantityMilli: fc.integer({ min: 1, max: 10_000 }),
          unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
          productRef: fc.constantFrom(ABSENT, { productId: '93' }, { productId: '93', variantId: '12' }, { variantId: '12' }, {}),
          unmatched: fc.constantFrom(ABSENT, ABSENT, { reason: 'sku-not-found', detail: 'the product was deleted' }, { reason: 'sku-missing' }),
        })
        .map(record),
      { maxLength: 4 },
    ),
    totals: fc.record({ itemsCents: fc.integer({ min: 0, max: 10_000 }), shippingCents: fc.constantFrom(ABSENT, 0, 1000), discountCents: fc.constantFrom(ABSENT, 0, 500), feesCents: fc.constantFrom(ABSENT, -100), taxCents: fc.constantFrom(ABSENT, 135), totalCents: fc.integer({ min: 0, max: 12_000 }) }).map(record),
    warnings: fc.oneof(fc.constant(ABSENT), fc.array(warning, { maxLength: 2 })),
    createdAt: instant,
    updatedAt: instant,
    raw: fc.constantFrom({ id: 727 }, null, undefined),
  })
  .map(record);

describe('plain reading of platform orders (the fast path of parsePlatformOrder)', () => {
  it('gives exactly the schema output, keys and their order included, and never accepts what the schema refuses', () => {
    let read = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(order, plainOrder), (input) => {
        // The core warnings may throw (a total past the safe integers cannot be formatted): then both throw alike.
        const outcome = <T,>(read: () => T): T | { threw: string } => {
          try {
            return read();
          } catch (error) {
            return { threw: String(error) };
          }
        };
        const plain = outcome(() => plainPlatformOrder(input));
        const schema = outcome(() => PlatformOrderSchema.safeParse(input));
        // Undefined sends the input to the schema, whatever it answers.
        if (plain !== undefined && ('threw' in schema || 'threw' in plain)) {
          expect(plain).toEqual(schema);
          return;
        }
        if ('threw' in schema) return;
        if (!schema.success) {
          refused += 1;
          expect(plain).toBeUndefined();
        } else if (plain !== undefined) {
          read += 1;
          expectSameOrder(plain, schema.data);
        }
      }),
      { numRuns: 2500 },
    );
    // Both branches ran many times: the property is not vacuous.
    expect(read).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  }, 60_000);

  it('reads the orders connectors build, and parsePlatformOrder gives the schema output for them', () => {
    const input: PlatformOrderInput = {
      externalId: '727',
      number: '727',
      status: 'processing',
      statusLabel: 'Processando',
      customer: { name: 'João Silva', email: 'joao@example.com', document: '529.982.247-25' },
      lines: [
        { lineId: '315', name: 'Woo Single #1', quantityMilli: 2000, unitPriceCents: 300, productRef: { productId: '93' }, unmatched: { reason: 'sku-missing', detail: 'WooCommerce sent the line without SKU' } },
        { lineId: '316', sku: 'VAR-BLK', name: 'Ship Your Idea', quantityMilli: 1000, unitPriceCents: 1200, productRef: { productId: '22', variantId: '23' } },
      ],
      totals: { itemsCents: 1800, shippingCents: 1000, discountCents: 0, feesCents: 0, taxCents: 135, totalCents: 2000 },
      warnings: [{ code: 'field-ignored', field: 'refunds', message: 'WooCommerce reports R$ 1,00 refunded' }],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:05:00.000Z',
      raw: { id: 727, consumer_secret: 'cs_live_0123456789abcdef' },
    };
    const plain = plainPlatformOrder(input);
    expect(plain).toBeDefined();
    const schema = PlatformOrderSchema.parse(input);
    expectSameOrder(plain, schema);
    expect(schema.customer.document).toBe('52998224725');
    expect(schema.warnings.map((warning) => warning.code)).toEqual(['field-ignored', 'line-unmatched', 'totals-mismatch']);
    const parsed = parsePlatformOrder(input, (raw) => raw, { platform: 'woocommerce', externalId: '727' });
    expect('order' in parsed && parsed.order).toStrictEqual({ ...schema, raw: { id: 727, consumer_secret: '[REDACTED]' } });
  });

  it('leaves to the schema a line with a SKU that says it is unmatched, so the issue names the field', () => {
    const input = {
      externalId: '1',
      number: '1',
      status: 'processing',
      customer: { name: 'A' },
      lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 100, unmatched: { reason: 'sku-missing' } }],
      totals: { itemsCents: 100, totalCents: 100 },
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      raw: {},
    };
    expect(plainPlatformOrder(input)).toBeUndefined();
    const parsed = parsePlatformOrder(input, (raw) => raw, { platform: 'woocommerce', externalId: '1' });
    expect('rejected' in parsed && parsed.rejected.error.issues[0]?.path).toBe('lines.0.unmatched');
  });
});

describe('normalizeTaxId keeps its last answer', () => {
  it('answers a repeated document as the first time, with an object of its own', () => {
    const first = normalizeTaxId('529.982.247-25')!;
    first.value = 'changed by the caller';
    expect(normalizeTaxId('529.982.247-25')).toEqual({ kind: 'cpf', value: '52998224725' });
    expect(normalizeTaxId('11.222.333/0001-81')).toEqual({ kind: 'cnpj', value: '11222333000181' });
    expect(normalizeTaxId('52998224726')).toBeUndefined();
    expect(normalizeTaxId('52998224726')).toBeUndefined();
    expect(normalizeTaxId('529.982.247-25')).toEqual({ kind: 'cpf', value: '52998224725' });
  });
});
