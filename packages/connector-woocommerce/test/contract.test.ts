import { fileURLToPath } from 'node:url';
import { describeConnectorContract, readPublishedPayloads } from '@conecta/core/testing';
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
  // Signed deliveries are read by published-payloads.test.ts (they need WooCommerce's headers, not a fake's order).
  publishedPayloads: {
    cases: readPublishedPayloads(fileURLToPath(new URL('../../../tests/fixtures/platforms/woocommerce/', import.meta.url)), (name) => !name.startsWith('webhook-')),
    load: (platformFake, payload) => {
      const fake = platformFake as WooCommerceFake;
      const orders = (Array.isArray(payload) ? payload : [payload]) as Array<Record<string, unknown>>;
      return orders.map((order) => fake.loadPublishedOrder(order));
    },
  },
  // One page of 100 answers a small store. A larger one: the head page (its X-WP-TotalPages sizes the snapshot), the
  // snapshot's pages, and one head page for the last second the snapshot leaves out; plus at most one lookup for each
  // of the fake's three variations sold without a SKU.
  listingRequests: (orders) => {
    if (orders <= 100) return { min: 1, max: 1 + 3 };
    const pages = Math.ceil(orders / 100);
    return { min: 2 + pages, max: 2 + pages + 3 };
  },
});
