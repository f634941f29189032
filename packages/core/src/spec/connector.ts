import type { ValidationError } from '../errors/errors.js';
import type { StatusDictionary } from '../models/status-dictionary.js';
import type { PlatformOrder } from '../models/order.js';
import type { QuantityMilli } from '../money/quantity.js';
import type { RateLimitPolicy } from './rate-limit.js';

/** The spec version this file describes. A future spec bumps it, and core can wrap a connector of an older version. */
export const CONNECTOR_SPEC_VERSION = 1 as const;

export interface ConnectorCapabilities {
  /** `listOrders` resumes from a cursor and returns only what changed since. */
  readonly incrementalPolling: boolean;
  /** `verifyWebhook` and `parseWebhook` are implemented. */
  readonly webhooks: boolean;
  /** `pushStock` is implemented. */
  readonly stockPush: boolean;
}

/** A payload the connector could not turn into a PlatformOrder. Kept for a person to see; never dropped. */
export interface RejectedPayload {
  /** The platform's order id, when it could be read. */
  externalId?: string;
  error: ValidationError;
  /** The payload as received, secrets redacted. */
  raw: unknown;
}

export interface OrderPage {
  orders: PlatformOrder[];
  rejected: RejectedPayload[];
  /**
   * Opaque resume point: passing it to `listOrders` continues right after this page. Save it only after the page's
   * orders (and rejected payloads) are stored.
   */
  cursor: string;
}

export interface ListOrdersOptions {
  /** From a previous page. Absent: start from the beginning (or from `since`). */
  cursor?: string;
  /** First run only (no cursor): list orders changed at or after this instant. */
  since?: string;
  signal?: AbortSignal;
}

export interface PlatformStatus {
  /** As the platform spells it; the key of the status dictionary. */
  code: string;
  label: string;
}

/** A webhook delivery as received. `rawBody` must be the exact bytes: signatures are computed over them. */
export interface WebhookInput {
  rawBody: string | Uint8Array;
  headers: Headers | Record<string, string>;
  /** Full URL the delivery hit (some platforms carry a secret path token or query values). */
  url?: string;
}

export interface WebhookVerification {
  /** The platform's delivery id, or a hash of the body where the platform has none; used to reject replays. */
  deliveryId: string;
  /** A ping or test delivery (e.g. WooCommerce's unsigned ping on webhook creation): accept, do nothing. */
  ping: boolean;
  /** When the platform says it sent the delivery, if it does. */
  sentAt?: string;
}

export interface WebhookEvent {
  deliveryId: string;
  ping: boolean;
  /** Orders carried by (or fetched for) the delivery. */
  orders: PlatformOrder[];
  rejected: RejectedPayload[];
}

export interface StockLevel {
  sku: string;
  /** Absolute quantity to set. Stores that take whole units receive it rounded down. */
  quantityMilli: QuantityMilli;
}

export interface StockPushResult {
  updated: string[];
  /** SKUs the store does not have. */
  notFound: string[];
  failed: Array<{ sku: string; code: string; message: string }>;
}

/**
 * The contract every platform connector implements (spec version 1).
 *
 * Errors: every method rejects with a ConectaError subclass (AuthError, RateLimitError, UpstreamError,
 * ValidationError, ...), never a raw HTTP error, and never with a secret in it.
 */
export interface Connector {
  readonly specVersion: typeof CONNECTOR_SPEC_VERSION;
  /** Lowercase id: `tray`, `woocommerce`, `lojaintegrada`, `mercos`, `recompra`. */
  readonly platform: string;
  readonly capabilities: ConnectorCapabilities;
  /** The platform's documented request limits; the HTTP policy enforces them client-side. */
  readonly rateLimit: RateLimitPolicy;
  /** The platform's statuses mapped to intake states, as a starting point for each integration's dictionary. */
  readonly defaultStatusDictionary: StatusDictionary;

  /**
   * Lists orders changed since the cursor, oldest change first, one page at a time. Each page carries the cursor to
   * resume from after it. An order changed while the listing runs shows up again later with its new version; an
   * unchanged order is never listed twice across a resume.
   */
  listOrders(options?: ListOrdersOptions): AsyncIterable<OrderPage>;

  /** One order by the platform's id; `null` when the platform says it does not exist. Throws ValidationError when malformed. */
  getOrder(externalId: string, options?: { signal?: AbortSignal }): Promise<PlatformOrder | null>;

  /** The platform's status list (codes and labels), for building and checking a status dictionary. */
  statuses(options?: { signal?: AbortSignal }): Promise<PlatformStatus[]>;

  /**
   * Checks a delivery's authenticity (signature, token, or fetching the order back where the platform signs
   * nothing). Throws WebhookRejectedError when it fails. Replay detection by `deliveryId` is done by core.
   */
  verifyWebhook?(input: WebhookInput): Promise<WebhookVerification>;

  /** Verifies, then turns a delivery into orders (fetching them where the delivery carries only ids). */
  parseWebhook?(input: WebhookInput): Promise<WebhookEvent>;

  /** Sets absolute stock levels, batched within the platform's limits. */
  pushStock?(levels: readonly StockLevel[], options?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void }): Promise<StockPushResult>;
}
