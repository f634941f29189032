import { fileURLToPath } from 'node:url';
import type { Connector } from '@conecta/core';
import { createLojaIntegradaConnector, type LojaIntegradaConnectorOptions } from '../src/index.js';
import { createLojaIntegradaFake, type LojaIntegradaFake, type LojaIntegradaFakeOptions } from '../src/fake/index.js';

export const CREDENTIALS = {
  chaveApi: 'test-chave-api-7f3a91',
  chaveAplicacao: 'test-chave-aplicacao-52c0de',
  webhookToken: 'test-webhook-token-e81b44',
};

/** Fast retries; a rate limit roomy enough for a test yet still enforced by the core bucket. */
export const FAST = {
  http: { baseDelayMs: 1, maxDelayMs: 5, attemptTimeoutMs: 2_000 },
  rateLimit: { requests: 500, intervalMs: 1_000, burst: 500 },
} satisfies Partial<LojaIntegradaConnectorOptions>;

export function fakeWith(options: LojaIntegradaFakeOptions = {}): LojaIntegradaFake {
  return createLojaIntegradaFake({ ...CREDENTIALS, ...options });
}

/** A connector wired straight to the fake's handler (no msw), on its own store key so buckets are not shared. */
export function connectorFor(fake: LojaIntegradaFake, options: Partial<LojaIntegradaConnectorOptions> = {}): Connector {
  return createLojaIntegradaConnector({
    ...CREDENTIALS,
    ...FAST,
    baseUrl: fake.baseUrl,
    fetch: (input, init) => fake.handle(new Request(input, init)),
    ...options,
  });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** `tests/fixtures/platforms/lojaintegrada/`: published payloads, each beside its hand-checked expected order. */
export const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/platforms/lojaintegrada/', import.meta.url));
