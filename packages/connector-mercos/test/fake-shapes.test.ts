import { keyPaths, readPublishedPayload } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { FAKE_APPLICATION_TOKEN } from '../src/fake/index.js';
import { FIXTURES, setup } from './helpers.js';

/** The fake answers with the shapes Mercos publishes, so the contract suite and e2e run on them. */
describe('mercos fake shapes follow the published payloads', () => {
  const get = (fake: ReturnType<typeof setup>['fake'], companyToken: string, path: string) =>
    fake.handle(new Request(`${fake.baseUrl}${path}`, { headers: { ApplicationToken: FAKE_APPLICATION_TOKEN, CompanyToken: companyToken } }));

  it('an order has the keys of the documentation example (plus the documented status_custom_id), and no cliente_* fields', async () => {
    const { fake, companyToken } = setup();
    fake.seedOrders(1);
    const [order] = (await (await get(fake, companyToken, '/v2/pedidos?alterado_apos=2000-01-01%2000:00:00')).json()) as Array<Record<string, unknown>>;
    const published = keyPaths(readPublishedPayload(FIXTURES, 'pedido-v2-77-por-id.json'));
    // The published example's free `extras` entries and its promotion/policy discount entries are data the fake's
    // orders do not have, not shape it must copy.
    const withoutExtras = (paths: string[]) => paths.filter((path) => !/^extras\[\]\.|^itens\[\]\.descontos_de_(promocoes|politicas)\[\]\./.test(path));
    expect(withoutExtras(keyPaths(order)).sort()).toEqual([...withoutExtras(published), 'status_custom_id'].sort());
    expect(Object.keys(order!).filter((key) => key.startsWith('cliente_'))).toEqual(['cliente_id']);
  });

  it('a customer has exactly the keys of the documentation example', async () => {
    const { fake, companyToken } = setup();
    const [id] = fake.seedOrders(1);
    const clienteId = ((await (await get(fake, companyToken, `/v2/pedidos/${id}`)).json()) as { cliente_id: number }).cliente_id;
    const customer = await (await get(fake, companyToken, `/v1/clientes/${clienteId}`)).json();
    const published = keyPaths(readPublishedPayload(FIXTURES, 'cliente-7318748.json'));
    const withoutAddresses = (paths: string[]) => paths.filter((path) => !path.startsWith('enderecos_adicionais[].'));
    expect(withoutAddresses(keyPaths(customer)).sort()).toEqual(withoutAddresses(published).sort());
  });
});
