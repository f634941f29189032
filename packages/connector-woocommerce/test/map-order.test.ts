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

  it('imports an order whose product was deleted (sku null), with the line unmatched and a warning naming it', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const connector = connectTo(fake, {
      fetch: async (input, init) => {
        const response = await fake.handle(new Request(input, init));
        const body = (await response.json()) as { line_items: Array<{ sku: string | null }> };
        body.line_items[0]!.sku = null;
        return Response.json(body);
      },
    });
    const order = await connector.getOrder(id!);
    expect(order!.lines[0]!.sku).toBeUndefined();
    expect(order!.lines[0]!.unmatched).toEqual({ reason: 'sku-missing' });
    expect(order!.warnings).toContainEqual(expect.objectContaining({ code: 'line-unmatched', lineIndex: 0 }));
  });
});
