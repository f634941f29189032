import { parsePlatformOrder, parseWith, redactValue, type PlatformOrder, type RejectedPayload } from '@conecta/core';
import type { RecompraOrderIdentify, RecompraOrderMapping } from './schema.js';

export type MappedRaw =
  | { order: PlatformOrder; rejected?: undefined; externalId: string; updatedAt: string }
  | { order?: undefined; rejected: RejectedPayload; externalId: string | undefined; updatedAt: string | undefined };

/** Maps one raw order through the configured schema; a failure becomes a RejectedPayload, never a thrown error. */
export function mapRawOrder(raw: unknown, schema: RecompraOrderMapping, identify: RecompraOrderIdentify): MappedRaw {
  const identity = identify(raw);
  const result = parsePlatformOrder(
    raw,
    (input) => ({ ...parseWith(schema, input), raw: redactValue(input) }),
    { platform: 'recompra', externalId: identity.externalId },
  );
  if ('order' in result) return { order: result.order, externalId: result.order.externalId, updatedAt: new Date(result.order.updatedAt).toISOString() };
  return { rejected: result.rejected, externalId: identity.externalId, updatedAt: identity.updatedAt };
}
