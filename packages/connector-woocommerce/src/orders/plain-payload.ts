/**
 * Whether `WooCommerceOrderSchema` accepts a payload, for the payloads stores send (every field the mapping reads
 * present with its type), checked without zod: every order of a listing is checked, and zod's compiled check is built
 * on first use and walks closures in a process that has just started. False means "ask the schema", not "invalid": the
 * mapping then validates with the schema, whose issues name the field. A property test pins it to the schema (it never
 * accepts what the schema refuses).
 */
export function isPlainWooOrder(raw: unknown): boolean {
  if (!isRecord(raw)) return false;
  const id = raw['id'];
  const number = raw['number'];
  const status = raw['status'];
  if (!isSafeInteger(id) || id <= 0 || !(typeof number === 'string' || isFiniteNumber(number)) || typeof status !== 'string' || status.length === 0) return false;
  if (!isString(raw['date_created_gmt']) || !isString(raw['date_modified_gmt']) || !isString(raw['discount_total']) || !isString(raw['shipping_total'])) return false;
  if (!isString(raw['total']) || !optional(raw['total_tax'], isString)) return false;
  if (!optional(raw['billing'], isPlainAddress)) return false;
  const items = raw['line_items'];
  if (!Array.isArray(items)) return false;
  for (let index = 0; index < items.length; index += 1) if (!isPlainLine(items[index])) return false;
  return optional(raw['fee_lines'], isAmountLines) && optional(raw['refunds'], isAmountLines) && optional(raw['meta_data'], isMetaData);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

const ADDRESS_TEXT = ['first_name', 'last_name', 'company', 'phone', 'persontype', 'cpf', 'cnpj'] as const;

function isPlainAddress(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key of ADDRESS_TEXT) if (!optional(value[key], isString)) return false;
  const email = value['email'];
  return email === undefined || email === null || typeof email === 'string';
}

function isPlainLine(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (!isSafeInteger(value['id']) || !isString(value['name']) || !isSafeInteger(value['product_id']) || !isSafeInteger(value['variation_id'])) return false;
  if (!isFiniteNumber(value['quantity']) || !isString(value['subtotal']) || !isString(value['total'])) return false;
  const sku = value['sku'];
  return sku === undefined || sku === null || typeof sku === 'string' || isSafeInteger(sku);
}

function isAmountLines(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index += 1) {
    const line: unknown = value[index];
    if (!isRecord(line) || !isString(line['total'])) return false;
  }
  return true;
}

function isMetaData(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index += 1) {
    const entry: unknown = value[index];
    // `value` may be anything, but the key must be there.
    if (!isRecord(entry) || !isString(entry['key']) || !('value' in entry)) return false;
  }
  return true;
}
