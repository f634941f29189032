import { CONNECTOR_SPEC_VERSION, NotFoundError, type Connector } from '@conecta/core';
import { createHttpClient } from '@conecta/core/http';
import { wooAuthorizer } from './auth.js';
import { listWooOrders } from './orders/list-orders.js';
import { importWooOrder } from './orders/import-order.js';
import { WooSkuResolver } from './orders/resolve-skus.js';
import { resolveOptions, type WooCommerceConnectorOptions } from './options.js';
import { pushWooStock } from './stock/push-stock.js';
import { WOOCOMMERCE_STATUS_LABELS, listStatuses, wooCommerceDefaultStatusDictionary } from './statuses.js';
import { parseWooWebhook, verifyWooWebhook, type WebhookDeps } from './webhooks.js';

export function createWooCommerceConnector(options: WooCommerceConnectorOptions): Connector {
  const resolved = resolveOptions(options);
  const http = createHttpClient({
    platform: 'woocommerce',
    baseUrl: resolved.apiBaseUrl,
    fetch: resolved.fetch,
    rateLimit: resolved.rateLimit,
    rateLimitKey: `${resolved.storeUrl}:${resolved.consumerKey}`,
    policy: resolved.http,
    secrets: [resolved.consumerKey, resolved.consumerSecret, resolved.webhookSecret],
    authorize: wooAuthorizer(resolved.authMode, resolved.consumerKey, resolved.consumerSecret),
    ...(resolved.onRetry ? { onRetry: resolved.onRetry } : {}),
  });

  async function getRawOrder(externalId: string, signal?: AbortSignal): Promise<unknown> {
    // Only numeric ids route to an order; anything else would hit a different (or no) route.
    if (!/^\d+$/.test(externalId)) return null;
    try {
      return (await http.get<unknown>(`orders/${externalId}`, resolved.orderFieldsQuery, { signal })).data;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  // One cache per connector: a backlog of orders for the same product costs one lookup.
  const resolver = new WooSkuResolver(http);
  const webhookDeps: WebhookDeps = { webhookSecret: resolved.webhookSecret, storeUrl: resolved.storeUrl, labels: WOOCOMMERCE_STATUS_LABELS, resolver, getRawOrder: (id) => getRawOrder(id) };

  return {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform: 'woocommerce',
    capabilities: { incrementalPolling: true, webhooks: true, stockPush: true },
    rateLimit: resolved.rateLimit,
    defaultStatusDictionary: wooCommerceDefaultStatusDictionary(),

    listOrders: (listOptions) =>
      listWooOrders(
        {
          http,
          pageSize: resolved.pageSize,
          concurrency: resolved.concurrency,
          orderStatuses: resolved.orderStatuses,
          orderFieldsQuery: resolved.orderFieldsQuery,
          labels: WOOCOMMERCE_STATUS_LABELS,
          resolver,
        },
        listOptions,
      ),

    async getOrder(externalId, getOptions) {
      const raw = await getRawOrder(externalId, getOptions?.signal);
      if (raw === null) return null;
      const result = await importWooOrder(raw, WOOCOMMERCE_STATUS_LABELS, resolver, externalId, getOptions?.signal);
      if ('rejected' in result) throw result.rejected.error;
      return result.order;
    },

    statuses: (statusOptions) => listStatuses(http, resolved.statusSource, statusOptions?.signal),

    verifyWebhook: async (input) => verifyWooWebhook(webhookDeps, input),
    parseWebhook: (input) => parseWooWebhook(webhookDeps, input),

    pushStock: (levels, pushOptions) =>
      pushWooStock({ http, batchSize: resolved.batchSize, variationFallback: resolved.variationSkuFallback }, levels, pushOptions),
  };
}
