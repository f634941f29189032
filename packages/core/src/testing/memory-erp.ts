import { ConfigurationError, InsufficientStockError, NotFoundError, ValidationError } from '../errors/errors.js';
import { normaliseCnpj } from '../models/cnpj.js';
import type { CreateSalesOrderInput, ErpPort, ErpProduct, ErpSalesOrder } from '../spec/erp.js';

export interface MemoryErpProductSeed {
  sku: string;
  name?: string;
  /** On hand, milli-units. */
  onHandMilli: number;
  /** Held by open orders, milli-units. */
  committedMilli?: number;
}

export interface MemoryErpSeed {
  companies: Array<{ cnpj: string; products?: MemoryErpProductSeed[] }>;
  /** Refuse a create that asks for more than is available (InsufficientStockError), as Mainô may. Default false. */
  refuseOversell?: boolean;
  /** Products per page of `listStock` (default 100, as Mainô's `GET /produtos`). */
  perPage?: number;
}

export interface MemoryErpStock {
  onHandMilli: number;
  committedMilli: number;
  availableMilli: number;
}

export interface MemoryErpOrder extends ErpSalesOrder {
  cnpj: string;
  input: CreateSalesOrderInput;
}

export type ErpOperation = keyof ErpPort;

/** An in-memory ErpPort for pipeline tests, plus the state they assert on. */
export interface MemoryErp extends ErpPort {
  /** Sets on-hand stock, adding the product when the company does not have it. */
  setStock(cnpj: string, sku: string, onHandMilli: number, options?: { name?: string; committedMilli?: number }): void;
  stockOf(cnpj: string, sku: string): MemoryErpStock | undefined;
  /** Orders as stored, in creation order; all companies when `cnpj` is omitted. */
  createdOrders(cnpj?: string): MemoryErpOrder[];
  countByReference(cnpj: string, externalReference: string): number;
  /** The next call of `operation` throws `error` before touching state (for pipeline failure paths). */
  failNext(operation: ErpOperation, error: Error): void;
  /** Calls that passed the group check, by operation. */
  /** Every call in order; a create the caller marked as a first attempt carries `firstAttempt`, a stock read its SKUs. */
  readonly calls: Array<{ operation: ErpOperation; cnpj: string; firstAttempt?: true; skus?: string[] }>;
}

interface Product {
  id: string;
  sku: string;
  name: string;
  onHandMilli: number;
  committedMilli: number;
}

/**
 * Same semantics as the Mainô client against its fake: company-scoped, available = on hand less committed, a create
 * commits stock and a cancel releases it, at most one order per external reference, unknown SKUs refused.
 */
