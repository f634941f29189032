import { hmacSha256Hex, sha256Hex, timingSafeEqualString } from '../http/crypto.js';
import { ValidationError, WebhookRejectedError } from '../errors/errors.js';
import { defineStatusDictionary, type StatusDictionary } from '../models/status-dictionary.js';
import { PlatformOrderSchema, type PlatformOrder, type PlatformOrderInput } from '../models/order.js';
import { CONNECTOR_SPEC_VERSION, type Connector, type OrderPage, type RejectedPayload, type WebhookInput } from '../spec/connector.js';
import { parsePlatformOrder } from '../spec/parse-platform-order.js';

export interface MemoryConnector extends Connector {
  /** Adds or replaces an order as the platform would (its `updatedAt` decides where it lists). */
  put(order: PlatformOrderInput): void;
  /** Adds a payload that fails validation; it is listed after the valid orders. */
  putMalformed(externalId: string, raw: unknown): void;
  /** A signed webhook delivery carrying the order. */
  delivery(order: PlatformOrder, options?: { deliveryId?: string; secret?: string }): WebhookInput;
  /** Stock pushed to the store, milli-units by SKU. */
  readonly stock: Map<string, number>;
  readonly pushes: number;
}

/**
 * A connector over in-memory orders, for pipeline tests and examples: it lists by `updatedAt` with a cursor,
 * accepts HMAC-signed webhooks (`x-signature` = hex HMAC-SHA256 of the body, `x-delivery-id`) and keeps pushed stock.
 */
export function createMemoryConnector(options: { platform?: string; pageSize?: number; webhookSecret?: string; statusDictionary?: StatusDictionary } = {}): MemoryConnector {
  const platform = options.platform ?? 'memory';
  const pageSize = options.pageSize ?? 50;
  const secret = options.webhookSecret ?? 'memory-webhook-secret';
  const orders = new Map<string, PlatformOrder>();
  const malformed = new Map<string, unknown>();
  /** What getOrder answers for an order the platform sends malformed, until a valid version is put. */
  const broken = new Map<string, unknown>();
  const stock = new Map<string, number>();
  let pushes = 0;

  const sorted = () => [...orders.values()].sort((a, b) => (a.updatedAt === b.updatedAt ? a.externalId.localeCompare(b.externalId) : a.updatedAt.localeCompare(b.updatedAt)));
  const verify = async (input: WebhookInput) => {
    const headers = input.headers instanceof Headers ? input.headers : new Headers(input.headers);
    const signature = headers.get('x-signature');
    if (!signature) throw new WebhookRejectedError('missing-signature', `${platform} webhook without x-signature`);
    if (!timingSafeEqualString(signature, hmacSha256Hex(secret, input.rawBody))) throw new WebhookRejectedError('bad-signature', `${platform} webhook signature does not match`);
    return { deliveryId: headers.get('x-delivery-id') ?? sha256Hex(input.rawBody), ping: false };
  };

  const connector: MemoryConnector = {
    specVersion: CONNECTOR_SPEC_VERSION,
    platform,
    capabilities: { incrementalPolling: true, webhooks: true, stockPush: true },
    rateLimit: { requests: 1000, intervalMs: 1000, source: 'in-memory' },
    defaultStatusDictionary:
      options.statusDictionary ?? defineStatusDictionary(platform, { paid: 'pending', completed: 'finalized', cancelled: 'cancelled', awaiting_payment: 'ignored' }),

    async *listOrders(listOptions = {}) {
      // Cursor: the last (updatedAt, externalId) listed, so orders sharing an instant are neither lost nor repeated.
      let after = listOptions.cursor ? (JSON.parse(listOptions.cursor) as { updatedAt: string; externalId: string }) : undefined;
      if (!after && listOptions.since) after = { updatedAt: listOptions.since, externalId: '' };
      for (;;) {
        const remaining = sorted().filter((order) => !after || order.updatedAt > after.updatedAt || (order.updatedAt === after.updatedAt && order.externalId > after.externalId));
        const batch = remaining.slice(0, pageSize);
        const rejected: RejectedPayload[] = [];
        if (remaining.length <= pageSize) {
          for (const [externalId, raw] of malformed) {
            const parsed = parsePlatformOrder(raw, (value) => value, { platform, externalId });
            if ('rejected' in parsed) rejected.push(parsed.rejected);
          }
          malformed.clear();
        }
        if (batch.length === 0 && rejected.length === 0) return;
        const last = batch.at(-1);
        if (last) after = { updatedAt: last.updatedAt, externalId: last.externalId };
        const page: OrderPage = { orders: batch.map((order) => structuredClone(order)), rejected, cursor: JSON.stringify(after ?? { updatedAt: '', externalId: '' }) };
        yield page;
        if (remaining.length <= pageSize) return;
      }
    },
    async getOrder(externalId) {
      const order = orders.get(externalId);
      if (order) return structuredClone(order);
      // As real connectors do: an order the platform sends malformed is a ValidationError naming the field.
      if (broken.has(externalId)) {
        const parsed = parsePlatformOrder(broken.get(externalId), (value) => value, { platform, externalId });
        if ('rejected' in parsed) throw parsed.rejected.error;
      }
      return null;
    },
    async statuses() {
      return Object.entries(connector.defaultStatusDictionary.entries).map(([code, mapping]) => ({ code, label: mapping.label ?? code }));
    },
    verifyWebhook: verify,
    async parseWebhook(input) {
      const verification = await verify(input);
      const text = typeof input.rawBody === 'string' ? input.rawBody : new TextDecoder().decode(input.rawBody);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new ValidationError([{ path: '', message: 'webhook body is not JSON' }], { subject: `${platform} webhook` });
      }
      const parsed = parsePlatformOrder(raw, (value) => value, { platform, externalId: (raw as { externalId?: string })?.externalId });
      return 'order' in parsed
        ? { ...verification, orders: [parsed.order], rejected: [] }
        : { ...verification, orders: [], rejected: [parsed.rejected] };
    },
    async pushStock(levels, pushOptions) {
      pushes += 1;
      levels.forEach((level, index) => {
        stock.set(level.sku, level.quantityMilli);
        pushOptions?.onProgress?.(index + 1, levels.length);
      });
      return { updated: levels.map((level) => level.sku), notFound: [], failed: [] };
    },

    put(order) {
      // A valid version replaces a malformed one (the merchant fixed the order on the platform). Parsed as a
      // connector's output is, so the order carries the warnings and unmatched lines core derives.
      broken.delete(order.externalId);
      orders.set(order.externalId, PlatformOrderSchema.parse(structuredClone(order)));
    },
    putMalformed(externalId, raw) {
      malformed.set(externalId, raw);
      broken.set(externalId, raw);
    },
    delivery(order, deliveryOptions = {}) {
      const rawBody = JSON.stringify(order);
      return {
        rawBody,
        headers: {
          'content-type': 'application/json',
          'x-signature': hmacSha256Hex(deliveryOptions.secret ?? secret, rawBody),
          'x-delivery-id': deliveryOptions.deliveryId ?? sha256Hex(rawBody),
        },
      };
    },
    stock,
    get pushes() {
      return pushes;
    },
  };
  return connector;
}
