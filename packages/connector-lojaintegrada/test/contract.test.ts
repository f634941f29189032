import { describeConnectorContract } from '@conecta/core/testing';
import { createLojaIntegradaConnector } from '../src/index.js';
import { createLojaIntegradaFake } from '../src/fake/index.js';
import { CREDENTIALS, FAST } from './helpers.js';

describeConnectorContract({
  name: 'lojaintegrada',
  createFake: () => createLojaIntegradaFake({ ...CREDENTIALS, baseUrl: 'https://api.awsli.com.br' }),
  createConnector: (fake, options) =>
    createLojaIntegradaConnector({
      ...FAST,
      baseUrl: fake.baseUrl,
      chaveApi: options?.wrongCredentials ? 'wrong-chave-api-000000' : CREDENTIALS.chaveApi,
      chaveAplicacao: options?.wrongCredentials ? 'wrong-chave-aplicacao-000000' : CREDENTIALS.chaveAplicacao,
      webhookToken: options?.wrongCredentials ? 'wrong-webhook-token-000000' : CREDENTIALS.webhookToken,
      pageSize: 20,
    }),
  secrets: [CREDENTIALS.chaveApi, CREDENTIALS.chaveAplicacao, CREDENTIALS.webhookToken],
  orderCount: 65,
});
