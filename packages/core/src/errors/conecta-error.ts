import { redactHeaders, redactText, redactUrl } from './redact.js';

const brand = Symbol.for('conecta.error');

export type ConectaErrorCode =
  | 'VALIDATION'
  | 'AUTH'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UPSTREAM'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'WEBHOOK_REJECTED'
  | 'UNSUPPORTED'
  | 'CONFIGURATION'
  | 'ALLOCATION'
  | 'SHORTFALL';

export interface ConectaErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  /** The HTTP request that failed, when the error comes from one. Redacted on construction. */
  request?: HttpRequestDetails;
  /** What the server answered, when it answered. Redacted on construction. */
  response?: HttpResponseDetails;
}

/** The failing request, in the style of octokit's `RequestError.request`: secrets already redacted. */
export interface HttpRequestDetails {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The answer, in the style of octokit's `RequestError.response`: secrets redacted, the body cut to a few KB. */
export interface HttpResponseDetails {
  status: number;
  url: string;
  headers: Record<string, string>;
  /** The first `MAX_ERROR_BODY_CHARS` characters of the body as text, or undefined when it had none. */
  body: string | undefined;
}

/** Bodies quoted in errors stop here: an error should describe the answer, not carry it. */
export const MAX_ERROR_BODY_CHARS = 4_000;

/**
 * Base of every error the SDK throws. `code` is stable across versions; `retryable` is the only thing retry layers
 * read. The message is redacted on construction, and `toJSON` gives a safe, serialisable view.
 */
export class ConectaError extends Error {
  readonly code: ConectaErrorCode;
  readonly retryable: boolean;
  /** Set on errors from an HTTP request: method, redacted URL and headers. */
  declare readonly request?: HttpRequestDetails;
  /** Set on errors from an HTTP answer: status, redacted headers and a bounded, redacted body. */
  declare readonly response?: HttpResponseDetails;

  constructor(code: ConectaErrorCode, message: string, options: ConectaErrorOptions = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: sanitizeCause(options.cause) });
    this.name = 'ConectaError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    // Assigned only when present, so errors without a request keep their old shape in toJSON.
    if (options.request) {
      Object.defineProperty(this, 'request', { value: redactRequest(options.request), enumerable: true });
    }
    if (options.response) {
      Object.defineProperty(this, 'response', { value: redactResponse(options.response), enumerable: true });
    }
    Object.defineProperty(this, brand, { value: true });
    if (this.stack) this.stack = redactText(this.stack);
  }

  /** Works across duplicate installs and ESM/CJS copies, where `instanceof` does not. */
  static isConectaError(error: unknown): error is ConectaError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
    for (const [key, value] of Object.entries(this)) {
      if (!(key in json)) json[key] = value;
    }
    if (this.cause !== undefined) json['cause'] = describeCause(this.cause);
    return json;
  }
}

function redactRequest(request: HttpRequestDetails): HttpRequestDetails {
  return { method: request.method, url: redactUrl(request.url), headers: redactHeaders(request.headers) };
}

function redactResponse(response: HttpResponseDetails): HttpResponseDetails {
  const body = response.body === undefined ? undefined : redactText(response.body.slice(0, MAX_ERROR_BODY_CHARS));
  return { status: response.status, url: redactUrl(response.url), headers: redactHeaders(response.headers), body };
}

/** A cause is kept only as a redacted plain error: raw HTTP errors hold requests with credentials in them. */
function sanitizeCause(cause: unknown): unknown {
  if (ConectaError.isConectaError(cause)) return cause;
  if (cause instanceof Error) {
    const safe = new Error(redactText(cause.message));
    safe.name = cause.name;
    if (cause.stack) safe.stack = redactText(cause.stack);
    const issues = (cause as { issues?: unknown }).issues;
    if (Array.isArray(issues)) Object.assign(safe, { issues });
    return safe;
  }
  if (typeof cause === 'string') return redactText(cause);
  return undefined;
}

function describeCause(cause: unknown): unknown {
  if (ConectaError.isConectaError(cause)) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return cause;
}
