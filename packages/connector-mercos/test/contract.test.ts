import { describeConnectorContract } from '@conecta/core/testing';
import { FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, createMercosFake, type MercosFake } from '../src/fake/index.js';
import { connectorFor } from './helpers.js';

describeConnectorContract({
  name: 'mercos',
  createFake: () => createMercosFake(),
  createConnector: (fake, options) =>
    connectorFor(
      fake as MercosFake,
      options?.wrongCredentials ? { applicationToken: 'wrong-application-token-000', companyToken: 'wrong-company-token-000' } : {},
    ),
  secrets: [FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, 'wrong-application-token-000', 'wrong-company-token-000'],
  orderCount: 120,
});
