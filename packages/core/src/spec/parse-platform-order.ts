import * as z from 'zod';
import { ValidationError } from '../errors/errors.js';
import { fromZodError } from '../errors/zod-errors.js';
import { redactValue } from '../errors/redact.js';
import { PlatformOrderSchema, type PlatformOrder } from '../models/order.js';
import { plainPlatformOrder } from '../models/plain-order.js';
import { compiledSchema } from './compiled-schema.js';
import type { RejectedPayload } from './connector.js';

/** Orders the plain reading leaves to the schema: the compiled parser, with the schema's own errors on failure. */
const platformOrder = compiledSchema(PlatformOrderSchema);

/**
 * Runs a connector's mapping of one raw payload and validates the result. Any failure becomes a RejectedPayload that
 * keeps the raw payload (redacted) and a ValidationError naming the field, so one bad order never sinks its page.
 */
export function parsePlatformOrder(
  raw: unknown,
  map: (raw: unknown) => unknown,
  subject: { platform: string; externalId?: string },
): { order: PlatformOrder } | { rejected: RejectedPayload } {
  try {
    const mapped = map(raw);
    // The plain reading gives the schema's output for the orders connectors build; anything else goes to the schema.
    let order = plainPlatformOrder(mapped);
    if (order === undefined) {
      const result = platformOrder.safeParse(mapped);
      if (!result.success) {
        return { rejected: { externalId: subject.externalId, error: fromZodError(result.error, labelOf(subject)), raw: redactValue(raw) } };
      }
      order = result.data;
    }
    // Redaction copies only what it changes, and the parsed order is already a copy of what the mapping returned.
    const redacted = redactValue(order.raw);
    return { order: redacted === order.raw ? order : { ...order, raw: redacted } };
  } catch (error) {
    const validation =
      error instanceof z.ZodError
        ? fromZodError(error, labelOf(subject))
        : error instanceof ValidationError
        ? new ValidationError(error.issues, { subject: labelOf(subject), cause: error })
        : new ValidationError([{ path: '', message: error instanceof Error ? error.message : String(error) }], { subject: labelOf(subject), cause: error });
    return { rejected: { externalId: subject.externalId, error: validation, raw: redactValue(raw) } };
  }
}

/** Built only for a refusal: most orders need none. */
function labelOf(subject: { platform: string; externalId?: string }): string {
  return `${subject.platform} order ${subject.externalId ?? '(unknown id)'}`;
}
