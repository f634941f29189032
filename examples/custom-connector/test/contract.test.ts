import { describeConnectorContract } from '@conecta/core/testing';
import { createVitrineConnector } from '../src/vitrine-connector.js';
import { VITRINE_FAKE_API_TOKEN, VITRINE_FAKE_WEBHOOK_SECRET, createVitrineFake } from '../src/fake.js';

// The suite every connector passes, ours and partners'. A case that cannot hold is skipped with its reason.
describeConnectorContract({
  name: 'vitrine',
  createFake: () => createVitrineFake(),
  createConnector: (fake, options) =>
    createVitrineConnector({
      baseUrl: fake.baseUrl,
      apiToken: options?.wrongCredentials ? 'vtr_tok_wrong_0000' : VITRINE_FAKE_API_TOKEN,
      webhookSecret: options?.wrongCredentials ? 'vtr_whsec_wrong_0000' : VITRINE_FAKE_WEBHOOK_SECRET,
      pageSize: 50,
      // Small backoff so the retry cases run fast; the documented rate limit is kept.
      http: { baseDelayMs: 5, maxDelayMs: 20 },
    }),
  secrets: [VITRINE_FAKE_API_TOKEN, VITRINE_FAKE_WEBHOOK_SECRET],
  orderCount: 120,
  // Vitrine keeps stock in thousandths (`estoque` "7.999"), so nothing is floored.
  stockStepMilli: 1,
  // Pages of 50 (`pageSize`) until `proxima_pagina` is null.
  listingRequests: (orders) => ({ min: Math.max(1, Math.ceil(orders / 50)), max: Math.max(1, Math.ceil(orders / 50)) }),
  skip: {
    'published-payloads': 'Vitrine is an example platform: it has no published payloads',
    'webhook-other-store': "Vitrine's deliveries name no store: the signing secret is the only thing that ties one to a store",
  },
});
