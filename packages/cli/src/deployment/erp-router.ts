import { ConfigurationError, type ErpPort } from '@conecta/core';

/**
 * One ERP port over several groups: each company's calls go to the Mainô client of its group, so one server can
 * host several tenants with their own credentials.
 */
export function routeErpByCompany(clients: ReadonlyMap<string, ErpPort>): ErpPort {
  const clientFor = (cnpj: string): ErpPort => {
    const client = clients.get(cnpj);
    if (!client) throw new ConfigurationError(`company ${cnpj} belongs to no configured group`);
    return client;
  };
  return {
    findProduct: (cnpj, sku, options) => clientFor(cnpj).findProduct(cnpj, sku, options),
    getStock: (cnpj, skus, options) => clientFor(cnpj).getStock(cnpj, skus, options),
    listStock: (cnpj, options) => {
      const client = clientFor(cnpj);
      if (!client.listStock) throw new ConfigurationError(`the ERP client of company ${cnpj} cannot list its stock`);
      return client.listStock(cnpj, options);
    },
    createSalesOrder: (cnpj, input, options) => clientFor(cnpj).createSalesOrder(cnpj, input, options),
    findSalesOrderByReference: (cnpj, reference, options) => clientFor(cnpj).findSalesOrderByReference(cnpj, reference, options),
    cancelSalesOrder: (cnpj, id, options) => clientFor(cnpj).cancelSalesOrder(cnpj, id, options),
  };
}
