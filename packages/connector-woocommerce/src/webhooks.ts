import { WebhookRejectedError, type PlatformOrder, type RejectedPayload, type WebhookEvent, type WebhookInput, type WebhookVerification } from '@conecta/core';
import { hmacSha256Base64, sha256Hex, timingSafeEqualString } from '@conecta/core/http';
import { importWooOrder } from './orders/import-order.js';
import type { WooSkuResolver } from './orders/resolve-skus.js';

export interface WebhookDeps {
  webhookSecret: string | undefined;
  /** The store the connector reads; a delivery whose `X-WC-Webhook-Source` names another store is refused. */
  storeUrl: string;
  labels: Record<string, string>;
  resolver: WooSkuResolver;
  /** Fetches an order whose delivery carries only its id (`order.deleted`). */
  getRawOrder: (id: string) => Promise<unknown>;
}

const PING_BODY = /^webhook_id=(\d+)$/;

function header(headers: WebhookInput['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function bodyText(rawBody: string | Uint8Array): string {
  return typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
}

/** A store URL as host and path, without scheme, `www.`, case or trailing slash: what tells two stores apart. */
function storeKey(url: string): string {
  try {
    // The URL parser drops the spaces around a URL itself.
    const parsed = new URL(url);
    return `${parsed.host.toLowerCase().replace(/^www\./, '')}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim().toLowerCase();
  }
}

/**
 * WooCommerce signs `base64(HMAC-SHA256(raw body, webhook secret))`. The one unsigned delivery it sends is the ping on
 * webhook creation (form body `webhook_id=N`), which must get a 200 or the merchant cannot save the webhook.
 */
export function verifyWooWebhook(deps: WebhookDeps, input: WebhookInput): WebhookVerification {
  const signature = header(input.headers, 'x-wc-webhook-signature');
  const webhookId = header(input.headers, 'x-wc-webhook-id') ?? '';
  const deliveryHeader = header(input.headers, 'x-wc-webhook-delivery-id');
  if (!signature) {
    const ping = PING_BODY.exec(bodyText(input.rawBody).trim());
    if (ping) {
      // A ping does nothing, so repeating one is harmless; an id per body keeps re-saving the webhook from being refused as a replay.
      return { deliveryId: deliveryHeader ?? `ping:${ping[1]}:${sha256Hex(`${Date.now()}:${Math.random()}`).slice(0, 16)}`, ping: true };
    }
    throw new WebhookRejectedError('missing-signature', 'woocommerce webhook without X-WC-Webhook-Signature');
  }
  if (!deps.webhookSecret) {
    throw new WebhookRejectedError('not-configured', 'woocommerce webhook received but no webhookSecret is configured');
  }
  const expected = hmacSha256Base64(deps.webhookSecret, input.rawBody);
  if (!timingSafeEqualString(expected, signature.trim())) {
    throw new WebhookRejectedError('bad-signature', 'woocommerce webhook signature does not match the raw body (is webhookSecret the webhook secret, not the consumer secret?)');
  }
  // Two stores of one merchant may share a webhook secret: the signature alone does not say which store sent it.
  const source = header(input.headers, 'x-wc-webhook-source');
  if (source !== undefined && storeKey(source) !== storeKey(deps.storeUrl)) {
    throw new WebhookRejectedError('wrong-store', `woocommerce webhook from another store (${storeKey(source)}), not ${storeKey(deps.storeUrl)}`);
  }
  // WooCommerce sends no timestamp, so there is no sentAt; without a delivery id the body itself identifies the delivery.
  return { deliveryId: deliveryHeader ?? `${webhookId}:${sha256Hex(input.rawBody)}`, ping: false };
}

export async function parseWooWebhook(deps: WebhookDeps, input: WebhookInput): Promise<WebhookEvent> {
  const verification = verifyWooWebhook(deps, input);
  const event: WebhookEvent = { deliveryId: verification.deliveryId, ping: verification.ping, orders: [], rejected: [] };
  if (verification.ping) return event;
  const topic = header(input.headers, 'x-wc-webhook-topic') ?? '';
  const resource = header(input.headers, 'x-wc-webhook-resource') ?? topic.split('.')[0] ?? '';
  if (resource !== 'order') return event;

  let payload: unknown;
  try {
    payload = JSON.parse(bodyText(input.rawBody));
  } catch {
    throw new WebhookRejectedError('malformed', `woocommerce ${topic || 'order'} webhook body is not JSON`);
  }
  const id = (payload as Record<string, unknown> | null)?.['id'];
  if (typeof id !== 'number' && typeof id !== 'string') {
    throw new WebhookRejectedError('malformed', `woocommerce ${topic || 'order'} webhook body has no order id`);
  }
  const eventName = header(input.headers, 'x-wc-webhook-event') ?? topic.split('.')[1];
  // `order.deleted` carries only `{id}`: fetch the order back so its trash status reaches the dictionary.
  const raw = eventName === 'deleted' ? await deps.getRawOrder(String(id)) : payload;
  if (raw === null) return event;
  await collect(raw, String(id), deps, event.orders, event.rejected);
  return event;
}

async function collect(raw: unknown, id: string, deps: WebhookDeps, orders: PlatformOrder[], rejected: RejectedPayload[]): Promise<void> {
  const result = await importWooOrder(raw, deps.labels, deps.resolver, id);
  if ('order' in result) orders.push(result.order);
  else rejected.push(result.rejected);
}
