import { describeConnectorContract } from '@conecta/core/testing';
import { createVitrineConnector } from '../src/vitrine-connector.js';
import { VITRINE_FAKE_API_TOKEN, VITRINE_FAKE_WEBHOOK_SECRET, createVitrineFake } from '../src/fake.js';

// The suite every connector passes, ours and partners': every case runs, none is skipped.
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
});
