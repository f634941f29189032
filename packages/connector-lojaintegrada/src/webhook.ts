import { WebhookRejectedError, parsePlatformOrder, type PlatformOrder, type RejectedPayload, type WebhookInput, type WebhookVerification } from '@conecta/core';
import { sha256Hex, timingSafeEqualString } from '@conecta/core/http';
import { WebhookPedidoSchema } from './schemas.js';

/**
 * LI authenticates a delivery with the static token registered for it (`Authorization: Bearer <token>`); nothing signs
 * the body. LI sends duplicates and has no delivery id, so the body's hash is the id: a byte-identical duplicate is a
 * replay, and any change to the order gives a new id.
 */
export function verifyLojaIntegradaWebhook(input: WebhookInput, token: string | undefined): WebhookVerification & { numero: string; body: unknown } {
  if (!token) throw new WebhookRejectedError('not-configured', 'lojaintegrada: no webhookToken is configured, so no delivery can be trusted');
  const header = readHeader(input.headers, 'authorization');
  if (!header) throw new WebhookRejectedError('missing-signature', 'lojaintegrada: the delivery has no Authorization header');
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  // Compared in constant time even when the scheme is wrong, so timing says nothing about the token.
  const presented = match?.[1]?.trim() ?? '';
  if (!timingSafeEqualString(presented, token) || !match) {
    throw new WebhookRejectedError('bad-signature', 'lojaintegrada: the delivery token does not match the configured webhookToken');
  }
  const text = typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new WebhookRejectedError('malformed', 'lojaintegrada: the delivery body is not JSON');
  }
  const parsed = WebhookPedidoSchema.safeParse(body);
  if (!parsed.success) throw new WebhookRejectedError('malformed', 'lojaintegrada: the delivery body has no order numero');
  return { deliveryId: `lojaintegrada:${sha256Hex(input.rawBody)}`, ping: false, numero: String(parsed.data.numero), body };
}

export function orderFromWebhookBody(body: unknown, numero: string, map: (raw: unknown) => unknown): { orders: PlatformOrder[]; rejected: RejectedPayload[] } {
  const result = parsePlatformOrder(body, map, { platform: 'lojaintegrada', externalId: numero });
  return 'order' in result ? { orders: [result.order], rejected: [] } : { orders: [], rejected: [result.rejected] };
}

function readHeader(headers: WebhookInput['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
