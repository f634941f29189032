import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, RateLimitError, UpstreamError } from '../src/index.js';
import { createHttpClient, type HttpClientOptions } from '../src/http/index.js';

const BASE = 'https://api.test/v1';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = (overrides: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    platform: 'test',
    baseUrl: BASE,
    rateLimit: { requests: 1000, intervalMs: 1000, source: 'test' },
    policy: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 },
    secrets: ['sekret-token-123'],
    authorize: ({ query }) => query.set('access_token', 'sekret-token-123'),
    ...overrides,
  });

describe('http client', () => {
  it('retries a 5xx on a GET and returns the parsed body', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/orders`, () => {
        calls += 1;
        return calls < 3 ? HttpResponse.json({ error: 'boom' }, { status: 502 }) : HttpResponse.json({ ok: true });
      }),
    );
    const response = await client().get<{ ok: boolean }>('/orders');
    expect(response.data).toEqual({ ok: true });
    expect(calls).toBe(3);
  });

  it('never retries a POST after a 5xx', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/orders`, () => {
        calls += 1;
        return HttpResponse.json({}, { status: 503 });
      }),
    );
    await expect(client().request({ method: 'POST', path: 'orders', json: { a: 1 } })).rejects.toBeInstanceOf(UpstreamError);
    expect(calls).toBe(1);
  });

  it('waits for Retry-After on a 429, even for a POST', async () => {
    const times: number[] = [];
    server.use(
      http.post(`${BASE}/orders`, () => {
        times.push(Date.now());
        return times.length === 1
          ? HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '1' } })
          : HttpResponse.json({ id: 1 }, { status: 201 });
      }),
    );
    const response = await client().request({ method: 'POST', path: 'orders', json: {} });
    expect(response.status).toBe(201);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  });

  it('fails fast with the wait when Retry-After exceeds the cap', async () => {
    server.use(http.get(`${BASE}/orders`, () => HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '3600' } })));
    const error = await client().get('/orders').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
  });

  it('maps 401 and 404 to typed errors with the token redacted', async () => {
    server.use(
      http.get(`${BASE}/secret`, () => HttpResponse.json({ message: 'bad token sekret-token-123' }, { status: 401 })),
      http.get(`${BASE}/missing`, () => HttpResponse.json({}, { status: 404 })),
    );
    const auth = await client().get('/secret').catch((caught: unknown) => caught);
    expect(auth).toBeInstanceOf(AuthError);
    const serialised = JSON.stringify(auth) + String((auth as Error).stack);
    expect(serialised).not.toContain('sekret-token-123');
    expect((auth as Error).message).toContain('access_token=[REDACTED]');
    await expect(client().get('/missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports a malformed JSON body as an upstream error', async () => {
    server.use(http.get(`${BASE}/orders`, () => new HttpResponse('{"orders": [', { headers: { 'content-type': 'application/json' } })));
    const error = await client().get('/orders').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toContain('not valid JSON');
  });

  it('spaces requests by the token bucket', async () => {
    server.use(http.get(`${BASE}/ping`, () => HttpResponse.json({})));
    const limited = client({ rateLimit: { requests: 10, intervalMs: 1000, burst: 1, source: 'test' } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limited.get('/ping')));
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});

describe('http client: credential lanes, forms, 401 details', () => {
  it('holds queued requests of a credential during a 429 wait when concurrency is limited', async () => {
    const arrivals: number[] = [];
    server.use(
      http.get(`${BASE}/lane`, () => {
        arrivals.push(Date.now());
        return arrivals.length === 1
          ? HttpResponse.json({ tempo: 1 }, { status: 429, headers: { 'Retry-After': '1' } })
          : HttpResponse.json({ ok: true });
      }),
    );
    const laned = client({ maxConcurrency: 1, rateLimitKey: `lane-${Math.random()}` });
    await Promise.all([laned.get('/lane'), laned.get('/lane'), laned.get('/lane')]);
    // Every request after the 429 arrived after its wait ended: none slipped out while it was being answered.
    for (const at of arrivals.slice(1)) expect(at - arrivals[0]!).toBeGreaterThanOrEqual(990);
    expect(arrivals).toHaveLength(4);
  });

  it('sends form fields and tells onUnauthorized what the platform said', async () => {
    let seenBody = '';
    let unauthorizedBody: unknown;
    server.use(
      http.post(`${BASE}/auth`, async ({ request }) => {
        seenBody = await request.text();
        return HttpResponse.json({ error_code: 1001 }, { status: 401 });
      }),
    );
    const refreshing = client({
      onUnauthorized: async (response) => {
        unauthorizedBody = response.body;
        return false;
      },
    });
    await expect(refreshing.request({ method: 'POST', path: 'auth', form: { code: 'abc', consumer_key: 'k' } })).rejects.toBeInstanceOf(AuthError);
    expect(seenBody).toBe('code=abc&consumer_key=k');
    expect(unauthorizedBody).toEqual({ error_code: 1001 });
  });

  it('gives a slow request its own attempt timeout and keeps the status on remote validation errors', async () => {
    server.use(
      http.get(`${BASE}/slow`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return HttpResponse.json({ ok: true });
      }),
      http.post(`${BASE}/orders`, () => HttpResponse.json({ errors: ['cliente inválido'] }, { status: 422 })),
    );
    const error = await client().request({ path: 'slow', attemptTimeoutMs: 50 }).catch((caught: unknown) => caught);
    expect((error as UpstreamError).code).toBe('TIMEOUT');
    const rejected = await client().request({ method: 'POST', path: 'orders', json: {} }).catch((caught: unknown) => caught);
    expect(rejected).toMatchObject({ code: 'VALIDATION', status: 422 });
  });
});
