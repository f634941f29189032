import { describeConnectorContract } from '@conecta/core/testing';
import { createRecompraConnector } from '../src/index.js';
import { RECOMPRA_FAKE_API_TOKEN, RECOMPRA_FAKE_WEBHOOK_TOKEN, createRecompraFake } from '../src/fake/index.js';

describeConnectorContract({
  name: 'recompra',
  createFake: () => createRecompraFake(),
  createConnector: (fake, options) =>
    createRecompraConnector({
      webhookToken: options?.wrongCredentials ? 'wrong-webhook-token-0000' : RECOMPRA_FAKE_WEBHOOK_TOKEN,
      polling: {
        baseUrl: fake.baseUrl,
        apiToken: options?.wrongCredentials ? 'wrong-api-token-0000' : RECOMPRA_FAKE_API_TOKEN,
        pageSize: 50,
      },
      http: { baseDelayMs: 5, maxDelayMs: 20 },
    }),
  secrets: [RECOMPRA_FAKE_API_TOKEN, RECOMPRA_FAKE_WEBHOOK_TOKEN],
  orderCount: 120,
  // push-stock is not skipped: the suite itself passes it when capabilities.stockPush is false (see README).
  skip: {
    'published-payloads': 'Recompra.aí publishes no API documentation nor example payloads (tests/fixtures/platforms/recompra/SOURCES.md)',
    'webhook-other-store': "the assumed contract's deliveries name no store: the signing token is the only thing that ties one to a store",
  },
  // One page of 50 answers a small account; a larger one pages by cursor until a page comes back short.
  listingRequests: (orders) => ({ min: Math.floor(orders / 50) + 1, max: Math.floor(orders / 50) + 1 }),
});
