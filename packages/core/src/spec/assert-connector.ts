import { ConfigurationError } from '../errors/errors.js';
import { CONNECTOR_SPEC_VERSION, type Connector } from './connector.js';

/** Checks at setup that a connector speaks this spec and has what the configuration needs. */
export function assertConnector(connector: Connector, needs: { webhooks?: boolean; stockPush?: boolean } = {}): Connector {
  if (connector.specVersion !== CONNECTOR_SPEC_VERSION) {
    throw new ConfigurationError(
      `connector "${connector.platform}" implements spec ${String(connector.specVersion)}; this @conecta/core speaks spec ${CONNECTOR_SPEC_VERSION}. Upgrade the older of the two.`,
    );
  }
  const missing: string[] = [];
  if (connector.capabilities.webhooks !== (typeof connector.verifyWebhook === 'function' && typeof connector.parseWebhook === 'function')) {
    missing.push('capabilities.webhooks disagrees with verifyWebhook/parseWebhook');
  }
  if (connector.capabilities.stockPush !== (typeof connector.pushStock === 'function')) {
    missing.push('capabilities.stockPush disagrees with pushStock');
  }
  if (needs.webhooks && !connector.capabilities.webhooks) missing.push('webhooks are configured but the platform has none');
  if (needs.stockPush && !connector.capabilities.stockPush) missing.push('stock push is enabled but the connector cannot push stock');
  if (missing.length > 0) throw new ConfigurationError(`connector "${connector.platform}": ${missing.join('; ')}`);
  return connector;
}
