import ky, { isHTTPError, isTimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import pRetry, { AbortError } from 'p-retry';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ResponseTooLargeError,
  UpstreamError,
  ValidationError,
} from '../errors/errors.js';
import { ConectaError, MAX_ERROR_BODY_CHARS, type HttpRequestDetails, type HttpResponseDetails } from '../errors/conecta-error.js';
import { redactText, redactUrl } from '../errors/redact.js';
import { registerSecret } from '../errors/secrets.js';
import type { RateLimitPolicy } from '../spec/rate-limit.js';
import { BodyTimeout, BodyTooLarge, readBodyBytes } from './body.js';
import { sharedDispatcher } from './dispatcher.js';
import { createLane, sharedLane, type Lane } from './lane.js';
import { parseJsonBytes } from './json-bytes.js';
import { backoffDelay, parseRetryAfter } from './retry-after.js';
import { sharedLimiterKey, sharedRateLimiter, sharedSpacingMs } from './shared-limiter.js';
import { createTokenBucket, sharedTokenBucket, type TokenBucket } from './token-bucket.js';

export interface HttpPolicy {
  /** Per attempt: the answer's headers and its body. */
  attemptTimeoutMs: number;
  /** The whole call, every attempt and wait included. */
  deadlineMs: number;
  /** Attempts in all (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server wait longer than this is not slept through: the call fails with RateLimitError carrying the wait. */
  maxRetryAfterMs: number;
  /** An answer body larger than this fails with ResponseTooLargeError instead of being read into memory. */
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  attemptTimeoutMs: 15_000,
  deadlineMs: 120_000,
  maxAttempts: 5,
  baseDelayMs: 300,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  maxResponseBytes: 20 * 1024 * 1024,
};

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the client's base URL. */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  json?: unknown;
  /** Form fields, sent as application/x-www-form-urlencoded (Tray's token exchange wants them). */
  form?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Overrides the policy's per-attempt timeout for this request (a create may deserve longer than a read). */
  attemptTimeoutMs?: number;
  /**
   * May the request be repeated after an ambiguous failure (timeout, network error, 5xx)? Defaults to true for GET,
   * HEAD, PUT and DELETE, false for POST and PATCH: a create is never retried blindly. A 429 is always retried, since
   * the server refused it before doing anything.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /**
   * `json` (default) parses the body; `text` returns it as is; `bytes` returns the undecoded body (a Uint8Array), for a
   * caller that keeps many answers before reading them: bytes live outside the JavaScript heap, parsed values in it.
   */
  responseType?: 'json' | 'text' | 'bytes';
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
   * Sends each attempt through this fetch (a test double, another runtime's fetch). Without it, attempts go through
   * the global fetch, read at call time (so msw sees them), on the process's shared keep-alive pool, which honours
   * `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`.
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
  /** Source of the jitter in waits after a 429 without Retry-After (tests pin it). */
  random?: () => number;
}

export interface HttpClient {
  readonly platform: string;
  readonly bucket: TokenBucket;
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, query?: HttpRequest['query'], options?: Omit<HttpRequest, 'path' | 'query' | 'method'>): Promise<HttpResponse<T>>;
}

const decoder = new TextDecoder();

/** Failures that a retry does not count against `maxAttempts`: the server asked to wait, or credentials were renewed. */
const freeRetries = new WeakSet<object>();

