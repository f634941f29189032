import { describeErpContract } from '@conecta/core/testing';
import { APPLICATION_UID, COMPANY_A, COMPANY_B, COMPANY_OUTSIDE, EMAIL, PASSWORD, clientFor, useFakeServer } from './setup-fake.js';

const server = useFakeServer();

describeErpContract({
  name: 'maino client on its fake',
  setup: () => {
    const fake = server.install();
    return {
      erp: clientFor(),
      companies: [COMPANY_A, COMPANY_B],
      outsideCnpj: COMPANY_OUTSIDE,
      seedProduct: (cnpj, product) => void fake.addProducts(cnpj, [{ sku: product.sku, name: product.name, qtdeMilli: product.onHandMilli, committedMilli: product.committedMilli ?? 0 }]),
      committedMilli: (cnpj, sku) => fake.stockOf(cnpj, sku)?.committedMilli ?? 0,
      countByReference: (cnpj, reference) => fake.countByReference(cnpj, reference),
      requestCount: () => fake.requests().length,
      faults: {
        // Longer than the client's 400 ms attempt timeout.
        timeoutAfterStore: () => fake.inject({ kind: 'store-then-hang', ms: 1_200 }),
        serverErrorAfterStore: () => fake.inject({ kind: 'store-then-status', status: 504 }),
        serverErrorBeforeStore: () => fake.inject({ kind: 'status', status: 503, route: { method: 'POST', path: 'pedidos' } }),
      },
      withWrongCredentials: () => clientFor({ auth: { kind: 'password', applicationUid: APPLICATION_UID, email: EMAIL, password: `${PASSWORD}-wrong` } }),
      secrets: [PASSWORD, `${PASSWORD}-wrong`, APPLICATION_UID],
    };
  },
});
