import { describeConnectorContract, readPublishedPayloads } from '@conecta/core/testing';
import { createLojaIntegradaConnector } from '../src/index.js';
import { createLojaIntegradaFake, type LojaIntegradaFake } from '../src/fake/index.js';
import { CREDENTIALS, FAST, FIXTURES } from './helpers.js';

/** The contract makes one fake for the whole suite; kept here so the listing bound can ask it what it seeded. */
let suiteFake: LojaIntegradaFake | undefined;

describeConnectorContract({
  name: 'lojaintegrada',
  createFake: () => (suiteFake = createLojaIntegradaFake({ ...CREDENTIALS, baseUrl: 'https://api.awsli.com.br' })),
  createConnector: (fake, options) =>
    createLojaIntegradaConnector({
      ...FAST,
      baseUrl: fake.baseUrl,
      chaveApi: options?.wrongCredentials ? 'wrong-chave-api-000000' : CREDENTIALS.chaveApi,
      chaveAplicacao: options?.wrongCredentials ? 'wrong-chave-aplicacao-000000' : CREDENTIALS.chaveAplicacao,
      webhookToken: options?.wrongCredentials ? 'wrong-webhook-token-000000' : CREDENTIALS.webhookToken,
      pageSize: 20,
    }),
  secrets: [CREDENTIALS.chaveApi, CREDENTIALS.chaveAplicacao, CREDENTIALS.webhookToken],
  orderCount: 65,
  publishedPayloads: {
    cases: readPublishedPayloads(FIXTURES),
    load: (fake, payload) => [(fake as LojaIntegradaFake).addPublishedOrder(payload as Record<string, unknown>)],
  },
  // Exactly: summaries in pages of 20 (`meta.next` says when to stop), one detail per order (only the detail has
  // items), and one `GET /v1/produto/{id}` per product that the listed orders' lines name without SKU, each read once.
  listingRequests: (orders) => {
    const exact = Math.ceil(orders / 20) + orders + suiteFake!.productLookups().length;
    return { min: exact, max: exact };
  },
  skip: {
    'webhook-other-store':
      "LI's token is issued per store and its body names no store: another store's delivery carries another token, refused as in the unsigned and truncated cases",
  },
});
