import { redactText } from './redact.js';

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
}

/**
 * Base of every error the SDK throws. `code` is stable across versions; `retryable` is the only thing retry layers
 * read. The message is redacted on construction, and `toJSON` gives a safe, serialisable view.
 */
export class ConectaError extends Error {
  readonly code: ConectaErrorCode;
  readonly retryable: boolean;

  constructor(code: ConectaErrorCode, message: string, options: ConectaErrorOptions = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: sanitizeCause(options.cause) });
    this.name = 'ConectaError';
    this.code = code;
    this.retryable = options.retryable ?? false;
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
