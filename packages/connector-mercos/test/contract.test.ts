import { describeConnectorContract, readPublishedPayload, readPublishedPayloads } from '@conecta/core/testing';
import { FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, createMercosFake, type MercosFake } from '../src/fake/index.js';
import { FIXTURES, connectorFor } from './helpers.js';

/** `cliente_id` 14 of the published orders, as Mercos published it (the por-id case with an alphanumeric CNPJ). */
const customerOf = (name: string): string => (name === 'pedido-v2-77-por-id.json' ? 'cliente-7318748-cnpj-alfanumerico.json' : 'cliente-7318748.json');

/** The contract builds one fake; `listingRequests` asks it what its orders name. */
let fake: MercosFake | undefined;

describeConnectorContract({
  name: 'mercos',
  // The account uses custom statuses and the connector reports them (ids as the fake registers them: 1, 2).
  createFake: () => (fake = createMercosFake({ reportsCustomStatuses: true })),
  createConnector: (fake, options) =>
    connectorFor(fake as MercosFake, {
      customStatuses: { use: true, states: { '1': 'pending', '2': 'finalized' } },
      ...(options?.wrongCredentials ? { applicationToken: 'wrong-application-token-000', companyToken: 'wrong-company-token-000' } : {}),
    }),
  secrets: [FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, 'wrong-application-token-000', 'wrong-company-token-000'],
  orderCount: 120,
  publishedPayloads: {
    cases: readPublishedPayloads(FIXTURES, (name) => name.startsWith('pedido-')),
    load: (platformFake, payload, name) => {
      const fake = platformFake as MercosFake;
      const order = payload as Record<string, unknown>;
      if (order['cliente_id'] === 14) fake.addPublishedCustomer(readPublishedPayload(FIXTURES, customerOf(name)), 14);
      return [fake.addPublishedOrder(payload as Record<string, unknown>)];
    },
    // As published-payloads.test.ts reads them: a listing example through the listing, a by-id example by id.
    via: (name) => (name.includes('por-id') || name.includes('alfanumerico') ? ['getOrder'] : ['listOrders']),
  },
  // Pages of 20 until one comes without MEUSPEDIDOS_LIMITOU_REGISTROS (a full last page is followed by an empty one),
  // plus exactly the lookups the fake's orders name: one per product of a live line, one per customer, one read of
  // the custom statuses once an order carries one. Not one more (a wasted request), not one fewer (an order mapped
  // without its product or customer).
  listingRequests: (orders) => {
    const pages = Math.floor(orders / 20) + 1;
    const lookups = fake!.listingLookups();
    const exact = pages + lookups.products + lookups.customers + lookups.customStatuses;
    return { min: exact, max: exact };
  },
  // Mercos keeps stock with two decimals (`saldo_estoque`).
  stockStepMilli: 10,
});
