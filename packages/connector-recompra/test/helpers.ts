import { createHmac } from 'node:crypto';
import { createRecompraConnector, type RecompraConnectorOptions } from '../src/index.js';
import { RECOMPRA_FAKE_WEBHOOK_TOKEN, type RecompraFake } from '../src/fake/index.js';

/** Serves the fake through the `fetch` option, so these tests need no msw server. */
export function fetchFrom(fake: RecompraFake): typeof fetch {
  return async (input, init) => fake.handle(new Request(input, init));
}

export function connectorFor(fake: RecompraFake, overrides: Partial<RecompraConnectorOptions> = {}) {
  return createRecompraConnector({
    webhookToken: fake.webhookToken,
    polling: { baseUrl: fake.baseUrl, apiToken: fake.apiToken, pageSize: 10 },
    fetch: fetchFrom(fake),
    http: { baseDelayMs: 1, maxDelayMs: 5 },
    rateLimit: { requests: 1000, intervalMs: 1000, source: 'test' },
    ...overrides,
  });
}

/** The assumed signature, computed here from the README's description and nothing else. */
export function sign(body: Uint8Array | string, timestamp: string, deliveryId: string, token = RECOMPRA_FAKE_WEBHOOK_TOKEN): string {
  return `sha256=${createHmac('sha256', token).update(`${timestamp}.${deliveryId}.`).update(body).digest('hex')}`;
}

export function headersFor(body: Uint8Array | string, timestamp: string, deliveryId: string, token?: string): Record<string, string> {
  return {
    'x-recompra-timestamp': timestamp,
    'x-recompra-delivery': deliveryId,
    'x-recompra-signature': sign(body, timestamp, deliveryId, token),
  };
}
