import { describe, expect, it } from 'vitest';
import { PlatformOrderSchema, applyLineMappings, parsePlatformOrder, storedTotals, type PlatformOrderInput } from '../src/index.js';

const T0 = '2026-03-01T10:00:00.000Z';

function input(overrides: Partial<PlatformOrderInput> = {}): PlatformOrderInput {
  return {
    externalId: '727',
    number: '727',
    status: 'processing',
    customer: { name: 'João Silva' },
    lines: [
      { lineId: '315', sku: '', name: 'Woo Single #1', quantityMilli: 2000, unitPriceCents: 300, productRef: { productId: '93' } },
      { lineId: '316', sku: 'VAR-BLK', name: 'Ship Your Idea – Color: Black', quantityMilli: 1000, unitPriceCents: 1200 },
    ],
    totals: { itemsCents: 1800, shippingCents: 1000, discountCents: 0, feesCents: 0, taxCents: 135, totalCents: 2935 },
    createdAt: T0,
    updatedAt: T0,
    raw: {},
    ...overrides,
  };
}

describe('canonical order', () => {
  it('keeps a line without SKU as unmatched, with a line-unmatched warning, instead of refusing the order', () => {
    const order = PlatformOrderSchema.parse(input());
    expect(order.lines[0]).toEqual({ lineId: '315', name: 'Woo Single #1', quantityMilli: 2000, unitPriceCents: 300, productRef: { productId: '93' }, unmatched: { reason: 'sku-missing' } });
    expect(Object.keys(order.lines[0]!)).toEqual(['lineId', 'name', 'quantityMilli', 'unitPriceCents', 'productRef', 'unmatched']);
    expect(order.lines[1]!.sku).toBe('VAR-BLK');
    expect(order.warnings).toEqual([{ code: 'line-unmatched', lineIndex: 0, message: 'line 0 "Woo Single #1" has no SKU: the platform sent no SKU' }]);
  });

  it('keeps the connector reason for an unmatched line and refuses an unmatched line that has a SKU', () => {
    const notFound = PlatformOrderSchema.parse(
      input({ lines: [{ name: 'Camiseta', quantityMilli: 1000, unitPriceCents: 1800, unmatched: { reason: 'sku-not-found', detail: 'variant 12 has no reference' } }] }),
    );
    expect(notFound.lines[0]!.unmatched).toEqual({ reason: 'sku-not-found', detail: 'variant 12 has no reference' });
    expect(notFound.warnings[0]).toMatchObject({ code: 'line-unmatched', lineIndex: 0, message: expect.stringContaining('variant 12 has no reference') });
    const contradictory = PlatformOrderSchema.safeParse(
      input({ lines: [{ sku: 'A', name: 'Camiseta', quantityMilli: 1000, unitPriceCents: 1800, unmatched: { reason: 'sku-missing' } }] }),
    );
    expect(contradictory.success).toBe(false);
    expect(contradictory.error!.issues[0]!.path).toEqual(['lines', 0, 'unmatched']);
  });

  it('adds a totals-mismatch warning with both figures when the breakdown does not add up, and none when it does', () => {
    const balanced = PlatformOrderSchema.parse(input({ lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 1800 }] }));
    expect(balanced.warnings).toEqual([]);
    // Tray's docs example: a payment surcharge the breakdown did not carry.
    const lost = PlatformOrderSchema.parse(
      input({
        lines: [{ sku: 'A', name: 'A', quantityMilli: 1000, unitPriceCents: 1800 }],
        totals: { itemsCents: 1800, shippingCents: 1000, taxCents: 135, totalCents: 2935 + 299695 },
      }),
    );
    expect(lost.totals).toEqual({ itemsCents: 1800, shippingCents: 1000, discountCents: 0, feesCents: 0, taxCents: 135, totalCents: 302630 });
    expect(lost.warnings).toEqual([
      {
        code: 'totals-mismatch',
        expectedCents: 302630,
        computedCents: 2935,
        message: "the platform's total 3026.30 differs from items + shipping + fees + taxes - discounts = 29.35",
      },
    ]);
  });

  it('gives a parsed order back unchanged when it is parsed again (stores and replays re-validate)', () => {
    const once = PlatformOrderSchema.parse(
      input({ customer: { name: 'Ana', document: '12.abc.345/01de-35' }, warnings: [{ code: 'field-ignored', field: 'fee_lines.0.tax_class', message: 'not carried' }], totals: { itemsCents: 1800, totalCents: 1 } }),
    );
    expect(once.warnings.map((warning) => warning.code)).toEqual(['field-ignored', 'line-unmatched', 'totals-mismatch']);
    expect(PlatformOrderSchema.parse(once)).toEqual(once);
  });

  it('normalises the customer document and drops one that is neither CPF nor CNPJ with a field-ignored warning', () => {
    const cnpj = PlatformOrderSchema.parse(input({ customer: { name: 'Loja', document: '12.abc.345/01de-35' } }));
    expect(cnpj.customer.document).toBe('12ABC34501DE35');
    const cpf = PlatformOrderSchema.parse(input({ customer: { name: 'Ana', document: '529.982.247-25' } }));
    expect(cpf.customer.document).toBe('52998224725');
    const corrupted = PlatformOrderSchema.parse(input({ customer: { name: 'Ana', document: '123450135' } }));
    expect(corrupted.customer).toEqual({ name: 'Ana' });
    expect(corrupted.warnings).toContainEqual({
      code: 'field-ignored',
      field: 'customer.document',
      message: 'customer document "123450135" ignored: a CPF has 11 digits and a CNPJ 14 characters, got 9',
    });
    const badDigits = PlatformOrderSchema.parse(input({ customer: { name: 'Ana', document: '12.ABC.345/01DE-36' } }));
    expect(badDigits.warnings).toContainEqual(expect.objectContaining({ field: 'customer.document', message: expect.stringContaining('check digits do not match (expected 35)') }));
  });

  it('parsePlatformOrder returns the warnings with the order, and still rejects a line with a bad quantity naming it', () => {
    const parsed = parsePlatformOrder(input(), (raw) => raw, { platform: 'woocommerce', externalId: '727' });
    expect('order' in parsed && parsed.order.warnings.map((warning) => warning.code)).toEqual(['line-unmatched']);
    const bad = parsePlatformOrder(input({ lines: [{ sku: 'A', name: 'A', quantityMilli: 0, unitPriceCents: 1 }] }), (raw) => raw, { platform: 'woocommerce', externalId: '727' });
    expect('rejected' in bad && bad.rejected.error.path).toBe('lines.0.quantityMilli');
  });

  it('applies a person line mapping to an unmatched line only, dropping its warning', () => {
    const order = PlatformOrderSchema.parse(input());
    const mapped = applyLineMappings(order, [{ lineIndex: 0, sku: 'WOO-1', actor: 'ana', at: T0, unmatched: { reason: 'sku-missing' } }]);
    expect(mapped.lines[0]).toEqual({ lineId: '315', sku: 'WOO-1', name: 'Woo Single #1', quantityMilli: 2000, unitPriceCents: 300, productRef: { productId: '93' } });
    expect(mapped.warnings).toEqual([]);
    const platformFixedIt = applyLineMappings(order, [{ lineIndex: 1, sku: 'OTHER', actor: 'ana', at: T0, unmatched: { reason: 'sku-missing' } }]);
    expect(platformFixedIt).toBe(order);
  });

  it('reads totals stored before the breakdown with fees and taxes at 0', () => {
    expect(storedTotals({ itemsCents: 100, shippingCents: 10, discountCents: 0, totalCents: 110 })).toEqual({
      itemsCents: 100,
      shippingCents: 10,
      discountCents: 0,
      feesCents: 0,
      taxCents: 0,
      totalCents: 110,
    });
  });
});
