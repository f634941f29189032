import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHandler } from '@conecta/core/testing';
import { createTrayConnector, exchangeTrayCode, type TrayTokens } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

// Over a real socket with Node's own fetch: what msw and direct handler calls cannot show (bodies, encodings).
describe('tray connector over HTTP', () => {
  const fake = createTrayFake();
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    server = await serveHandler((request) => fake.handle(request));
  });
  afterAll(() => server.close());

  it('exchanges the install code, lists with the new token and pushes stock', async () => {
    fake.reset();
    const apiAddress = `${server.url}/web_api`;
    const tokens: TrayTokens = await exchangeTrayCode({
      apiAddress,
      consumerKey: fake.credentials.consumerKey,
      consumerSecret: fake.credentials.consumerSecret,
      code: fake.credentials.authorizationCode,
    });
    const ids = fake.seedOrders(20); // within the default burst of 30, so the pacing adds no wait
    fake.seedProducts(['SERVED-1']);
    const base = connectorOptions(fake, { fetch: undefined });
    const connector = createTrayConnector({ ...base, apiAddress, credentials: { ...base.credentials, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken } });

    const seen: string[] = [];
    for await (const page of connector.listOrders()) seen.push(...page.orders.map((order) => order.externalId));
    expect(seen.sort()).toEqual([...ids].sort());

    const result = await connector.pushStock!([{ sku: 'SERVED-1', quantityMilli: 4000 }]);
    expect(result.updated).toEqual(['SERVED-1']);
    expect(fake.stockOf('SERVED-1')).toBe(4000);
    expect(fake.unknownRequests()).toEqual([]);
  });
});