/**
 * The one HTTP policy every connector and the Mainô client use. ky sends each attempt (timeout, HTTPError with the
 * error body read within bounds) over Node's fetch on a shared keep-alive, proxy-aware undici pool; p-retry runs the
 * attempts (jittered exponential backoff, the call's deadline, cancellation). What no library does stays here: every
 * attempt, retries included, passes the credential's token bucket (and the limiter shared between processes), a 429
 * pauses the whole credential for the wait it names, and a create is never retried after an ambiguous failure.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const policy: HttpPolicy = { ...DEFAULT_HTTP_POLICY, ...options.policy };
  for (const secret of options.secrets ?? []) registerSecret(secret);
  const bucket = options.rateLimitKey
    ? sharedTokenBucket(`${options.platform}:${options.rateLimitKey}`, options.rateLimit)
    : createTokenBucket(options.rateLimit);
  const lane: Lane | undefined = options.maxConcurrency
    ? options.rateLimitKey
      ? sharedLane(`${options.platform}:${options.rateLimitKey}`, options.maxConcurrency)
      : createLane(options.maxConcurrency)
    : undefined;
  const random = options.random ?? Math.random;
  const throttle = new Set([429, ...(options.throttleStatuses ?? [])]);
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const defaultHeaders = { accept: 'application/json', ...options.headers };
  const sharedKey = options.rateLimitKey ? sharedLimiterKey(options.platform, options.rateLimitKey) : undefined;
  const sharedSpacing = sharedSpacingMs(options.rateLimit);
  const givenFetch = options.fetch;
  // One ky instance per client. Retries are p-retry's (below), never ky's: `retry: 0`.
  const api: KyInstance = ky.create({
    retry: 0,
    timeout: policy.attemptTimeoutMs,
    // Read at call time, so msw and fetch doubles installed after the client was built still see the requests.
    fetch: givenFetch ?? ((input, init) => globalThis.fetch(input, init)),
    dispatcher: givenFetch ? undefined : sharedDispatcher(),
  } as KyOptions);

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
    const idempotent = req.idempotent ?? (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE');
    const deadlineAt = Date.now() + policy.deadlineMs;
    const signal = req.signal;
    const path = req.path.replace(/^\/+/, '');
    let refreshed = false;
    let throttled = 0;
    let lastFailure: ConectaError | undefined;

    /** One attempt: the credential's limits, then the request, then what its status means. */
    const attempt = async (attemptNumber: number): Promise<HttpResponse<T>> => {
      const remainingMs = deadlineAt - Date.now();
      const query = toSearchParams(req.query);
      const headers = new Headers(defaultHeaders);
      if (req.headers) for (const name in req.headers) headers.set(name, req.headers[name]!);
      await options.authorize?.({ headers, query });
      const url = `${baseUrl}${path}${query.size ? `?${query}` : ''}`;
      const context: AttemptContext = { platform: options.platform, method, url, headers, idempotent, signal };
      if (remainingMs <= 0) {
        throw new AbortError(lastFailure ?? new UpstreamError(`${describe(context)}: deadline of ${policy.deadlineMs} ms exceeded`, { code: 'TIMEOUT', retryable: false, request: requestDetails(context) }));
      }
      const send = async (): Promise<HttpResponse<T>> => {
        try {
          await bucket.take(signal);
          await takeSharedSlot(signal);
        } catch (error) {
          // The credential's limits refused or the caller gave up: nothing went out, and retrying here would not help.
          const failure = failureOf(error, context);
          throw failure instanceof AbortError ? failure : new AbortError(failure as Error);
        }
        const timeoutMs = Math.max(1, Math.min(req.attemptTimeoutMs ?? policy.attemptTimeoutMs, remainingMs));
        const startedAt = Date.now();
        let response: Response;
        try {
          response = await api(url, {
            method,
            headers,
            timeout: timeoutMs,
            ...(req.json !== undefined ? { json: req.json } : req.form !== undefined ? { body: formBody(req.form) } : {}),
            ...(signal ? { signal } : {}),
          });
        } catch (error) {
          if (isHTTPError(error)) throw await statusFailure(error.response, error.data, context, attemptNumber);
          throw failureOf(error, context);
        }
        let bytes: Uint8Array;
        try {
          bytes = await readBodyBytes(response, policy.maxResponseBytes, Math.max(1, timeoutMs - (Date.now() - startedAt)));
        } catch (error) {
          if (error instanceof BodyTooLarge) {
            throw new AbortError(
              new ResponseTooLargeError(`${describe(context)}: the answer is larger than the limit of ${policy.maxResponseBytes} bytes (maxResponseBytes)`, {
                limitBytes: policy.maxResponseBytes,
                status: response.status,
                method,
                url: redactUrl(url),
                request: requestDetails(context),
                response: responseDetails(response, undefined),
              }),
            );
          }
          throw failureOf(error, context);
        }
        const data = req.responseType === 'bytes' ? (bytes as T) : parseBody<T>(bytes, req.responseType ?? 'json', context, response);
        return { status: response.status, headers: response.headers, data };
      };
      try {
        return await (lane ? lane.run(send, signal) : send());
      } catch (error) {
        if (error instanceof AbortError) throw error;
        throw failureOf(error, context);
      }
    };

    /** A 401 may renew credentials; a throttle pauses the credential; the rest map to typed errors. */
    async function statusFailure(response: Response, data: unknown, context: AttemptContext, attemptNumber: number): Promise<unknown> {
      const status = response.status;
      const bodyText = typeof data === 'string' ? data : data === undefined ? undefined : JSON.stringify(data);
      const details = { request: requestDetails(context), response: responseDetails(response, bodyText) };
      if (throttle.has(status)) {
        const hinted = options.retryAfterFromBody?.(data, response) ?? parseRetryAfter(response.headers);
        const waitMs = hinted ?? backoffDelay(attemptNumber, Math.max(policy.baseDelayMs, 1000), policy.maxDelayMs, random);
        // Everyone on this credential waits, not just this call: some platforms block clients that call early. The
        // pause is set before the lane's slot is given back, so nothing queued slips out during the wait.
        bucket.pauseUntil(Date.now() + waitMs);
        await pauseShared(waitMs);
        throttled += 1;
        const failure = new RateLimitError(`${options.platform}: ${describe(context)} answered ${status}; retry in ${Math.ceil(waitMs / 1000)} s`, {
          retryAfterMs: waitMs,
          status,
          ...details,
        });
        if (waitMs > policy.maxRetryAfterMs || waitMs > deadlineAt - Date.now() || throttled >= policy.maxAttempts) return new AbortError(failure);
        freeRetries.add(failure);
        return failure;
      }
      if (status === 401 && options.onUnauthorized && !refreshed) {
        refreshed = true;
        if (await options.onUnauthorized({ status, body: data, headers: response.headers })) {
          const renewed = new AuthError(`${options.platform}: ${describe(context)} answered 401; credentials renewed`, { status, ...details });
          freeRetries.add(renewed);
          return renewed;
        }
      }
      return statusError(options.platform, status, describe(context), bodyText, context, details);
    }

    try {
      return await pRetry(attempt, {
        retries: Math.max(0, policy.maxAttempts - 1),
        factor: 2,
        minTimeout: policy.baseDelayMs,
        maxTimeout: policy.maxDelayMs,
        randomize: true,
        maxRetryTime: policy.deadlineMs,
        ...(signal ? { signal } : {}),
        // A 429 (the bucket holds the next attempt for its wait) and a renewal are counted apart from other failures.
        shouldConsumeRetry: ({ error }) => !freeRetries.has(error),
        onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
          if (ConectaError.isConectaError(error)) lastFailure = error;
          if (retryDelay > 0 && Date.now() + retryDelay >= deadlineAt) throw error;
        },
        shouldRetry: ({ error, attemptNumber, retryDelay }) => {
          if (freeRetries.has(error)) {
            if (error instanceof RateLimitError) options.onRetry?.({ platform: options.platform, attempt: attemptNumber, code: error.code, waitMs: error.retryAfterMs ?? 0 });
            return true;
          }
          const retry = ConectaError.isConectaError(error) && error.retryable && (idempotent || error.code === 'RATE_LIMITED');
          if (retry) options.onRetry?.({ platform: options.platform, attempt: attemptNumber, code: (error as ConectaError).code, waitMs: retryDelay });
          return retry;
        },
      });
    } catch (error) {
      if (signal?.aborted) {
        const where = `${method} ${redactUrl(`${baseUrl}${path}`)}`;
        throw new UpstreamError(`${where}: aborted`, { code: 'UPSTREAM', retryable: false, cause: signal.reason });
      }
      throw error;
    }
  }

  return {
    platform: options.platform,
    bucket,
    request,
    get: (path, query, rest) => request({ ...rest, method: 'GET', path, query }),
  };
}

