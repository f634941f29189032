import { CONNECTOR_SPEC_VERSION, ValidationError, parsePlatformOrder, type Connector, type PlatformStatus } from '@conecta/core';
import { getAll, getOne } from './api.js';
import { createLojaIntegradaHttp } from './http.js';
import { listOrders } from './list-orders.js';
import { mapLojaIntegradaOrder, produtoIdsWithoutSku } from './map-order.js';
import { productSkus } from './product-skus.js';
import { resolveOptions, type LojaIntegradaConnectorOptions } from './options.js';
import { SituacaoSchema } from './schemas.js';
import { lojaIntegradaDefaultStatusDictionary } from './statuses.js';
import { pushStock } from './stock.js';
import { orderFromWebhookBody, verifyLojaIntegradaWebhook } from './webhook.js';

export function createLojaIntegradaConnector(input: LojaIntegradaConnectorOptions): Connector {
  const options = resolveOptions(input);
  const http = createLojaIntegradaHttp(options);
  const skus = productSkus(http);

  const fetchOrder = async (externalId: string, signal?: AbortSignal) => {
    // The path key is the order numero; anything else would be a different resource or a path injection.
    if (!/^\d+$/.test(externalId)) throw new ValidationError([{ path: 'externalId', message: `"${externalId}" is not a Loja Integrada order numero` }]);
    const raw = await getOne(http, `pedido/${externalId}`, signal);
    if (raw === null) return null;
    const products = await skus.resolve(produtoIdsWithoutSku(raw), signal);
    return parsePlatformOrder(raw, (payload) => mapLojaIntegradaOrder(payload, options.timeZone, products), { platform: 'lojaintegrada', externalId });
  };

  const getOrder: Connector['getOrder'] = async (externalId, control) => {
    const result = await fetchOrder(externalId, control?.signal);
    if (result === null) return null;
    if ('rejected' in result) throw result.rejected.error;
    return result.order;
  };

  return {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform: 'lojaintegrada',
    capabilities: { incrementalPolling: true, webhooks: true, stockPush: true },
    rateLimit: options.rateLimit,
    defaultStatusDictionary: lojaIntegradaDefaultStatusDictionary(options.statusOverrides),

    listOrders: (list) => listOrders(http, options, skus, list),
    getOrder,

    async statuses(control): Promise<PlatformStatus[]> {
      const { objects } = await getAll(http, 'situacao/', SituacaoSchema, {}, options.pageSize, control?.signal);
      return objects.map((situacao) => ({ code: situacao.codigo, label: situacao.nome ?? situacao.codigo }));
    },

    async verifyWebhook(delivery) {
      const { deliveryId, ping } = verifyLojaIntegradaWebhook(delivery, options.webhookToken);
      return { deliveryId, ping };
    },

    async parseWebhook(delivery) {
      const { deliveryId, ping, numero, body } = verifyLojaIntegradaWebhook(delivery, options.webhookToken);
      if (options.webhookOrderSource === 'payload') return { deliveryId, ping, ...orderFromWebhookBody(body, numero, options.timeZone) };
      const result = await fetchOrder(numero);
      if (result === null) return { deliveryId, ping, orders: [], rejected: [] };
      return 'order' in result ? { deliveryId, ping, orders: [result.order], rejected: [] } : { deliveryId, ping, orders: [], rejected: [result.rejected] };
    },

    pushStock: (levels, control) => pushStock(http, options, levels, control),
  };
}

