import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  UpstreamError,
  ValidationError,
} from '../errors/errors.js';
import { ConectaError } from '../errors/conecta-error.js';
import { redactText, redactUrl } from '../errors/redact.js';
import { registerSecret } from '../errors/secrets.js';
import type { RateLimitPolicy } from '../spec/rate-limit.js';
import { backoffDelay, parseRetryAfter } from './retry-after.js';
import { createLane, sharedLane } from './lane.js';
import { sharedLimiterKey, sharedRateLimiter, sharedSpacingMs } from './shared-limiter.js';
import { createTokenBucket, sharedTokenBucket, type TokenBucket } from './token-bucket.js';
import { createFetchTransport, createNodeTransport, TransportTimeoutError, type Transport, type TransportResponse } from './transport.js';

/** A request's description for error messages, built on first use. */
type Where = { toString(): string };

export interface HttpPolicy {
  /** Per attempt. */
  attemptTimeoutMs: number;
  /** The whole call, every attempt and wait included. */
  deadlineMs: number;
  /** Attempts in all (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server wait longer than this is not slept through: the call fails with RateLimitError carrying the wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  attemptTimeoutMs: 15_000,
  deadlineMs: 120_000,
  maxAttempts: 5,
  baseDelayMs: 300,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the client's base URL. */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  json?: unknown;
  /** Form fields, sent as application/x-www-form-urlencoded (Tray's token exchange wants them). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Overrides the policy's per-attempt timeout for this request (a create may deserve longer than a read). */
  attemptTimeoutMs?: number;
  /**
   * May the request be repeated after an ambiguous failure (timeout, network error, 5xx)? Defaults to true for GET,
   * PUT and DELETE, false for POST and PATCH: a create is never retried blindly. A 429 is always retried, since the
   * server refused it before doing anything.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** `json` (default) parses the body; `text` returns it as is. */
  responseType?: 'json' | 'text';
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export interface RetryEvent {
  platform: string;
  attempt: number;
  code: string;
  waitMs: number;
}

export interface HttpClientOptions {
  platform: string;
  baseUrl: string;
  /**
   * Sends each attempt through this fetch (a test double, msw, another runtime's fetch). Without it, attempts go out
   * over node:http keep-alive sockets, which msw's Node interceptors see as well.
   */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** Client-side limit; the connector's documented default. */
  rateLimit: RateLimitPolicy;
  /** Shares one bucket between clients of the same credential. Without it the client gets a bucket of its own. */
  rateLimitKey?: string;
  policy?: Partial<HttpPolicy>;
  /** Credentials, registered for redaction so they never show in an error or log. */
  secrets?: Array<string | undefined>;
  /** Adds credentials to each attempt (headers or query), so refreshed tokens are picked up. */
  authorize?: (request: { headers: Headers; query: URLSearchParams }) => void | Promise<void>;
  /**
   * Called on a 401 with what the platform said (some tell an expired token from a blocked store in the body);
   * return true after refreshing credentials to try once more.
   */
  onUnauthorized?: (response: { status: number; body: unknown; headers: Headers }) => Promise<boolean>;
  /**
   * Requests in flight at once on this credential (shared by every client with the same `rateLimitKey`). A 429
   * pauses the credential before its slot is given back, so no request already queued goes out during the wait.
   */
  maxConcurrency?: number;
  /** Reads a platform-specific wait from a 429 body (Mercos' `tempo_ate_permitir_novamente`), in milliseconds. */
  retryAfterFromBody?: (body: unknown, response: { status: number; headers: Headers }) => number | undefined;
  /** Statuses the platform uses for throttling besides 429. */
  throttleStatuses?: number[];
  onRetry?: (event: RetryEvent) => void;
  random?: () => number;
}

export interface HttpClient {
  readonly platform: string;
  readonly bucket: TokenBucket;
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, query?: HttpRequest['query'], options?: Omit<HttpRequest, 'path' | 'query' | 'method'>): Promise<HttpResponse<T>>;
}

