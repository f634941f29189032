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
    // msw serves the fake here, so the connector uses the global fetch like in production.
    const base = connectorOptions(fake, { fetch: undefined });
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
