import type { QuantityMilli } from '../money/quantity.js';

/** A product as the ERP knows it in one company. */
export interface ErpProduct {
  id: string;
  sku: string;
  name: string;
  /** Available to sell: on hand less what is committed, in milli-units. */
  availableMilli: QuantityMilli;
}

export interface ErpSalesOrderLine {
  sku: string;
  name: string;
  quantityMilli: QuantityMilli;
  unitPriceCents: number;
}

export interface CreateSalesOrderInput {
  /** Deterministic reference (integration + external order + company): the idempotency key of the create. */
  externalReference: string;
  /** The integration's name, so people see in Mainô where the order came from. */
  tag: string;
  /** The store's order number, for people. */
  orderNumber: string;
  customer: { name: string; document?: string; email?: string; phone?: string };
  lines: ErpSalesOrderLine[];
  /** ISO instant of the sale. */
  issuedAt: string;
  /**
   * The order's amounts outside its lines, in integer cents, on the one sales order that carries them: the order's
   * lead company (the supplying company with the best priority), in its first sales order for the order. Absent on
   * the others, so freight or a discount is never counted twice. Taxes are not sent: the ERP computes them.
   */
  charges?: ErpOrderCharges;
}

export interface ErpOrderCharges {
  /** Freight the customer paid. */
  shippingCents: number;
  /** Order-level discounts (coupons and the like), as a positive amount. */
  discountCents: number;
  /** Fees and payment surcharges (`feesCents` of the order): "outras despesas" in an NF-e. */
  otherExpensesCents: number;
}

export interface ErpSalesOrder {
  id: string;
  externalReference: string;
  tag: string;
  status: 'open' | 'cancelled';
  lines: ErpSalesOrderLine[];
  totalCents: number;
}

export interface CreateSalesOrderOptions {
  signal?: AbortSignal;
  /**
   * The caller knows that no earlier call sent an order under this reference (the pipeline knows it when the order's
   * movements for the company were validated for the first time just now), so an implementation may skip looking the
   * reference up before the create. After an ambiguous failure it still looks it up before sending again.
   */
  firstAttempt?: boolean;
}

/** A company's catalogue as listed by the ERP (or the products changed since an instant). */
export interface ErpStockListing {
  /** Available quantity per SKU of every product listed. */
  levels: Map<string, QuantityMilli>;
  /** Pages read (requests spent). */
  pages: number;
  /**
   * True when only the products changed since `modifiedSince` were listed: the SKUs left out keep their last level.
   * False for the whole catalogue: a SKU left out does not exist in the company.
   */
  incremental: boolean;
}

/**
 * What the pipeline needs from the ERP (Mainô), per company. Every method is scoped to one company of the configured
 * group by its CNPJ (14 digits); a CNPJ outside the group is refused before any request.
 */
export interface ErpPort {
  /** The product with this SKU in the company, or null. */
  findProduct(cnpj: string, sku: string, options?: { signal?: AbortSignal }): Promise<ErpProduct | null>;
  /** Available quantities for several SKUs; SKUs the company does not have are left out of the map. */
  getStock(cnpj: string, skus: readonly string[], options?: { signal?: AbortSignal }): Promise<Map<string, QuantityMilli>>;
  /**
   * Optional: the company's whole catalogue with available stock, page by page; with `modifiedSince` (an ISO instant)
   * an implementation that can filter by modification time lists only what changed (`incremental: true`) and one that
   * cannot lists everything. The pipeline's stock snapshots use it when present.
   */
  listStock?(cnpj: string, options?: { modifiedSince?: string; signal?: AbortSignal }): Promise<ErpStockListing>;
  /**
   * Creates a sales order at most once per `externalReference`: an existing order with that reference is returned
   * instead of creating another (`reused: true`). A refusal for lack of stock throws `InsufficientStockError`.
   */
  createSalesOrder(cnpj: string, input: CreateSalesOrderInput, options?: CreateSalesOrderOptions): Promise<{ order: ErpSalesOrder; reused: boolean }>;
  findSalesOrderByReference(cnpj: string, externalReference: string, options?: { signal?: AbortSignal }): Promise<ErpSalesOrder | null>;
  /** Cancels the order; cancelling an already cancelled order is a no-op. */
  cancelSalesOrder(cnpj: string, erpOrderId: string, options?: { signal?: AbortSignal }): Promise<void>;
}
