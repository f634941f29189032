import type { WebhookInput } from '../spec/connector.js';
import type { Customer, OrderTotals, OrderWarningCode, ProductRef, UnmatchedReason } from '../models/order.js';
import type { IntakeState } from '../models/status-dictionary.js';

/**
 * The canonical values a fake expects a connector to produce for one of its orders, computed from the fake's own
 * state (never through the connector's code), so the contract can compare meaning and not only shape.
 */
export interface ExpectedOrder {
  externalId: string;
  number: string;
  status: string;
  totalCents: number;
  /**
   * Every line, in the platform's order: a dropped, merged or reordered line fails. `lineId`, when declared, is the
   * platform's id of the line (what a later change or refund names it by); `productRef`, the platform's product and
   * variant ids (what a stock push or a SKU lookup goes back to).
   */
  lines: ExpectedLine[];
  /**
   * Who bought, as the canonical order carries it: name, and e-mail, document (CPF/CNPJ normalised) and phone where the
   * platform sent them. Each field declared is compared, an absent one must be absent.
   */
  customer?: Customer;
  /**
   * Every warning the order carries (connector's and core's), by code and the field or line it names; `[]` says the
   * order carries none. A mapping that warns about a field it did use, or stays silent about one it dropped, fails.
   */
  warnings?: Array<{ code: OrderWarningCode; field?: string; lineIndex?: number }>;
  /**
   * The platform's label for the status as the canonical order carries it; `null` says the order must carry none (the
   * platform sent no label, or a blank one). Compared when declared.
   */
  statusLabel?: string | null;
  /** The state the connector's default status dictionary must give `status` (the fake's own table, not the dictionary). */
  intakeState?: IntakeState;
  /** When the order was placed and last changed, as UTC instants computed from the platform's local times. */
  createdAt?: string;
  updatedAt?: string;
  /** Every money field of the breakdown, in cents. */
  totals?: OrderTotals;
}

/** One line of an {@link ExpectedOrder}: a line matched to a SKU, or one left unmatched, with why. */
export type ExpectedLine = MatchedExpectedLine | UnmatchedExpectedLine;

interface ExpectedLineValues {
  quantityMilli: number;
  unitPriceCents: number;
  lineId?: string;
  /** `null` says the line must carry none (a deleted product's line: the platform zeroed its ids). */
  productRef?: ProductRef | null;
}

export interface MatchedExpectedLine extends ExpectedLineValues {
  sku: string;
  unmatched?: undefined;
}

/**
 * A line the connector could not match to a SKU (a deleted product, an item sent without a reference): the canonical
 * line carries no `sku` and an `unmatched` reason, and core warns `line-unmatched` about it. `detail`, when declared,
 * is compared too.
 */
export interface UnmatchedExpectedLine extends ExpectedLineValues {
  sku?: undefined;
  unmatched: { reason: UnmatchedReason; detail?: string };
}

/**
 * A stateful imitation of a platform's API, served as a fetch-style handler: msw serves it in tests, a local HTTP
 * server serves it in the example. It enforces auth, paginates and throttles as the real API does and answers with
 * the platform's real JSON shapes. The control methods change its state directly, never through the connector, so
 * the contract suite checks the connector against an independent source.
 */
export interface PlatformFake {
  /** Base URL the connector is configured with; every route the fake serves lives under it. */
  readonly baseUrl: string;
  handle(request: Request): Promise<Response>;

  /** Adds `count` orders (some with several lines, one at least with a fractional quantity where the platform allows). */
  seedOrders(count: number, options?: { status?: string }): string[];
  /** Changes an order as a shopper or merchant would, moving its last-modified time forward. */
  modifyOrder(externalId: string, changes?: { status?: string }): void;
  /** Adds an order whose payload breaks the connector's schema; `field` is a name the ValidationError's path must contain. */
  addMalformedOrder(): { externalId: string; field: string };
  /**
   * Adds orders that each break one field a mapping converts (a money amount, an instant, a line's quantity or price),
   * with `path` the exact path the ValidationError must name (`line_items.1.quantity`, `shipping_total`). Bad input
   * gets an error naming the field, whichever field it is; skip 'malformed-fields' with a reason where a fake cannot.
   */
  addMalformedOrders?(): Array<{ externalId: string; path: string }>;
  expectedOrder(externalId: string): ExpectedOrder;

  /** The next `times` requests answer 429 with a wait of `retryAfterSeconds`, in the platform's own way. */
  throttleNext(times: number, retryAfterSeconds: number): void;
  /** The next `times` requests answer `status` (default 500). */
  failNext(times: number, status?: number): void;

  /** Products the store sells (for stock push and SKU lookups). */
  seedProducts(skus: string[]): void;
  /** Stock of a SKU in milli-units as the store holds it, or undefined for an unknown SKU. */
  stockOf(sku: string): number | undefined;

  /** Every request the fake received, as `METHOD path?query` with the time it arrived and the status it got. */
  requests(): Array<{ at: number; method: string; url: string; status: number }>;
  /** Requests the fake had no route for. */
  unknownRequests(): string[];

  /** Present when the platform has webhooks. */
  webhooks?: {
    /** A delivery exactly as the platform would send it for this order. */
    valid(externalId: string): WebhookInput;
    /**
     * The same delivery with the body changed after signing. Left out by platforms that sign nothing (a static
     * token, as Loja Integrada): there a changed body cannot be told apart, and the connector must not trust it.
     */
    tampered?(externalId: string): WebhookInput;
    /** The same delivery without its signature or token. */
    unsigned(externalId: string): WebhookInput;
    /**
     * The same delivery with its correct signature (or token) cut to a prefix: a connector that compares only as many
     * characters as it was given would accept it. Left out only with the `webhook-truncated-signature` case skipped.
     */
    truncatedSignature?(externalId: string): WebhookInput;
    /** A correctly signed delivery for another store or seller than the one the connector is configured for. */
    otherStore?(externalId: string): WebhookInput;
  };

  /**
   * Adds a product `parentSku` with one variant `variantSku` (a SKU that lives on a variant, not on a plain product), for
   * the stock-push case. Present when the platform has variants.
   */
  seedVariant?(parentSku: string, variantSku: string): void;

  reset(): void;
}
