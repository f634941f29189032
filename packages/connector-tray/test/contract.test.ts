import { describeConnectorContract } from '@conecta/core/testing';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake, type TrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

const WRONG = 'wrong-token-0000000000';

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
});
