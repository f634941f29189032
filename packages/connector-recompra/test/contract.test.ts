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
  skip: {},
});
