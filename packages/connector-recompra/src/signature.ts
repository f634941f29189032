import { hmacSha256Hex } from '@conecta/core/http';

/** Header names of the assumed webhook contract (lowercase, as `Headers` reports them). */
export const RECOMPRA_SIGNATURE_HEADER = 'x-recompra-signature';
export const RECOMPRA_TIMESTAMP_HEADER = 'x-recompra-timestamp';
export const RECOMPRA_DELIVERY_HEADER = 'x-recompra-delivery';
export const SIGNATURE_PREFIX = 'sha256=';

/**
 * Bytes the HMAC covers: `{timestamp}.{deliveryId}.` followed by the raw body bytes. The timestamp is signed so an
 * old delivery cannot be re-sent with a fresh time; the delivery id is signed so a replay cannot dodge the replay
 * guard under a new id.
 */
export function signedBytes(timestamp: string, deliveryId: string, rawBody: string | Uint8Array): Uint8Array {
  const text = new TextEncoder();
  return Buffer.concat([text.encode(`${timestamp}.${deliveryId}.`), typeof rawBody === 'string' ? text.encode(rawBody) : rawBody]);
}

/** The `X-Recompra-Signature` value for a delivery: `sha256=` and the lowercase hex HMAC-SHA256. */
export function signRecompraDelivery(token: string, timestamp: string, deliveryId: string, rawBody: string | Uint8Array): string {
  return `${SIGNATURE_PREFIX}${hmacSha256Hex(token, signedBytes(timestamp, deliveryId, rawBody))}`;
}
