import type { MercosFake } from '@conecta/connector-mercos/fake';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MATRIZ, createWorld, seedPaid, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

/**
 * Customer documents as the platforms send them (formatted CPFs, numeric and alphanumeric CNPJs, Mercos' customer read
 * from `/v1/clientes/{id}`) reach the stored order and the Mainô order normalised: 11 digits or 14 characters.
 */
describe('e2e: customer documents, alphanumeric CNPJs included', () => {
  it('Loja Integrada and Mercos customers reach Mainô with their CPF or CNPJ normalised', async () => {
    world = await createWorld({ companies: 1, mode: 'automatic' });
    // Eight orders: the Loja Integrada fake gives every fourth order a company customer, the second of them an
    // alphanumeric CNPJ; the Mercos fake's three customers are a numeric CNPJ, an alphanumeric CNPJ and a CPF.
    const seeded = seedPaid(world, 8, [1_000]);
    await world.runner().drain();

    const documents = { lojaintegrada: new Set<string>(), mercos: new Set<string>() };
    for (const platform of ['lojaintegrada', 'mercos'] as const) {
      for (const externalId of seeded[platform]) {
        const { order } = await world.pipeline.getOrder(world.orderId(platform, externalId));
        expect(order.customer.document, `${platform}:${externalId}`).toMatch(/^(\d{11}|[0-9A-Z]{12}\d{2})$/);
        documents[platform].add(order.customer.document!);
        if (platform === 'mercos') {
          const expected = (world.fakes.mercos as MercosFake).expectedCustomer(externalId);
          expect(order.customer).toEqual({ name: expected.name, email: expected.email, document: expected.document, phone: expected.phone });
        }
        const reference = world.reference(platform, externalId, MATRIZ);
        const mainoOrder = world.maino.orders(MATRIZ).find((candidate) => candidate.referencia_externa === reference);
        expect(mainoOrder?.cliente['cpf_cnpj'], reference).toBe(order.customer.document);
      }
    }
    expect([...documents.lojaintegrada]).toEqual(expect.arrayContaining(['14093771723', '46487899000110', '12ABC34501DE35']));
    expect([...documents.mercos].sort()).toEqual(['12ABC34501DE35', '46487899000110', '52998224725']);
  });
});
