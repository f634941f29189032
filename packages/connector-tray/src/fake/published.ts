/**
 * Orders and catalogue records exactly as Tray published them in its API documentation, served back verbatim. Tray
 * publishes some orders only as listing records (`GET /orders`), which carry neither the customer nor the items; for
 * those, `/orders/:id/complete` adds placeholders that say nothing Tray did not say: a customer with no name or
 * document, and items with no reference, product or variant (so the connector keeps them unmatched).
 */
type Json = Record<string, unknown>;

/** Keys `/orders/:id/complete` adds to a listed order (Tray's published complete example, order 15). */
const COMPLETE_ONLY = ['hour', 'Customer', 'cost', 'urls', 'payment_method_type', 'OrderInvoiceAmount', 'ExtraTabs', 'PaymentMethodMessage', 'payments_notification', 'partner_name', 'CustomerAddress', 'ShippingLabel'];

interface PublishedOrder {
  record: Json;
  /** True when the record is a complete order (its items carry their data and it has a Customer). */
  complete: boolean;
}

export class PublishedOrders {
  private orders = new Map<string, PublishedOrder>();
  private catalogueRecords = new Map<string, Json>();

  reset(): void {
    this.orders = new Map();
    this.catalogueRecords = new Map();
  }

  addOrder(input: Json): string {
    const record = structuredClone((input['Order'] ?? input) as Json);
    const id = String(record['id']);
    const items = Array.isArray(record['ProductsSold']) ? (record['ProductsSold'] as Json[]) : [];
    const complete = record['Customer'] !== undefined && items.every((item) => item['ProductsSold'] !== undefined);
    this.orders.set(id, { record, complete });
    return id;
  }

  addCatalogue(input: Json): void {
    const kind = input['Variant'] ? 'Variant' : 'Product';
    const record = input[kind] as Json;
    this.catalogueRecords.set(`${kind}:${String(record['id'])}`, structuredClone(input));
  }

  catalogue(kind: 'Variant' | 'Product', id: string): Json | undefined {
    return this.catalogueRecords.get(`${kind}:${id}`);
  }

  listEntries(): Array<{ id: string; status: string; modified: string; shape: () => Json }> {
    return [...this.orders.entries()].map(([id, entry]) => ({
      id,
      status: String(entry.record['status']),
      modified: String(entry.record['modified']),
      shape: () => listShape(entry),
    }));
  }

  detail(id: string): Json | undefined {
    const entry = this.orders.get(id);
    if (!entry) return undefined;
    const { Customer: _customer, urls: _urls, cost: _cost, payment_method_type: _type, OrderInvoiceAmount: _amount, ExtraTabs: _tabs, PaymentMethodMessage: _message, ...rest } = entry.record;
    return { ...rest, ProductsSold: itemIds(entry.record) };
  }

  complete(id: string): Json | undefined {
    const entry = this.orders.get(id);
    if (!entry) return undefined;
    if (entry.complete) return { Order: structuredClone(entry.record) };
    const record = entry.record;
    return {
      Order: {
        ...structuredClone(record),
        Customer: { id: String(record['customer_id'] ?? ''), name: '', cpf: '', cnpj: '', type: '0', email: '' },
        ProductsSold: itemIds(record).map(({ id: itemId }) => ({
          ProductsSold: { id: itemId, order_id: String(record['id']), product_id: '0', variant_id: '0', reference: '', name: `Item ${itemId} (não publicado pela Tray)`, quantity: '1', price: unpublishedItemPrice(record) },
        })),
      },
    };
  }
}

function listShape(entry: PublishedOrder): Json {
  if (!entry.complete) return structuredClone(entry.record);
  const list: Json = {};
  for (const [key, value] of Object.entries(entry.record)) if (!COMPLETE_ONLY.includes(key)) list[key] = structuredClone(value);
  list['ProductsSold'] = itemIds(entry.record);
  return list;
}

function itemIds(record: Json): Array<{ id: string }> {
  const items = Array.isArray(record['ProductsSold']) ? (record['ProductsSold'] as Json[]) : [];
  return items.map((item) => ({ id: String(((item['ProductsSold'] as Json | undefined) ?? item)['id']) }));
}

/**
 * A listed order's single unpublished item is priced at the order's `partial_total`, so the items still add up to what
 * Tray published; with several unpublished items the price is unknown and left at zero.
 */
function unpublishedItemPrice(record: Json): string {
  return itemIds(record).length === 1 ? String(record['partial_total'] ?? '0.00') : '0.00';
}
