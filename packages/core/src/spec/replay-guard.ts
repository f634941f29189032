import { WebhookRejectedError } from '../errors/errors.js';

/** Remembers delivery ids for a while so a replayed webhook is refused. */
export interface ReplayGuard {
  /** Records the id; throws WebhookRejectedError('replayed') when it was seen within the window. */
  check(deliveryId: string, sentAt?: string): void;
}

/**
 * In-memory guard: ids seen in the last `windowMs` are refused, and a delivery that says it was sent more than
 * `windowMs` ago is refused as stale (its id may already have been forgotten). Suits one process; the pipeline can
 * pass a store-backed guard to share it between workers.
 */
export function createReplayGuard(options: { windowMs?: number; maxEntries?: number; now?: () => number } = {}): ReplayGuard {
  const windowMs = options.windowMs ?? 24 * 3_600_000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    check(deliveryId, sentAt) {
      const at = now();
      if (sentAt !== undefined) {
        const sent = Date.parse(sentAt);
        if (!Number.isNaN(sent) && at - sent > windowMs) {
          throw new WebhookRejectedError('stale', `webhook delivery ${deliveryId} was sent at ${sentAt}, outside the replay window`);
        }
      }
      for (const [id, time] of seen) {
        if (at - time <= windowMs && seen.size <= maxEntries) break;
        seen.delete(id);
      }
      const previous = seen.get(deliveryId);
      if (previous !== undefined && at - previous <= windowMs) {
        throw new WebhookRejectedError('replayed', `webhook delivery ${deliveryId} was already received`);
      }
      seen.set(deliveryId, at);
    },
  };
}
