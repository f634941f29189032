import { ConfigurationError, WebhookRejectedError, type WebhookEvent, type WebhookInput, type WebhookVerification } from '@conecta/core';
import { sha256Hex, timingSafeEqualString } from '@conecta/core/http';
import type { TrayApi } from './api.js';
import { importTrayOrder } from './orders/list-orders.js';
import type { TraySkuResolver } from './orders/resolve-skus.js';
import type { ResolvedTrayOptions } from './options.js';

/** Fields of a Tray notification. It names a resource and carries none of its data. */
export interface TrayNotification {
  scope_name: string;
  scope_id: string;
  seller_id: string;
  act: string;
  app_code?: string;
}

const MIN_TOKEN_LENGTH = 16;

/** Checks that path-token webhooks are set up sensibly, at construction rather than at the first delivery. */
export function assertWebhookOptions(options: ResolvedTrayOptions): void {
  const hook = options.webhook;
  if (hook?.allowUnsigned && (!hook.pathToken || hook.pathToken.length < MIN_TOKEN_LENGTH)) {
    throw new ConfigurationError(`tray: webhook.allowUnsigned needs a random webhook.pathToken of at least ${MIN_TOKEN_LENGTH} characters`);
  }
  // Tray notifies one URL per app for every store that installed it: without the store id a delivery for another
  // store would make this connector read back an unrelated order that happens to share the id.
  if (hook?.allowUnsigned && !options.credentials.storeId) {
    throw new ConfigurationError('tray: webhook.allowUnsigned needs credentials.storeId (store_id from /auth) to tell stores apart');
  }
}

/**
 * Tray signs nothing, so a delivery is trusted only when the integration opted in, the URL carries the secret path
 * token, `seller_id` is the connected store, and the order it names exists when read back through the API. The
 * read-back also gives the delivery id: Tray sends no id and repeats identical bodies for every update of an order,
 * so the body hash alone would refuse real updates as replays.
 */
export async function verifyTrayWebhook(api: TrayApi, options: ResolvedTrayOptions, input: WebhookInput): Promise<{ verification: WebhookVerification; notification: TrayNotification; order: unknown }> {
  const hook = options.webhook;
  if (!hook?.allowUnsigned || !hook.pathToken) {
    throw new WebhookRejectedError('not-configured', 'tray: notifications are unsigned; set webhook.allowUnsigned and webhook.pathToken to accept them');
  }
  checkPathToken(input.url, hook.pathToken);
  const body = typeof input.rawBody === 'string' ? input.rawBody : new TextDecoder().decode(input.rawBody);
  const notification = parseNotification(body, contentType(input.headers));
  if (notification.seller_id !== options.credentials.storeId) {
    throw new WebhookRejectedError('bad-signature', `tray: notification for seller ${notification.seller_id}, not the connected store`);
  }
  let order: unknown = null;
  let version = '';
  if (notification.scope_name === 'order') {
    order = await api.completeOrder(notification.scope_id);
    if (order === null && notification.act !== 'delete') {
      throw new WebhookRejectedError('malformed', `tray: notification names order ${notification.scope_id}, which the store does not have`);
    }
    const modified = (order as Record<string, unknown> | null)?.['modified'];
    version = typeof modified === 'string' ? modified : '';
  }
  const deliveryId = sha256Hex(`${notification.seller_id}|${notification.scope_name}|${notification.scope_id}|${notification.act}|${version}`);
  return { verification: { deliveryId, ping: false }, notification, order };
}

export async function parseTrayWebhook(api: TrayApi, options: ResolvedTrayOptions, resolver: TraySkuResolver, input: WebhookInput): Promise<WebhookEvent> {
  const { verification, notification, order } = await verifyTrayWebhook(api, options, input);
  const event: WebhookEvent = { deliveryId: verification.deliveryId, ping: false, orders: [], rejected: [] };
  if (order === null) return event;
  const result = await importTrayOrder(order, options, resolver, notification.scope_id);
  if ('order' in result) event.orders.push(result.order);
  else event.rejected.push(result.rejected);
  return event;
}

function checkPathToken(url: string | undefined, token: string): void {
  if (!url) throw new WebhookRejectedError('missing-signature', 'tray: the delivery URL is needed to check the secret path token');
  let segments: string[];
  try {
    segments = new URL(url, 'http://localhost').pathname.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw new WebhookRejectedError('malformed', 'tray: the delivery URL cannot be read');
  }
  // Every segment is compared in constant time, so the check does not reveal where the token sits.
  let found = false;
  for (const segment of segments) if (timingSafeEqualString(segment, token)) found = true;
  if (!found) throw new WebhookRejectedError('missing-signature', 'tray: the delivery URL does not carry the secret path token');
}

/** Tray's docs read the fields as form posts; some receivers saw JSON. Both are accepted (unconfirmed which is sent). */
export function parseNotification(body: string, type: string): TrayNotification {
  let fields: Record<string, unknown>;
  const trimmed = body.trim();
  if (type.includes('json') || trimmed.startsWith('{')) {
    try {
      fields = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new WebhookRejectedError('malformed', 'tray: the notification body is not valid JSON');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(trimmed));
  }
  const read = (key: string): string => {
    const value = fields?.[key];
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') {
      throw new WebhookRejectedError('malformed', `tray: the notification has no ${key}`);
    }
    return String(value).trim();
  };
  const notification: TrayNotification = { scope_name: read('scope_name'), scope_id: read('scope_id'), seller_id: read('seller_id'), act: read('act') };
  if (!/^\d+$/.test(notification.scope_id)) throw new WebhookRejectedError('malformed', 'tray: scope_id is not a numeric id');
  return notification;
}

function contentType(headers: WebhookInput['headers']): string {
  if (headers instanceof Headers) return headers.get('content-type') ?? '';
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type');
  return entry?.[1] ?? '';
}
