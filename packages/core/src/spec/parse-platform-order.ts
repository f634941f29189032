import * as z from 'zod';
import { ValidationError } from '../errors/errors.js';
import { fromZodError } from '../errors/zod-errors.js';
import { redactValue } from '../errors/redact.js';
import { PlatformOrderSchema, type PlatformOrder } from '../models/order.js';
import { compiledSchema } from './compiled-schema.js';
import type { RejectedPayload } from './connector.js';

/** Every order of every listing passes here: the compiled parser, with the schema's own errors on failure. */
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
  const label = `${subject.platform} order ${subject.externalId ?? '(unknown id)'}`;
  try {
    const mapped = map(raw);
    const result = platformOrder.safeParse(mapped);
    if (!result.success) {
      return { rejected: { externalId: subject.externalId, error: fromZodError(result.error, label), raw: redactValue(raw) } };
    }
    // Redaction copies only what it changes, and the parsed order is already a copy of what the mapping returned.
    const redacted = redactValue(result.data.raw);
    return { order: redacted === result.data.raw ? result.data : { ...result.data, raw: redacted } };
  } catch (error) {
    const validation =
      error instanceof z.ZodError
        ? fromZodError(error, label)
        : error instanceof ValidationError
        ? new ValidationError(error.issues, { subject: label, cause: error })
        : new ValidationError([{ path: '', message: error instanceof Error ? error.message : String(error) }], { subject: label, cause: error });
    return { rejected: { externalId: subject.externalId, error: validation, raw: redactValue(raw) } };
  }
}