interface AttemptContext {
  platform: string;
  method: string;
  url: string;
  headers: Headers;
  idempotent: boolean;
  signal: AbortSignal | undefined;
}

/** `GET https://host/path?query`, redacted; built only when something failed. */
function describe(context: AttemptContext): string {
  return `${context.method} ${redactUrl(context.url)}`;
}

function requestDetails(context: AttemptContext): HttpRequestDetails {
  return { method: context.method, url: context.url, headers: Object.fromEntries(context.headers) };
}

function responseDetails(response: Response, body: string | undefined): HttpResponseDetails {
  return { status: response.status, url: response.url, headers: Object.fromEntries(response.headers), body: body?.slice(0, MAX_ERROR_BODY_CHARS) };
}

function toSearchParams(query: HttpRequest['query']): URLSearchParams {
  const params = new URLSearchParams();
  if (!query) return params;
  for (const key in query) {
    const value = query[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined) params.append(key, String(item));
    } else if (value !== undefined) params.append(key, String(value));
  }
  return params;
}

function formBody(form: Record<string, string | undefined>): URLSearchParams {
  const body = new URLSearchParams();
  for (const key in form) if (form[key] !== undefined) body.append(key, form[key]!);
  return body;
}

function parseBody<T>(bytes: Uint8Array, type: 'json' | 'text', context: AttemptContext, response: Response): T {
  if (type === 'text') return decoder.decode(bytes) as T;
  try {
    return parseJsonBytes(bytes) as T;
  } catch {
    const text = decoder.decode(bytes);
    if (text.trim() === '') return undefined as T;
    // A 200 with an HTML page (a host's firewall, a maintenance page) is usually passing: retry reads, not writes.
    throw new UpstreamError(`${describe(context)}: the response body is not valid JSON (starts with ${JSON.stringify(redactText(text.slice(0, 60)))})`, {
      status: response.status,
      method: context.method,
      url: context.url,
      retryable: context.idempotent,
      request: requestDetails(context),
      response: responseDetails(response, text),
    });
  }
}

