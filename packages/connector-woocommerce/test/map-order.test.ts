import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

describe('order mapping', () => {
  it('reads GMT dates without a Z as UTC, prices before coupons, and the CPF digits', async () => {
    const fake = createWooCommerceFake({ orderNumberOffset: 70 });
    const ids = fake.seedOrders(3); // the third order (id 1003) carries a R$ 5,00 coupon
    const order = (await connectTo(fake).getOrder(ids[2]!))!;
    expect(order.number).toBe('1073');
    expect(order.updatedAt).toBe('2024-05-01T12:00:01.000Z');
    expect(order.customer.document).toBe('12345678909');
    expect(order.totals).toEqual({ itemsCents: 2 * 7990 + 2 * 1999, shippingCents: 1590, discountCents: 500, feesCents: 0, taxCents: 0, totalCents: 2 * 7990 + 2 * 1999 - 500 + 1590 });
    expect(order.lines[0]).toMatchObject({ sku: 'WOO-3', quantityMilli: 2000, unitPriceCents: 7990 });
  });

  it('imports an order whose product was deleted (sku null, product_id 0) with that line unmatched, naming why', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const connector = connectTo(fake, {
      fetch: async (input, init) => {
        const response = await fake.handle(new Request(input, init));
        const body = (await response.json()) as { line_items: Array<{ sku: string | null; product_id: number }> };
        Object.assign(body.line_items[0]!, { sku: null, product_id: 0 });
        return Response.json(body);
      },
    });
    const order = (await connector.getOrder(id!))!;
    expect(order.lines[0]).toMatchObject({ unmatched: { reason: 'sku-not-found', detail: 'the product was deleted from the store (product_id 0)' } });
    expect(order.lines[0]!.sku).toBeUndefined();
    expect(order.warnings).toContainEqual(expect.objectContaining({ code: 'line-unmatched', lineIndex: 0 }));
  });

  it('carries taxes and fees in the breakdown, and decodes HTML entities in names', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(35);
    const connector = connectTo(fake);
    const withFee = (await connector.getOrder(ids[4]!))!; // id 1005: a fee line of 2.50
    expect(withFee.totals.feesCents).toBe(250);
    const withTax = (await connector.getOrder(ids[0]!))!; // id 1001: ICMS 8.99
    expect(withTax.totals.taxCents).toBe(899);
    for (const order of [withFee, withTax]) expect(order.warnings.filter((warning) => warning.code === 'totals-mismatch')).toEqual([]);
    expect(withTax.lines[1]!.name).toBe('Caneca – Cor 1');
  });

  it('reads a negative fee line (a Pix discount given as a fee) into the breakdown', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const connector = connectTo(fake, {
      fetch: async (input, init) => {
        const response = await fake.handle(new Request(input, init));
        const body = (await response.json()) as { total: string; fee_lines: unknown[] };
        body.fee_lines = [{ id: 9, name: 'Desconto Pix', total: '-5.00', total_tax: '0.00' }];
        body.total = (Number(body.total) - 5).toFixed(2);
        return Response.json(body);
      },
    });
    const order = (await connector.getOrder(id!))!;
    expect(order.totals.feesCents).toBe(-500);
    expect(order.warnings.filter((warning) => warning.code === 'totals-mismatch')).toEqual([]);
  });
});
