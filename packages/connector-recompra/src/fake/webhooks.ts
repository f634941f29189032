import { createHmac } from 'node:crypto';
import type { WebhookInput } from '@conecta/core';

/**
 * Signs deliveries the way our assumed contract says, written out again here with node:crypto rather than reusing
 * the connector's helper, so a mistake in one is caught by the other.
 */
export function signedDelivery(
  token: string,
  body: string,
  deliveryId: string,
  timestampSeconds: number,
): { rawBody: Uint8Array; headers: Record<string, string>; signature: string } {
  const rawBody = new TextEncoder().encode(body);
  const timestamp = String(timestampSeconds);
  const signature = `sha256=${createHmac('sha256', token).update(`${timestamp}.${deliveryId}.`).update(rawBody).digest('hex')}`;
  return {
    rawBody,
    signature,
    headers: {
      'Content-Type': 'application/json',
      'X-Recompra-Timestamp': timestamp,
      'X-Recompra-Delivery': deliveryId,
      'X-Recompra-Signature': signature,
    },
  };
}

export function withoutSignature(input: WebhookInput): WebhookInput {
  const headers = Object.fromEntries(Object.entries(input.headers as Record<string, string>).filter(([key]) => key.toLowerCase() !== 'x-recompra-signature'));
  return { ...input, headers };
}