/**
 * The one HTTP policy every connector and the Mainô client use. The retry loop is ours because every attempt,
 * retries included, must pass the credential's token bucket, a 429 must pause the whole credential, and a create
 * must never be retried blindly. Attempts go out through a transport (./transport.ts): node:http by default, since
 * fetch costs twice its CPU per request (ky over fetch, which this used before, three to four times) and a pipeline
 * spends most of its CPU on requests.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const policy: HttpPolicy = { ...DEFAULT_HTTP_POLICY, ...options.policy };
  for (const secret of options.secrets ?? []) registerSecret(secret);
  const bucket = options.rateLimitKey
    ? sharedTokenBucket(`${options.platform}:${options.rateLimitKey}`, options.rateLimit)
    : createTokenBucket(options.rateLimit);
  const lane = options.maxConcurrency
    ? options.rateLimitKey
      ? sharedLane(`${options.platform}:${options.rateLimitKey}`, options.maxConcurrency)
      : createLane(options.maxConcurrency)
    : undefined;
  const random = options.random ?? Math.random;
  const throttle = new Set([429, ...(options.throttleStatuses ?? [])]);
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const transport: Transport = options.fetch ? createFetchTransport(options.fetch) : sharedNodeTransport();
  const defaultHeaders = { accept: 'application/json', ...options.headers };
  const sharedKey = options.rateLimitKey ? sharedLimiterKey(options.platform, options.rateLimitKey) : undefined;
  const sharedSpacing = sharedSpacingMs(options.rateLimit);

  /** Waits for this process's turn on the credential's shared schedule, when one is installed. */
  async function takeSharedSlot(signal: AbortSignal | undefined): Promise<void> {
    const limiter = sharedKey ? sharedRateLimiter() : undefined;
    if (!limiter) return;
    let waitMs: number;
    try {
      waitMs = await limiter.reserve(sharedKey!, sharedSpacing);
    } catch (error) {
      // Without the shared schedule this call could overspend the other workers' budget: fail it as retryable.
      throw new UpstreamError(`${options.platform}: the shared rate limiter failed: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'UPSTREAM',
        retryable: true,
        cause: error,
      });
    }
    if (waitMs > 0) await sleep(waitMs, undefined, { signal });
  }

  /** Tells the other processes on the credential to wait as well; this process's own bucket already does. */
  async function pauseShared(waitMs: number): Promise<void> {
    const limiter = sharedKey ? sharedRateLimiter() : undefined;
    await limiter?.pause(sharedKey!, waitMs).catch(() => undefined);
  }

  async function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const method = req.method ?? 'GET';
    const idempotent = req.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE');
    // The deadline is checked between attempts and caps each attempt's timeout, rather than being one more
    // AbortSignal per request: signals and their listeners are a measurable share of a busy pipeline's CPU.
    const deadlineAt = Date.now() + policy.deadlineMs;
    const signal = req.signal;
    const path = req.path.replace(/^\/+/, '');
    const describe = (query: URLSearchParams) => `${method} ${redactUrl(`${baseUrl}${path}${query.size ? `?${query}` : ''}`)}`;
    let refreshed = false;

    for (let attempt = 1; ; attempt += 1) {
      const remainingMs = deadlineAt - Date.now();
      const query = toSearchParams(req.query);
      const headers = new Headers(defaultHeaders);
      for (const [name, value] of Object.entries(req.headers ?? {})) headers.set(name, value);
      await options.authorize?.({ headers, query });
      // Described only when something fails: redacting a URL on every successful call is wasted work.
      let described: string | undefined;
      const where: Where = { toString: () => (described ??= describe(query)) };
      if (remainingMs <= 0) throw new UpstreamError(`${where}: deadline of ${policy.deadlineMs} ms exceeded`, { code: 'TIMEOUT', retryable: false });
      const release = lane ? await lane.acquire(signal).catch((error: unknown) => {
        throw abortOr(error, signal, req.signal, where);
      }) : undefined;
      try {
        await bucket.take(signal);
        await takeSharedSlot(signal);
      } catch (error) {
        release?.();
        throw abortOr(error, signal, req.signal, where);
      }

      let response: TransportResponse;
      try {
        const search = query.size ? `?${query}` : '';
        response = await transport({
          method,
          url: new URL(`${baseUrl}${path}${search}`),
          headers: outgoingHeaders(headers, req),
          ...(req.json !== undefined ? { body: JSON.stringify(req.json) } : req.form !== undefined ? { body: new URLSearchParams(req.form).toString() } : {}),
          timeoutMs: Math.max(1, Math.min(req.attemptTimeoutMs ?? policy.attemptTimeoutMs, remainingMs)),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        release?.();
        const failure = transportError(error, signal, req.signal, where);
        if (!failure.retryable || !idempotent || attempt >= policy.maxAttempts) throw failure;
        const waitMs = backoffDelay(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
        options.onRetry?.({ platform: options.platform, attempt, code: failure.code, waitMs });
        await wait(waitMs, signal, req.signal, where, deadlineAt, failure);
        continue;
      }

      const status = response.status;
      if (status >= 200 && status < 300) {
        let data: T;
        try {
          data = readBody<T>(response, req.responseType ?? 'json', where, method, idempotent);
        } catch (error) {
          const failure = error as ConectaError;
          if (!failure.retryable || attempt >= policy.maxAttempts) throw failure;
          const waitMs = backoffDelay(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
          options.onRetry?.({ platform: options.platform, attempt, code: failure.code, waitMs });
          await wait(waitMs, signal, req.signal, where, deadlineAt, failure);
          continue;
        } finally {
          release?.();
        }
        return { status, headers: response.headers, data };
      }

      const body = readErrorBody(response.text);
      if (throttle.has(status)) {
        const hinted = options.retryAfterFromBody?.(body.parsed, response) ?? parseRetryAfter(response.headers);
        const waitMs = hinted ?? backoffDelay(attempt, Math.max(policy.baseDelayMs, 1000), policy.maxDelayMs, random);
        // Everyone on this credential waits, not just this call: some platforms block clients that call early.
        bucket.pauseUntil(Date.now() + waitMs);
        await pauseShared(waitMs);
        release?.();
        if (waitMs > policy.maxRetryAfterMs || waitMs > deadlineAt - Date.now() || attempt >= policy.maxAttempts) {
          throw new RateLimitError(`${options.platform}: ${where} answered ${status}; retry in ${Math.ceil(waitMs / 1000)} s`, { retryAfterMs: waitMs });
        }
        options.onRetry?.({ platform: options.platform, attempt, code: 'RATE_LIMITED', waitMs });
        continue; // the bucket holds the next attempt until the pause ends
      }
      release?.();
      if (status === 401 && options.onUnauthorized && !refreshed) {
        refreshed = true;
        if (await options.onUnauthorized({ status, body: body.parsed ?? body.text, headers: response.headers })) continue;
      }
      const failure = statusError(options.platform, status, where, body.text, method, redactUrl(`${baseUrl}${path}`));
      if (failure.retryable && idempotent && attempt < policy.maxAttempts) {
        const waitMs = backoffDelay(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
        options.onRetry?.({ platform: options.platform, attempt, code: failure.code, waitMs });
        await wait(waitMs, signal, req.signal, where, deadlineAt, failure);
        continue;
      }
      throw failure;
    }
  }

  return {
    platform: options.platform,
    bucket,
    request,
    get: (path, query, rest) => request({ ...rest, method: 'GET', path, query }),
  };
}

function toSearchParams(query: HttpRequest['query']): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) params.append(key, String(item));
    }
  }
  return params;
}

function outgoingHeaders(headers: Headers, req: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  if (req.json !== undefined) out['content-type'] ??= 'application/json';
  else if (req.form !== undefined) out['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  return out;
}

let nodeTransport: Transport | undefined;
/** One keep-alive pool per process, so every client to the same host reuses the same sockets. */
function sharedNodeTransport(): Transport {
  return (nodeTransport ??= createNodeTransport());
}

function readBody<T>(response: TransportResponse, type: 'json' | 'text', where: Where, method: string, idempotent: boolean): T {
  const text = response.text;
  if (type === 'text') return text as T;
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    // A 200 with an HTML page (a host's firewall, a maintenance page) is usually passing: retry reads, not writes.
    throw new UpstreamError(`${where}: the response body is not valid JSON (starts with ${JSON.stringify(redactText(text.slice(0, 60)))})`, {
      status: response.status,
      method,
      retryable: idempotent,
    });
  }
}

function readErrorBody(text: string): { text: string; parsed: unknown } {
  try {
    return { text, parsed: JSON.parse(text) };
  } catch {
    return { text, parsed: undefined };
  }
}

function statusError(platform: string, status: number, where: Where, body: string, method: string, url: string): ConectaError {
  const snippet = body ? `: ${redactText(body.slice(0, 300))}` : '';
  const message = `${platform}: ${where} answered ${status}${snippet}`;
  if (status === 401 || status === 403) return new AuthError(message, { status });
  if (status === 404) return new NotFoundError(message);
  if (status === 409) return new ConflictError(message);
  if (status === 400 || status === 422) return new ValidationError([{ path: '', message }], { subject: `${platform} request`, status });
  return new UpstreamError(message, { status, method, url, retryable: status === 408 || status >= 500 });
}

function transportError(error: unknown, signal: AbortSignal | undefined, callerSignal: AbortSignal | undefined, where: Where): ConectaError {
  if (callerSignal?.aborted || signal?.aborted) return new UpstreamError(`${where}: aborted`, { code: 'UPSTREAM', retryable: false, cause: (callerSignal ?? signal)?.reason });
  if (error instanceof TransportTimeoutError) return new UpstreamError(`${where}: timed out`, { code: 'TIMEOUT', retryable: true });
  const reason = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return new UpstreamError(`${where}: network error: ${reason}`, { code: 'NETWORK', retryable: true });
}

function abortOr(error: unknown, signal: AbortSignal | undefined, callerSignal: AbortSignal | undefined, where: Where): unknown {
  if (ConectaError.isConectaError(error)) return error;
  return transportError(error, signal, callerSignal, where);
}

/** Sleeps before a retry; when the retry could not start before the deadline, fails now with the last failure. */
async function wait(ms: number, signal: AbortSignal | undefined, callerSignal: AbortSignal | undefined, where: Where, deadlineAt: number, failure: ConectaError): Promise<void> {
  if (Date.now() + ms >= deadlineAt) throw failure;
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw abortOr(error, signal, callerSignal, where);
  }
}
