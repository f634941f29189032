import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, formatCents, formatQuantity } from '@conecta/core';
import { createTrayConnector, mapTrayOrder } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

function rawOrder(overrides: Record<string, unknown> = {}, items: Array<Record<string, unknown>> = [{ reference: 'SKU-1', quantity: '1', price: '10.00' }]) {
  return {
    id: '77',
    status: 'A ENVIAR',
    date: '2024-05-01',
    hour: '13:45:00',
    modified: '2024-05-01 14:00:05',
    partial_total: '10.00',
    shipment_value: '0.00',
    discount: '0.00',
    total: '10.00',
    Customer: { name: 'Ana', email: 'ana@example.com', cpf: '123.456.789-09', cellphone: '(11) 98765-4321' },
    ProductsSold: items.map((item, index) => ({ ProductsSold: { id: String(index + 1), name: 'Item', ...item } })),
    ...overrides,
  };
}

describe('tray order mapping', () => {
  it('reads all-string decimals to exact cents and milli-units', async () => {
    const fake = createTrayFake();
    const id = fake.addOrder(
      [
        { reference: 'KG-1', quantity: '1.5', price: '27027.60' },
        { reference: 'KG-2', quantity: '0.333', price: '0.10' },
        { reference: 'UN-1', quantity: '1.000', price: '0.20' },
        { reference: 'UN-2', quantity: '12', price: '59900.00' },
      ],
      { shipping: '15.90', discount: '899.75', partialTotal: '759341.50', total: '758457.65' },
    );
    const order = await createTrayConnector(connectorOptions(fake)).getOrder(id);
    expect(order!.lines.map(({ sku, quantityMilli, unitPriceCents }) => [sku, quantityMilli, unitPriceCents])).toEqual([
      ['KG-1', 1500, 2702760],
      ['KG-2', 333, 10],
      // "1.000" is one unit with three decimals, never a thousand units.
      ['UN-1', 1000, 20],
      ['UN-2', 12000, 5990000],
    ]);
    expect(order!.totals).toEqual({ itemsCents: 75934150, shippingCents: 1590, discountCents: 89975, feesCents: 0, taxCents: 0, totalCents: 75845765 });
  });

  it('turns Tray local times into instants (America/Sao_Paulo) and the id into the number', () => {
    const mapped = mapTrayOrder(rawOrder(), 'America/Sao_Paulo');
    expect(mapped.createdAt).toBe('2024-05-01T16:45:00.000Z');
    expect(mapped.updatedAt).toBe('2024-05-01T17:00:05.000Z');
    expect(mapped.number).toBe('77');
    expect(mapped.customer).toEqual({ name: 'Ana', email: 'ana@example.com', document: '12345678909', phone: '(11) 98765-4321' });
  });

  it('falls back to `modified` when the order date is Tray zero date', () => {
    const mapped = mapTrayOrder(rawOrder({ date: '0000-00-00', hour: '' }), 'America/Sao_Paulo');
    expect(mapped.createdAt).toBe(mapped.updatedAt);
  });

  it.each([
    ['a third decimal place on a price', { price: '10.999' }, 'ProductsSold.0.price'],
    ['a price with a currency symbol', { price: 'R$ 10,00' }, 'ProductsSold.0.price'],
    ['a quantity with four decimal places', { quantity: '1.0005' }, 'ProductsSold.0.quantity'],
  ])('rejects %s, naming the field', (_title, item, field) => {
    const error = (() => {
      try {
        mapTrayOrder(rawOrder({}, [{ reference: 'SKU-1', quantity: '1', price: '10.00', ...item }]), 'America/Sao_Paulo');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe(field);
  });

  it('keeps an item without reference (and no variant or product to look up) as an unmatched line, not a rejection', () => {
    const mapped = mapTrayOrder(rawOrder({}, [{ reference: '', quantity: '1', price: '10.00' }]), 'America/Sao_Paulo');
    expect(mapped.lines).toEqual([
      { lineId: '1', name: 'Item', quantityMilli: 1000, unitPriceCents: 1000, unmatched: { reason: 'sku-missing', detail: 'Tray sent the item without reference' } },
    ]);
  });

  it('puts the payment surcharge, the coupon and the undocumented amounts where the breakdown says', () => {
    const mapped = mapTrayOrder(
      rawOrder({ partial_total: '100.00', shipment_value: '10.00', payment_method_rate: '2.50', taxes: '1.00', interest: '0.50', discount: '5.00', discount_coupon: 'natal25/20.00', progressive_discount: '3.00', total: '89.00' }),
      'America/Sao_Paulo',
    );
    expect(mapped.totals).toEqual({ itemsCents: 10000, shippingCents: 1000, discountCents: 2500, feesCents: 400, totalCents: 8900 });
    expect(mapped.warnings).toEqual([{ code: 'field-ignored', field: 'progressive_discount', message: "Tray's progressive_discount (3.00) is not part of the breakdown" }]);
    // The listing's coupon object wins over the "code/value" text when the complete order lacks it.
    const listed = mapTrayOrder(rawOrder({ partial_total: '100.00', total: '80.00' }), 'America/Sao_Paulo', { listed: { coupon: { code: 'natal25', discount: '20.00' } } });
    expect(listed.totals.discountCents).toBe(2000);
  });

  it.each([
    ['a payload that is not an object', 'A ENVIAR', 'Order'],
    ['an order without a status', rawOrder({ status: '' }), 'status'],
    ['an order whose status is missing', rawOrder({ status: undefined }), 'status'],
    ['an item whose ProductsSold wrapper holds text', rawOrder({ ProductsSold: [{ ProductsSold: 'SKU-1' }] }), 'ProductsSold.0'],
    ['a Customer that is text', rawOrder({ Customer: 'Ana' }), 'Customer'],
  ])('refuses %s with a typed error naming the field', (_title, raw, field) => {
    let error: unknown;
    try {
      mapTrayOrder(raw, 'America/Sao_Paulo');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe(field);
  });

  it('names an item by original_name when its name is empty', () => {
    // Both fields exist on every published item (complete-order-15: "Notebook Alienware Gamer" in each).
    const mapped = mapTrayOrder(rawOrder({}, [{ reference: 'NB-1', quantity: '1', price: '10.00', name: '', original_name: 'Notebook Alienware Gamer' }]), 'America/Sao_Paulo');
    expect(mapped.lines[0]!.name).toBe('Notebook Alienware Gamer');
  });

  it("passes on a company customer's malformed CPF when its CNPJ is blank, so core warns with it instead of losing it", () => {
    const mapped = mapTrayOrder(rawOrder({ Customer: { name: 'Loja X', type: '1', cnpj: '', cpf: '123.456' } }), 'America/Sao_Paulo');
    expect(mapped.customer.document).toBe('123.456');
  });

  it('round-trips any cents and milli-unit value written the way Tray writes it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 1, max: 1_000_000_000 }), (cents, milli) => {
        const mapped = mapTrayOrder(rawOrder({}, [{ reference: 'P', quantity: formatQuantity(milli), price: formatCents(cents) }]), 'America/Sao_Paulo');
        expect(mapped.lines[0]).toMatchObject({ quantityMilli: milli, unitPriceCents: cents });
      }),
    );
  });
});
