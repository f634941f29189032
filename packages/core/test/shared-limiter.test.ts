import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/index.js';
import { createHttpClient, shareRateLimits, sharedLimiterKey, sharedSpacingMs, type HttpClientOptions, type SharedRateLimiter } from '../src/http/index.js';

const BASE = 'https://shared.test/v1';
const TOKEN = 'shared-limiter-token-987';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  shareRateLimits(undefined);
});
afterAll(() => server.close());

const RATE = { requests: 20, intervalMs: 1000, source: 'test' };
const client = (overrides: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    platform: 'test',
    baseUrl: BASE,
    rateLimit: RATE,
    rateLimitKey: `store-1:${TOKEN}`,
    policy: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
    secrets: [TOKEN],
    ...overrides,
  });

/** A limiter as another process would see it: records what it is asked and answers the wait it is told to. */
function recordingLimiter(waitMs: number) {
  const reserved: Array<{ key: string; spacingMs: number }> = [];
  const paused: Array<{ key: string; waitMs: number }> = [];
  const limiter: SharedRateLimiter = {
    async reserve(key, spacingMs) {
      reserved.push({ key, spacingMs });
      return waitMs;
    },
    async pause(key, pauseMs) {
      paused.push({ key, waitMs: pauseMs });
    },
  };
  return { limiter, reserved, paused };
}

describe('rate limits shared between processes', () => {
  it('starts a request only when the shared schedule says so, under a key that holds no credential', async () => {
    const started: number[] = [];
    server.use(http.get(`${BASE}/orders`, () => (started.push(Date.now()), HttpResponse.json([]))));
    const { limiter, reserved } = recordingLimiter(250);
    shareRateLimits(limiter);
    const before = Date.now();
    await client().get('orders');
    expect(started[0]! - before).toBeGreaterThanOrEqual(245);
    expect(reserved).toEqual([{ key: sharedLimiterKey('test', `store-1:${TOKEN}`), spacingMs: sharedSpacingMs(RATE) }]);
    expect(reserved[0]!.key).not.toContain(TOKEN);
    // 20 per second plus the 3% margin (30 ms): 51.5 ms apart, so no second of the server's holds 21.
    expect(sharedSpacingMs(RATE)).toBeCloseTo(51.5, 5);
  });

  it('passes a 429 wait on to the other processes', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/orders`, () => {
        calls += 1;
        return calls === 1 ? HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '1' } }) : HttpResponse.json([]);
      }),
    );
    const { limiter, paused, reserved } = recordingLimiter(0);
    shareRateLimits(limiter);
    await client().get('orders');
    expect(paused).toEqual([{ key: sharedLimiterKey('test', `store-1:${TOKEN}`), waitMs: 1000 }]);
    expect(reserved).toHaveLength(2);
  });

  it('fails a call as retryable when the shared limiter cannot be reached, without sending it', async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/orders`, () => (calls += 1, HttpResponse.json([]))));
    shareRateLimits({
      reserve: async () => {
        throw new Error(`connection refused (postgres://conecta:${TOKEN}@db)`);
      },
      pause: async () => undefined,
    });
    const failure = await client().get('orders').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).retryable).toBe(true);
    expect((failure as Error).message).toContain('the shared rate limiter failed');
    expect((failure as Error).message).not.toContain(TOKEN);
    expect(calls).toBe(0);
  });

  it('leaves clients that name no credential to their own limit', async () => {
    server.use(http.get(`${BASE}/orders`, () => HttpResponse.json([])));
    const { limiter, reserved } = recordingLimiter(10_000);
    shareRateLimits(limiter);
    await client({ rateLimitKey: undefined }).get('orders');
    expect(reserved).toEqual([]);
  });
});
