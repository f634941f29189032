import type { OrderPage } from '@conecta/core';
import { createWooCommerceConnector, type WooCommerceConnectorOptions } from '../src/index.js';
import type { WooCommerceFake } from '../src/fake/index.js';

/** A connector wired to the fake through the `fetch` option (no network, no msw). */
export function connectTo(fake: WooCommerceFake, overrides: Partial<WooCommerceConnectorOptions> = {}) {
  return createWooCommerceConnector({
    storeUrl: fake.baseUrl,
    consumerKey: fake.consumerKey,
    consumerSecret: fake.consumerSecret,
    webhookSecret: fake.webhookSecret,
    fetch: (input, init) => fake.handle(new Request(input, init)),
    http: { baseDelayMs: 5, maxDelayMs: 20 },
    rateLimit: { requests: 1000, intervalMs: 1000, source: 'test' },
    ...overrides,
  });
}

export async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

export const idsOf = (pages: OrderPage[]) => pages.flatMap((page) => page.orders.map((order) => order.externalId));