export function createMemoryErp(seed: MemoryErpSeed): MemoryErp {
  const companies = new Map<string, { products: Map<string, Product>; orders: MemoryErpOrder[] }>();
  let nextId = 1;
  const failures: Array<{ operation: ErpOperation; error: Error }> = [];
  const calls: MemoryErp['calls'] = [];

  for (const company of seed.companies) {
    const cnpj = normaliseCnpj(company.cnpj);
    if (!cnpj) throw new ConfigurationError(`memory erp: "${company.cnpj}" is not a valid CNPJ`);
    companies.set(cnpj, { products: new Map(), orders: [] });
    for (const product of company.products ?? []) {
      addProduct(cnpj, product.sku, product.onHandMilli, product.name, product.committedMilli ?? 0);
    }
  }

  function addProduct(cnpj: string, sku: string, onHandMilli: number, name: string | undefined, committedMilli: number): Product {
    const product: Product = { id: `P${nextId++}`, sku, name: name ?? sku, onHandMilli, committedMilli };
    companyOf(cnpj).products.set(sku, product);
    return product;
  }

  function companyOf(cnpjInput: string) {
    const cnpj = normaliseCnpj(cnpjInput);
    const company = cnpj ? companies.get(cnpj) : undefined;
    if (!company) throw new ConfigurationError(`memory erp: company ${JSON.stringify(cnpjInput)} is not in the configured group`);
    return company;
  }

  function enter(operation: ErpOperation, cnpj: string, flags: { firstAttempt?: true; skus?: string[] } = {}) {
    const company = companyOf(cnpj);
    calls.push({ operation, cnpj: normaliseCnpj(cnpj)!, ...flags });
    const index = failures.findIndex((failure) => failure.operation === operation);
    if (index >= 0) throw failures.splice(index, 1)[0]!.error;
    return company;
  }

  const toProduct = (product: Product): ErpProduct => ({
    id: product.id,
    sku: product.sku,
    name: product.name,
    availableMilli: product.onHandMilli - product.committedMilli,
  });
  const copy = (order: MemoryErpOrder): ErpSalesOrder => ({
    id: order.id,
    externalReference: order.externalReference,
    tag: order.tag,
    status: order.status,
    lines: order.lines.map((line) => ({ ...line })),
    totalCents: order.totalCents,
  });

  return {
    calls,
    async findProduct(cnpj, sku) {
      const product = enter('findProduct', cnpj).products.get(sku);
      return product ? toProduct(product) : null;
    },
    async getStock(cnpj, skus) {
      const company = enter('getStock', cnpj, { skus: [...skus] });
      const stock = new Map<string, number>();
      for (const sku of skus) {
        const product = company.products.get(sku);
        if (product) stock.set(sku, product.onHandMilli - product.committedMilli);
      }
      return stock;
    },
    async listStock(cnpj) {
      const company = enter('listStock', cnpj);
      const levels = new Map<string, number>();
      for (const product of company.products.values()) levels.set(product.sku, product.onHandMilli - product.committedMilli);
      return { levels, pages: Math.max(1, Math.ceil(levels.size / (seed.perPage ?? 100))), incremental: false };
    },
    async createSalesOrder(cnpj, input, callOptions = {}) {
      const company = enter('createSalesOrder', cnpj, callOptions.firstAttempt ? { firstAttempt: true } : {});
      // Like Mainô, which has no idempotency key: a first attempt skips the lookup, so a wrong promise duplicates.
      const existing = callOptions.firstAttempt ? undefined : company.orders.find((order) => order.externalReference === input.externalReference);
      if (existing) return { order: copy(existing), reused: true };
      const missing = input.lines.map((line, index) => ({ line, index })).filter(({ line }) => !company.products.has(line.sku));
      if (input.lines.length === 0 || missing.length > 0) {
        const issues = missing.map(({ line, index }) => ({ path: `lines.${index}.sku`, message: `unknown SKU ${line.sku}` }));
        throw new ValidationError(issues.length ? issues : [{ path: 'lines', message: 'an order needs at least one line' }], { subject: 'memory erp order' });
      }
      if (seed.refuseOversell) {
        const needed = new Map<string, number>();
        for (const line of input.lines) needed.set(line.sku, (needed.get(line.sku) ?? 0) + line.quantityMilli);
        const short = [...needed].filter(([sku, quantity]) => {
          const product = company.products.get(sku)!;
          return product.onHandMilli - product.committedMilli < quantity;
        });
        if (short.length > 0) throw new InsufficientStockError(`memory erp: not enough stock of ${short.map(([sku]) => sku).join(', ')}`, { skus: short.map(([sku]) => sku) });
      }
      const lines = input.lines.map((line) => ({ ...line }));
      const order: MemoryErpOrder = {
        id: `O${nextId++}`,
        externalReference: input.externalReference,
        tag: input.tag,
        status: 'open',
        lines,
        // Half-up per line, as the Mainô fake totals fractional quantities.
        totalCents: lines.reduce((sum, line) => sum + Math.round((line.quantityMilli * line.unitPriceCents) / 1000), 0),
        cnpj: normaliseCnpj(cnpj)!,
        input: structuredClone(input),
      };
      company.orders.push(order);
      for (const line of lines) company.products.get(line.sku)!.committedMilli += line.quantityMilli;
      return { order: copy(order), reused: false };
    },
    async findSalesOrderByReference(cnpj, externalReference) {
      const order = enter('findSalesOrderByReference', cnpj).orders.find((candidate) => candidate.externalReference === externalReference);
      return order ? copy(order) : null;
    },
    async cancelSalesOrder(cnpj, erpOrderId) {
      const company = enter('cancelSalesOrder', cnpj);
      const order = company.orders.find((candidate) => candidate.id === erpOrderId);
      if (!order) throw new NotFoundError(`memory erp: no order ${erpOrderId} in company ${cnpj}`);
      if (order.status === 'cancelled') return;
      order.status = 'cancelled';
      for (const line of order.lines) {
        const product = company.products.get(line.sku);
        if (product) product.committedMilli -= line.quantityMilli;
      }
    },

    setStock(cnpj, sku, onHandMilli, options = {}) {
      const company = companyOf(cnpj);
      const product = company.products.get(sku) ?? addProduct(normaliseCnpj(cnpj)!, sku, onHandMilli, options.name, 0);
      product.onHandMilli = onHandMilli;
      if (options.committedMilli !== undefined) product.committedMilli = options.committedMilli;
    },
    stockOf(cnpj, sku) {
      const product = companyOf(cnpj).products.get(sku);
      return product && { onHandMilli: product.onHandMilli, committedMilli: product.committedMilli, availableMilli: product.onHandMilli - product.committedMilli };
    },
    createdOrders(cnpj) {
      const lists = cnpj === undefined ? [...companies.values()] : [companyOf(cnpj)];
      return lists.flatMap((company) => company.orders.map((order) => ({ ...copy(order), cnpj: order.cnpj, input: structuredClone(order.input) })));
    },
    countByReference(cnpj, externalReference) {
      return companyOf(cnpj).orders.filter((order) => order.externalReference === externalReference).length;
    },
    failNext(operation, error) {
      failures.push({ operation, error });
    },
  };
}
