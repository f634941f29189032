import { CONNECTOR_SPEC_VERSION, type Connector, type RateLimitPolicy } from '@conecta/core';
import { createHttpClient } from '@conecta/core/http';
import { TrayApi } from './api.js';
import { watchAuthErrors } from './auth/auth-errors.js';
import { TokenSession } from './auth/session.js';
import { refreshTrayToken } from './auth/tokens.js';
import { fetchOrder, listTrayOrders } from './orders/list-orders.js';
import { TraySkuResolver } from './orders/resolve-skus.js';
import { resolveOptions, type TrayConnectorOptions } from './options.js';
import { TRAY_RATE_LIMIT } from './rate-limit.js';
import { listTrayStatuses, trayDefaultStatusDictionary } from './statuses.js';
import { pushTrayStock } from './stock.js';
import { assertWebhookOptions, parseTrayWebhook, verifyTrayWebhook } from './webhook.js';

/** A Conecta connector (spec v1) for one Tray store. */
export function createTrayConnector(input: TrayConnectorOptions): Connector {
  const options = resolveOptions(input);
  assertWebhookOptions(options);
  const rateLimit: RateLimitPolicy = { ...TRAY_RATE_LIMIT, ...options.rateLimit };
  const rateLimitKey = options.rateLimitKey ?? options.apiAddress;
  const { credentials } = options;

  const session = new TokenSession({
    credentials,
    timeZone: options.timeZone,
    refreshSkewMs: options.refreshSkewMs ?? 5 * 60_000,
    onTokens: options.onTokens,
    now: options.now,
    refresh: (refreshToken) =>
      refreshTrayToken({
        apiAddress: options.apiAddress,
        refreshToken,
        consumerKey: credentials.consumerKey,
        consumerSecret: credentials.consumerSecret,
        sendConsumerKeys: options.sendConsumerKeysOnRefresh,
        fetch: options.fetch,
        http: options.http,
        rateLimit,
        rateLimitKey,
        timeZone: options.timeZone,
      }),
  });

  const authErrors = watchAuthErrors(options.fetch);
  const http = createHttpClient({
    platform: 'tray',
    baseUrl: options.apiAddress,
    fetch: authErrors.fetch,
    rateLimit,
    rateLimitKey,
    policy: options.http,
    secrets: [credentials.accessToken, credentials.refreshToken, credentials.consumerKey, credentials.consumerSecret, options.webhook?.pathToken],
    // Tray takes the token only as a query parameter; it is set per attempt so a refresh is picked up on retry.
    authorize: async ({ query }) => {
      query.set('access_token', await session.current());
    },
    onUnauthorized: async () => authErrors.refreshCanHelp() && session.recover(),
    retryAfterFromBody: options.retryAfterFromBody,
  });
  const api = new TrayApi(http);
  // One cache per connector: a backlog of orders for the same variant costs one lookup.
  const resolver = new TraySkuResolver(api);

  return {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform: 'tray',
    capabilities: { incrementalPolling: true, webhooks: true, stockPush: true },
    rateLimit,
    defaultStatusDictionary: trayDefaultStatusDictionary,
    listOrders: (list) => listTrayOrders(api, options, resolver, list),
    async getOrder(externalId, call) {
      const result = await fetchOrder(api, options, resolver, externalId, call?.signal);
      if (result === null) return null;
      if ('rejected' in result) throw result.rejected.error;
      return result.order;
    },
    statuses: (call) => listTrayStatuses(api, call?.signal),
    verifyWebhook: async (delivery) => (await verifyTrayWebhook(api, options, delivery)).verification,
    parseWebhook: (delivery) => parseTrayWebhook(api, options, resolver, delivery),
    pushStock: (levels, call) => pushTrayStock(api, levels, call),
  };
}
