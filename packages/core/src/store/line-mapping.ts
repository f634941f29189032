import { ConflictError, ValidationError } from '../errors/errors.js';
import { applyLineMappings, type LineMapping, type Order, type OrderLine } from '../models/order.js';

/** A person's SKU for one line of an order. */
export interface LineMappingInput {
  lineIndex: number;
  sku: string;
  /** Who mapped it (a user id). */
  actor: string;
  at: string;
}

/**
 * The stored order after a person maps a line to a SKU: the mapping is appended to `lineMappings` (the audit of who
 * chose what) and applied to the line, and the version is bumped. Shared by every store adapter so they agree.
 *
 * A line the platform sent without SKU can be mapped; a line a person mapped can be mapped again (a correction). A
 * line that carries the platform's own SKU cannot: the platform is the authority on it.
 *
 * @throws ValidationError for a line that does not exist or an empty SKU; ConflictError for a line with the platform's SKU.
 */
export function withLineMapping(order: Order, input: LineMappingInput): Order {
  const { lineIndex } = input;
  const line = order.lines[lineIndex];
  if (!Number.isSafeInteger(lineIndex) || !line) {
    throw new ValidationError([{ path: 'lineIndex', message: `order ${order.number} has no line ${String(lineIndex)}` }], { subject: 'line mapping' });
  }
  const sku = input.sku.trim();
  if (sku === '') throw new ValidationError([{ path: 'sku', message: 'the SKU is empty' }], { subject: 'line mapping' });
  const previous = order.lineMappings?.filter((mapping) => mapping.lineIndex === lineIndex).at(-1);
  const unmatched = line.unmatched ?? (previous && line.sku === previous.sku ? previous.unmatched : undefined);
  if (!unmatched) {
    throw new ConflictError(`line ${lineIndex} of order ${order.number} has the platform's SKU ${line.sku ?? ''}; only lines without a SKU can be mapped`);
  }
  const mapping: LineMapping = { lineIndex, sku, actor: input.actor, at: input.at, unmatched };
  // A correction puts the line back as the platform sent it, then applies the new choice.
  const lines = order.lines.map((current, index): OrderLine => (index === lineIndex ? asUnmatched(current, unmatched) : current));
  const mapped = applyLineMappings({ ...order, lines }, [mapping]);
  return { ...mapped, lineMappings: [...(order.lineMappings ?? []), mapping], version: order.version + 1 };
}

function asUnmatched(line: OrderLine, unmatched: NonNullable<OrderLine['unmatched']>): OrderLine {
  if (line.unmatched) return line;
  const { sku: _sku, productRef, lineId, name, quantityMilli, unitPriceCents } = line;
  return { ...(lineId !== undefined ? { lineId } : {}), name, quantityMilli, unitPriceCents, ...(productRef ? { productRef } : {}), unmatched };
}