function statusError(
  platform: string,
  status: number,
  where: string,
  body: string | undefined,
  context: AttemptContext,
  details: { request: HttpRequestDetails; response: HttpResponseDetails },
): ConectaError {
  const snippet = body ? `: ${redactText(body.slice(0, 300))}` : '';
  const message = `${platform}: ${where} answered ${status}${snippet}`;
  if (status === 401 || status === 403) return new AuthError(message, { status, ...details });
  if (status === 404) return new NotFoundError(message, { status, ...details });
  if (status === 409) return new ConflictError(message, { status, ...details });
  if (status === 400 || status === 422) return new ValidationError([{ path: '', message }], { subject: `${platform} request`, status, ...details });
  return new UpstreamError(message, { status, method: context.method, url: context.url, retryable: status === 408 || status >= 500, ...details });
}

/** Anything an attempt threw, as the typed error the caller sees. */
function failureOf(error: unknown, context: AttemptContext): unknown {
  if (error instanceof AbortError || ConectaError.isConectaError(error)) return error;
  const where = describe(context);
  const request = requestDetails(context);
  if (context.signal?.aborted) return new AbortError(new UpstreamError(`${where}: aborted`, { code: 'UPSTREAM', retryable: false, cause: context.signal.reason, request }));
  if (isTimeoutError(error) || error instanceof BodyTimeout) return new UpstreamError(`${where}: timed out`, { code: 'TIMEOUT', retryable: true, request });
  const cause = error instanceof Error ? (error.cause instanceof Error && error.cause.cause instanceof Error ? error.cause.cause : error.cause) : undefined;
  const reason = error instanceof Error ? `${error.message}${cause instanceof Error ? ` (${cause.message})` : ''}` : String(error);
  return new UpstreamError(`${where}: network error: ${reason}`, { code: 'NETWORK', retryable: true, request });
}
