import { ConectaError, type ConectaErrorOptions } from './conecta-error.js';
import { redactText } from './redact.js';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `lines.0.quantity`. Empty string for the root. */
  path: string;
  message: string;
}

/** Input that does not match a schema. `path` names the first offending field; `issues` lists all of them. */
export class ValidationError extends ConectaError {
  readonly path: string;
  readonly issues: FieldIssue[];
  /** What was being parsed, e.g. `tray order 123`. */
  readonly subject: string | undefined;
  /** The HTTP status when a remote API refused the input (400, 422). */
  readonly status: number | undefined;

  constructor(issues: FieldIssue[], options: ConectaErrorOptions & { subject?: string; status?: number } = {}) {
    const first = issues[0] ?? { path: '', message: 'invalid input' };
    const where = options.subject ? `${options.subject}: ` : '';
    const list = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
    super('VALIDATION', `${where}invalid field ${first.path || '(root)'}: ${list}`, { ...options, retryable: false });
    this.name = 'ValidationError';
    this.path = first.path;
    this.issues = issues.map((issue) => ({ path: issue.path, message: redactText(issue.message) }));
    this.subject = options.subject;
    this.status = options.status;
  }
}

/**
 * A person chose a company for an order line that does not have the stock for it. A ValidationError on
 * `overrides.<lineIndex>.companyCnpj`, with the figures as fields so a caller can explain it in its own words.
 */
export class StockShortfallError extends ValidationError {
  readonly lineIndex: number;
  readonly sku: string;
  readonly companyCnpj: string;
  /** Free stock of the SKU in the company (ERP stock less other orders' movements), never below 0. */
  readonly availableMilli: number;
  readonly neededMilli: number;

  constructor(details: { lineIndex: number; sku: string; companyCnpj: string; availableMilli: number; neededMilli: number }) {
    const available = Math.max(0, details.availableMilli);
    super([
      {
        path: `overrides.${details.lineIndex}.companyCnpj`,
        message: `company ${details.companyCnpj} has ${available / 1000} of ${details.sku} free, the line needs ${details.neededMilli / 1000}`,
      },
    ]);
    this.name = 'StockShortfallError';
    this.lineIndex = details.lineIndex;
    this.sku = details.sku;
    this.companyCnpj = details.companyCnpj;
    this.availableMilli = available;
    this.neededMilli = details.neededMilli;
  }
}

/** Credentials missing, wrong or expired (HTTP 401/403). */
export class AuthError extends ConectaError {
  readonly status: number | undefined;
  constructor(message: string, options: ConectaErrorOptions & { status?: number } = {}) {
    super('AUTH', message, { ...options, retryable: false });
    this.name = 'AuthError';
    this.status = options.status;
  }
}

/** The platform asked us to slow down. `retryAfterMs` is how long it asked us to wait, when it said. */
export class RateLimitError extends ConectaError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: ConectaErrorOptions & { retryAfterMs?: number } = {}) {
    super('RATE_LIMITED', message, { ...options, retryable: true });
    this.name = 'RateLimitError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class NotFoundError extends ConectaError {
  constructor(message: string, options: ConectaErrorOptions = {}) {
    super('NOT_FOUND', message, { ...options, retryable: false });
    this.name = 'NotFoundError';
  }
}

/** The operation collides with the current state (already exists, wrong state for the transition, stale version). */
export class ConflictError extends ConectaError {
  constructor(message: string, options: ConectaErrorOptions = {}) {
    super('CONFLICT', message, { retryable: false, ...options });
    this.name = 'ConflictError';
  }
}

/** The remote side failed: 5xx, timeout, network error, or an answer we cannot use. */
export class UpstreamError extends ConectaError {
  readonly status: number | undefined;
  readonly method: string | undefined;
  /** Redacted URL of the failing request. */
  readonly url: string | undefined;
  constructor(
    message: string,
    options: ConectaErrorOptions & { status?: number; method?: string; url?: string; code?: 'UPSTREAM' | 'TIMEOUT' | 'NETWORK' } = {},
  ) {
    super(options.code ?? 'UPSTREAM', message, { retryable: true, ...options });
    this.name = 'UpstreamError';
    this.status = options.status;
    this.method = options.method;
    this.url = options.url === undefined ? undefined : redactText(options.url);
  }
}

/**
 * The ERP refused an order because a company lacks the stock for some of its lines: the stock read before the create
 * was out of date (someone sold it outside the SDK). Nothing was stored; the order can be planned again on fresh
 * figures. `skus` names the SKUs the refusal mentions, when it says.
 */
export class InsufficientStockError extends ConectaError {
  readonly skus: readonly string[];
  constructor(message: string, options: ConectaErrorOptions & { skus?: readonly string[] } = {}) {
    super('SHORTFALL', message, { retryable: true, ...options });
    this.name = 'InsufficientStockError';
    this.skus = options.skus ?? [];
  }
}

/** A webhook that failed verification: bad or missing signature, replay, unknown sender. */
export class WebhookRejectedError extends ConectaError {
  /** `wrong-store`: correctly signed, but for another store or seller than the one configured. */
  readonly reason: 'missing-signature' | 'bad-signature' | 'replayed' | 'stale' | 'malformed' | 'not-configured' | 'wrong-store';
  constructor(reason: WebhookRejectedError['reason'], message: string, options: ConectaErrorOptions = {}) {
    super('WEBHOOK_REJECTED', message, { ...options, retryable: false });
    this.name = 'WebhookRejectedError';
    this.reason = reason;
  }
}

/** The SDK was set up in a way that cannot work (missing secret, plain http, unknown company). */
export class ConfigurationError extends ConectaError {
  constructor(message: string, options: ConectaErrorOptions = {}) {
    super('CONFIGURATION', message, { ...options, retryable: false });
    this.name = 'ConfigurationError';
  }
}

/** Turns anything thrown into a ConectaError, keeping typed ones as they are. */
export function toConectaError(error: unknown, fallbackMessage = 'unexpected error'): ConectaError {
  if (ConectaError.isConectaError(error)) return error;
  if (error instanceof Error) return new UpstreamError(`${fallbackMessage}: ${error.message}`, { cause: error, retryable: false });
  return new UpstreamError(`${fallbackMessage}: ${String(error)}`, { retryable: false });
}
