import * as z from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformOrderSchema, compiledSchema, parsePlatformOrder, type PlatformOrderInput } from '../src/index.js';

const T0 = '2026-03-01T10:00:00.000Z';

function order(overrides: Record<string, unknown> = {}): PlatformOrderInput {
  return {
    externalId: '727',
    number: '727',
    status: 'processing',
    customer: { name: 'João Silva', document: '529.982.247-25', email: 'joao@example.com' },
    lines: [
      { lineId: '315', sku: '', name: 'Woo Single #1', quantityMilli: 2000, unitPriceCents: 300, productRef: { productId: '93' } },
      { lineId: '316', sku: 'VAR-BLK', name: 'Ship Your Idea', quantityMilli: 1000, unitPriceCents: 1200 },
    ],
    totals: { itemsCents: 1800, shippingCents: 1000, taxCents: 135, totalCents: 2935 },
    warnings: [{ code: 'field-ignored', field: 'refunds', message: 'refund reported' }],
    createdAt: T0,
    updatedAt: T0,
    raw: { id: 727 },
    ...overrides,
  } as PlatformOrderInput;
}

/** Valid orders that exercise the transforms (unmatched lines, document normalisation, core warnings, defaults). */
const valid: Array<[string, unknown]> = [
  ['as given', order()],
  ['a CNPJ with letters, lowercase', order({ customer: { name: 'Loja', document: '12.abc.345/01de-35' } })],
  ['a document that is neither', order({ customer: { name: 'Ana', document: '123' } })],
  ['totals that do not add up', order({ totals: { itemsCents: 1800, totalCents: 1 } })],
  ['no warnings given', order({ warnings: undefined })],
  ['unknown keys dropped', order({ extra: true, customer: { name: 'Ana', nickname: 'A' } })],
];

/** Each breaks one field; the runtime parser's issues are what the compiled one must give. */
const invalid: Array<[string, unknown]> = [
  ['not an object', 'order'],
  ['empty externalId', order({ externalId: '' })],
  ['quantity zero', order({ lines: [{ sku: 'A', name: 'A', quantityMilli: 0, unitPriceCents: 1 }] })],
  ['fractional cents', order({ totals: { itemsCents: 1.5, totalCents: 2 } })],
  ['negative unit price', order({ lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: -1 }] })],
  ['a SKU and unmatched', order({ lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 1, unmatched: { reason: 'sku-missing' } }] })],
  ['unknown unmatched reason', order({ lines: [{ name: 'A', quantityMilli: 1000, unitPriceCents: 1, unmatched: { reason: 'lost' } }] })],
  ['not an instant', order({ createdAt: '2026-03-01 10:00' })],
  ['unknown warning code', order({ warnings: [{ code: 'other', message: 'x' }] })],
  ['two fields at once', order({ number: 7, customer: { name: 1 } })],
];

describe('compiledSchema', () => {
  const compiled = compiledSchema(PlatformOrderSchema);

  it.each(valid)('gives what the schema gives, key order included: %s', (_label, input) => {
    const expected = PlatformOrderSchema.safeParse(structuredClone(input));
    const actual = compiled.safeParse(structuredClone(input));
    expect(expected.success).toBe(true);
    expect(actual.success).toBe(true);
    expect(JSON.stringify(actual.data)).toBe(JSON.stringify(expected.data));
  });

  it.each(invalid)('refuses with the issues the schema gives: %s', (_label, input) => {
    const expected = PlatformOrderSchema.safeParse(structuredClone(input));
    const actual = compiled.safeParse(structuredClone(input));
    expect(expected.success).toBe(false);
    expect(actual.success).toBe(false);
    expect(actual.error!.issues).toEqual(expected.error!.issues);
  });

  it('validate answers what safeParse would, without the parsed value', () => {
    for (const [, input] of [...valid, ...invalid]) expect(compiled.validate(structuredClone(input))).toBe(PlatformOrderSchema.safeParse(structuredClone(input)).success);
  });

  it('parsePlatformOrder still rejects with the field named and keeps the raw payload', () => {
    const result = parsePlatformOrder({ id: 9 }, () => order({ lines: [{ sku: 'A', name: 'A', quantityMilli: 0, unitPriceCents: 1 }] }), { platform: 'woocommerce', externalId: '9' });
    expect('rejected' in result && result.rejected.error.issues.map((issue) => issue.path)).toEqual(['lines.0.quantityMilli']);
    expect('rejected' in result && result.rejected.raw).toEqual({ id: 9 });
  });

  describe('under z.config({ jitless: true })', () => {
    afterEach(() => {
      z.config({ jitless: false });
    });

    it('generates no code (no new Function) and parses with the schema itself', () => {
      const generated = countGeneratedFunctions(() => {
        z.config({ jitless: true });
        const schema = compiledSchema(z.object({ a: z.string(), b: z.array(z.number().int()) }));
        expect(schema.safeParse({ a: 'x', b: [1, 2] })).toEqual({ success: true, data: { a: 'x', b: [1, 2] } });
        expect(schema.safeParse({ a: 'x', b: [1.5] }).error!.issues[0]!.path).toEqual(['b', 0]);
        expect([schema.validate({ a: 'x', b: [1] }), schema.validate({ a: 'x', b: [1.5] })]).toEqual([true, false]);
      });
      expect(generated).toBe(0);
      // The same schema without jitless compiles on its first parse: the count above can see code generation.
      const compiledAfter = countGeneratedFunctions(() => {
        z.config({ jitless: false });
        compiledSchema(z.object({ a: z.string() })).safeParse({ a: 'x' });
      });
      expect(compiledAfter).toBeGreaterThan(0);
    });
  });
});

/** Counts `new Function(...)` calls made while `run` runs (zod builds its compiled parsers that way). */
function countGeneratedFunctions(run: () => void): number {
  const original = globalThis.Function;
  let count = 0;
  globalThis.Function = new Proxy(original, {
    construct(target, args) {
      count += 1;
      return Reflect.construct(target, args);
    },
  });
  try {
    run();
  } finally {
    globalThis.Function = original;
  }
  return count;
}
