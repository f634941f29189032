import { CONNECTOR_SPEC_VERSION, ConfigurationError, registerSecret, type Connector } from '@conecta/core';
import { createHttpClient, sha256Hex } from '@conecta/core/http';
import { resolveOptions, type RecompraConnectorOptions, type ResolvedOptions } from './options.js';
import { getRecompraOrder, listRecompraOrders, type PollingSettings } from './polling.js';
import { statusesOf } from './statuses.js';
import { parseRecompraWebhook, verifyRecompraWebhook, type WebhookSettings } from './webhook.js';

function pollingSettings(options: RecompraConnectorOptions, resolved: ResolvedOptions): PollingSettings | undefined {
  const polling = resolved.polling;
  if (!polling) return undefined;
  const { onRetry, ...policy } = options.http ?? {};
  const client = createHttpClient({
    platform: 'recompra',
    baseUrl: polling.baseUrl,
    fetch: options.fetch,
    rateLimit: resolved.rateLimit,
    // Every connector built for one API token shares its bucket; the key is hashed so the token never sits in a map key.
    rateLimitKey: sha256Hex(`${polling.baseUrl}\n${polling.apiToken}`).slice(0, 32),
    policy,
    secrets: [polling.apiToken, resolved.webhookToken],
    authorize: ({ headers }) => headers.set('authorization', `Bearer ${polling.apiToken}`),
    onRetry,
  });
  return { client, ordersPath: polling.ordersPath, pageSize: polling.pageSize, schema: resolved.schema, identify: resolved.identify };
}

function requirePolling(settings: PollingSettings | undefined, method: string): PollingSettings {
  if (!settings) throw new ConfigurationError(`recompra: ${method} needs the polling option (baseUrl and apiToken); this connector only receives webhooks`);
  return settings;
}

/**
 * Recompra.aí connector on our own assumed contract (see the README): orders arrive by signed webhook and, when
 * `polling` is set, by listing an orders endpoint. Stock push is not offered: the vendor has no known stock endpoint.
 */
export function createRecompraConnector(options: RecompraConnectorOptions): Connector {
  const resolved = resolveOptions(options);
  // A webhook-only connector builds no HTTP client, which is where secrets are otherwise registered for redaction.
  registerSecret(resolved.webhookToken);
  const polling = pollingSettings(options, resolved);
  const webhook: WebhookSettings = {
    token: resolved.webhookToken,
    toleranceMs: resolved.toleranceMs,
    now: resolved.now,
    schema: resolved.schema,
    identify: resolved.identify,
  };

  return {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform: 'recompra',
    capabilities: { incrementalPolling: polling !== undefined, webhooks: true, stockPush: false },
    rateLimit: resolved.rateLimit,
    defaultStatusDictionary: resolved.statusDictionary,
    listOrders(listOptions) {
      // Checked before the first `next()`, so a missing polling setup fails at the call, not at first iteration.
      return listRecompraOrders(requirePolling(polling, 'listOrders'), listOptions);
    },
    async getOrder(externalId, getOptions) {
      return getRecompraOrder(requirePolling(polling, 'getOrder'), externalId, getOptions?.signal);
    },
    async statuses() {
      return statusesOf(resolved.statusDictionary);
    },
    verifyWebhook: (input) => verifyRecompraWebhook(input, webhook),
    parseWebhook: (input) => parseRecompraWebhook(input, webhook),
  };
}
