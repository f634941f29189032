import { WebhookRejectedError, type WebhookEvent, type WebhookInput, type WebhookVerification } from '@conecta/core';
import { timingSafeEqualString } from '@conecta/core/http';
import { mapRawOrder } from './map-order.js';
import { RecompraWebhookBodySchema, type RecompraOrderIdentify, type RecompraOrderMapping } from './schema.js';
import { RECOMPRA_DELIVERY_HEADER, RECOMPRA_SIGNATURE_HEADER, RECOMPRA_TIMESTAMP_HEADER, signRecompraDelivery } from './signature.js';

export interface WebhookSettings {
  token: string;
  toleranceMs: number;
  now: () => number;
  schema: RecompraOrderMapping;
  identify: RecompraOrderIdentify;
}

function header(headers: WebhookInput['headers'], name: string): string | undefined {
  // `Headers` already strips the whitespace around a value.
  if (headers instanceof Headers) return headers.get(name) || undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value.trim() || undefined;
  }
  return undefined;
}

function bodyText(rawBody: WebhookInput['rawBody']): string {
  return typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8');
}

/** Authenticity first, freshness second: an unsigned sender learns nothing from the answer. */
function authenticate(input: WebhookInput, settings: WebhookSettings): { deliveryId: string; sentAt: string } {
  const signature = header(input.headers, RECOMPRA_SIGNATURE_HEADER);
  if (!signature) throw new WebhookRejectedError('missing-signature', `recompra webhook: no ${RECOMPRA_SIGNATURE_HEADER} header`);
  const timestamp = header(input.headers, RECOMPRA_TIMESTAMP_HEADER);
  const deliveryId = header(input.headers, RECOMPRA_DELIVERY_HEADER);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !deliveryId) {
    throw new WebhookRejectedError('malformed', `recompra webhook: ${RECOMPRA_TIMESTAMP_HEADER} (unix seconds) and ${RECOMPRA_DELIVERY_HEADER} are required`);
  }
  const expected = signRecompraDelivery(settings.token, timestamp, deliveryId, input.rawBody);
  if (!timingSafeEqualString(signature.toLowerCase(), expected)) {
    throw new WebhookRejectedError('bad-signature', `recompra webhook ${deliveryId}: signature does not match the body`);
  }
  const sentMs = Number(timestamp) * 1000;
  if (Math.abs(settings.now() - sentMs) > settings.toleranceMs) {
    throw new WebhookRejectedError('stale', `recompra webhook ${deliveryId}: timestamp is outside the ${settings.toleranceMs / 1000} s window`);
  }
  return { deliveryId, sentAt: new Date(sentMs).toISOString() };
}

function readBody(input: WebhookInput, deliveryId: string): { event: string; order?: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(bodyText(input.rawBody));
  } catch {
    throw new WebhookRejectedError('malformed', `recompra webhook ${deliveryId}: body is not JSON`);
  }
  const parsed = RecompraWebhookBodySchema.safeParse(json);
  if (!parsed.success) throw new WebhookRejectedError('malformed', `recompra webhook ${deliveryId}: body has no "event"`);
  return parsed.data;
}

export async function verifyRecompraWebhook(input: WebhookInput, settings: WebhookSettings): Promise<WebhookVerification> {
  const { deliveryId, sentAt } = authenticate(input, settings);
  const body = readBody(input, deliveryId);
  return { deliveryId, sentAt, ping: body.event === 'ping' };
}

export async function parseRecompraWebhook(input: WebhookInput, settings: WebhookSettings): Promise<WebhookEvent> {
  const { deliveryId } = authenticate(input, settings);
  const body = readBody(input, deliveryId);
  if (body.event === 'ping' || body.order === undefined) return { deliveryId, ping: body.event === 'ping', orders: [], rejected: [] };
  const mapped = mapRawOrder(body.order, settings.schema, settings.identify);
  return mapped.order
    ? { deliveryId, ping: false, orders: [mapped.order], rejected: [] }
    : { deliveryId, ping: false, orders: [], rejected: [mapped.rejected] };
}
