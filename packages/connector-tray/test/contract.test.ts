import { fileURLToPath } from 'node:url';
import { describeConnectorContract, readPublishedPayloads } from '@conecta/core/testing';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake, type TrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

const WRONG = 'wrong-token-0000000000';
const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/platforms/tray/', import.meta.url));

describeConnectorContract({
  name: 'tray',
  createFake: () => createTrayFake(),
  createConnector: (platformFake, options) => {
    const fake = platformFake as TrayFake;
    // msw serves the fake here, so the connector uses the global fetch like in production. The default pacing (30 at
    // once, then 150/min) would take about 40 s for the 120-order cases; the suite checks the pace it is given.
    const base = connectorOptions(fake, { fetch: undefined, rateLimit: { requests: 180, burst: 180 } });
    if (!options?.wrongCredentials) return createTrayConnector(base);
    return createTrayConnector({
      ...base,
      credentials: { accessToken: WRONG, refreshToken: `${WRONG}-r`, consumerKey: `${WRONG}-k`, consumerSecret: `${WRONG}-s`, storeId: fake.storeId },
    });
  },
  secrets: (() => {
    const fake = createTrayFake();
    return [fake.credentials.accessToken, fake.credentials.refreshToken, fake.credentials.consumerKey, fake.credentials.consumerSecret, 'wh-7c3f9a1e5d2b8f40'];
  })(),
  // The notification fixture names an order Tray did not publish: published-payloads.test.ts covers it.
  publishedPayloads: {
    cases: readPublishedPayloads(FIXTURES, (name) => !name.startsWith('webhook-')),
    load: (platformFake, payload) => {
      const fake = platformFake as TrayFake;
      const record = payload as Record<string, unknown>;
      const entries = Array.isArray(record['Orders']) ? (record['Orders'] as Array<{ Order: Record<string, unknown> }>).map((entry) => entry.Order) : [record];
      return entries.map((entry) => fake.loadPublishedOrder(entry));
    },
    // A listing page carries less than `/orders/:id/complete`; a detail payload more than the listing serves.
    via: (name) => (name.startsWith('list-') ? ['listOrders'] : ['getOrder']),
  },
  // Pages of 50, one `/orders/:id/complete` per order (items are only there), and at most one lookup for each of the
  // fake's five variants sold without reference; the token is the fake's own, issued before the listing.
  listingRequests: (orders) => {
    const base = Math.ceil(orders / 50) + orders;
    return { min: base, max: base + 5 };
  },
});
