import {
  WebhookRejectedError,
  parsePlatformOrder,
  type PlatformOrder,
  type PlatformOrderInput,
  type RejectedPayload,
  type WebhookInput,
  type WebhookVerification,
} from '@conecta/core';
import { sha256Hex, timingSafeEqualString } from '@conecta/core/http';
import { mapLojaIntegradaOrder } from './map-order.js';
import { WebhookItensSchema, WebhookPedidoSchema } from './schemas.js';

/**
 * LI authenticates a delivery with the static token registered for it (`Authorization: Bearer <token>`); nothing signs
 * the body. LI sends duplicates and has no delivery id, so the body's hash is the id: a byte-identical duplicate is a
 * replay, and any change to the order gives a new id.
 */
export function verifyLojaIntegradaWebhook(input: WebhookInput, token: string | undefined): WebhookVerification & { numero: string; body: unknown } {
  if (!token) throw new WebhookRejectedError('not-configured', 'lojaintegrada: no webhookToken is configured, so no delivery can be trusted');
  const header = readHeader(input.headers, 'authorization');
  if (!header) throw new WebhookRejectedError('missing-signature', 'lojaintegrada: the delivery has no Authorization header');
  // The header trimmed and `\s+` greedy: the token is what follows the spaces after the scheme, up to the end.
  const match = /^Bearer\s+(.+)/is.exec(header.trim());
  // Compared in constant time even when the scheme is wrong, so timing says nothing about the token.
  // Stryker disable next-line StringLiteral: with no Bearer scheme any text compared is refused by `!match` below.
  const presented = match?.[1] ?? '';
  if (!timingSafeEqualString(presented, token) || !match) {
    throw new WebhookRejectedError('bad-signature', 'lojaintegrada: the delivery token does not match the configured webhookToken');
  }
  const text = typeof input.rawBody === 'string' ? input.rawBody : new TextDecoder().decode(input.rawBody);
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

/** Payload mode (`webhookOrderSource: 'payload'`): the delivered body itself is the order, mapped without product reads. */
export function orderFromWebhookBody(body: unknown, numero: string, timeZone: string): { orders: PlatformOrder[]; rejected: RejectedPayload[] } {
  const result = parsePlatformOrder(body, (raw) => mapLojaIntegradaWebhookBody(raw, timeZone), { platform: 'lojaintegrada', externalId: numero });
  return 'order' in result ? { orders: [result.order], rejected: [] } : { orders: [], rejected: [result.rejected] };
}

/**
 * A webhook body is LI's order in its delivery dialect (secondary notes): JSON numbers for money and quantities and
 * UTC instants, which the mapping reads as they come, and items that name their product by id (`produto_id`,
 * `produto_id_pai`) where a detail gives URIs. The ids are written as the detail's URIs before mapping; `raw` stays
 * the body as delivered. A body the mapping will refuse is passed on unchanged, for its error to name the field.
 */
export function mapLojaIntegradaWebhookBody(body: unknown, timeZone: string): PlatformOrderInput {
  const parsed = WebhookItensSchema.safeParse(body);
  if (!parsed.success) return mapLojaIntegradaOrder(body, timeZone);
  const itens = parsed.data.itens.map(({ produto_id, produto_id_pai, ...item }) => ({
    ...item,
    // LI's own id, where a body also carries a URI (none published does): it names the product the line sold.
    produto: produtoUri(produto_id) ?? item['produto'],
    produto_pai: produtoUri(produto_id_pai) ?? item['produto_pai'],
  }));
  return { ...mapLojaIntegradaOrder({ ...parsed.data, itens }, timeZone), raw: body };
}

/** `88568855` (or those digits as text) to the detail's `/api/v1/produto/88568855`; 0, blank or absent names none. */
function produtoUri(id: unknown): string | undefined {
  const text = String(id).trim();
  return /^[1-9]\d*$/.test(text) ? `/api/v1/produto/${text}` : undefined;
}

function readHeader(headers: WebhookInput['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
