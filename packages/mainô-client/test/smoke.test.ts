import { expect, it } from 'vitest';
import { createMainoClient } from '../src/index.js';
import { createMainoFake } from '../src/fake/index.js';

it('smoke', async () => {
  const fake = createMainoFake();
  fake.addCompany('11222333000181');
  fake.addProducts('11222333000181', [{ sku: 'A', qtdeMilli: 5000, committedMilli: 1000 }]);
  fake.addUser({ email: 'a@b.com', password: 'pw-secret-1', cnpjs: ['11222333000181'] });
  const client = createMainoClient({
    group: { cnpjs: ['11222333000181'] },
    auth: { kind: 'password', applicationUid: fake.applicationUid, email: 'a@b.com', password: 'pw-secret-1' },
    fetch: (input, init) => fake.handle(new Request(input, init)),
    rateLimit: { requests: 100, intervalMs: 1000, source: 'test' },
  });
  expect((await client.findProduct('11222333000181', 'A'))?.availableMilli).toBe(4000);
  const created = await client.createSalesOrder('11222333000181', {
    externalReference: 'r1', tag: 'Tray', orderNumber: '1', customer: { name: 'X' }, issuedAt: new Date().toISOString(),
    lines: [{ sku: 'A', name: 'A', quantityMilli: 1500, unitPriceCents: 1990 }],
  });
  expect(created.order.totalCents).toBe(2985);
  expect(fake.stockOf('11222333000181', 'A')).toEqual({ qtdeMilli: 5000, committedMilli: 2500 });
});
