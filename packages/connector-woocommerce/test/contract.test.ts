import { describeConnectorContract } from '@conecta/core/testing';
import { createWooCommerceConnector } from '../src/index.js';
import { createWooCommerceFake, type WooCommerceFake } from '../src/fake/index.js';

const secrets = ['ck_4f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6', 'cs_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b', 'whsecAlnum7Qz3Lp9Rt2'];

describeConnectorContract({
  name: 'woocommerce',
  // Order numbers differ from ids, as with sequential-number plugins, so a mapping that used `id` would fail.
  createFake: () => createWooCommerceFake({ orderNumberOffset: 5000 }),
  createConnector: (platformFake, options) => {
    const fake = platformFake as WooCommerceFake;
    return createWooCommerceConnector({
      storeUrl: fake.baseUrl,
      consumerKey: options?.wrongCredentials ? 'ck_wrongwrongwrongwrongwrongwrongwrongwro' : fake.consumerKey,
      consumerSecret: options?.wrongCredentials ? 'cs_wrongwrongwrongwrongwrongwrongwrongwro' : fake.consumerSecret,
      webhookSecret: options?.wrongCredentials ? 'whsecWrongWrongWrong' : fake.webhookSecret,
      http: { baseDelayMs: 5, maxDelayMs: 20 },
    });
  },
  secrets,
  orderCount: 250,
});
