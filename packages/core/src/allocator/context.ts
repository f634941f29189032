import type { Company } from '../models/company.js';
import { ValidationError } from '../errors/index.js';
import type { AllocationInput, AllocationLineInput, StockSnapshot } from './types.js';

/**
 * The order seen as a small dense problem: companies in priority order × distinct SKUs. Matrices are flat typed arrays
 * indexed `company * skuCount + sku`.
 *
 * The typed arrays are module-level scratch buffers, grown on demand and reused by every call, because allocating
 * them per call dominated the cost of small orders. That is safe because `allocate` is synchronous and never calls
 * back into user code while a context is live; nothing in a context may outlive the call that built it.
 */
export interface AllocationContext {
  /** Every company of the policy, active or not, sorted by priority (then CNPJ, so the order never depends on input order). */
  companies: Company[];
  companyCount: number;
  skus: string[];
  skuCount: number;
  /** Distinct-SKU index of each line. */
  lineSku: Int32Array;
  /** Stock each company holds per SKU, clamped to a non-negative integer. */
  stock: Float64Array;
  /** 1 when the company's snapshot lists the SKU at all (even at 0): separates "no stock" from "does not carry it". */
  listed: Uint8Array;
  /** 1 when some company of the group, active or not, lists the SKU. */
  listedAnywhere: Uint8Array;
  /** Total quantity the order asks for, per SKU (several lines may share one). */
  demand: Float64Array;
  /** Stock per SKU summed over active companies. */
  groupStock: Float64Array;
}

/**
 * The allocator reuses module-level typed arrays between calls instead of allocating per order (it runs hundreds of
 * thousands of times a second). This gives back `buffer` when it has at least `cells` cells, else a new one with
 * twice that, so the next larger orders do not grow it again.
 */
export function atLeast<T extends { readonly length: number }>(buffer: T, cells: number, Make: new (length: number) => T): T {
  return buffer.length >= cells ? buffer : new Make(cells * 2);
}

let lineSkuBuf = new Int32Array(64);
let stockBuf = new Float64Array(256);
let listedBuf = new Uint8Array(256);
let listedAnywhereBuf = new Uint8Array(64);
let demandBuf = new Float64Array(64);
let groupStockBuf = new Float64Array(64);

const byPriority = (a: Company, b: Company): number =>
  a.priority - b.priority || (a.cnpj < b.cnpj ? -1 : a.cnpj > b.cnpj ? 1 : 0);

/** Below this many lines a linear scan beats building a Map to find distinct SKUs. */
const LINEAR_SKU_SCAN = 32;

/**
 * Throws the ValidationError naming line `lineIndex` when its quantity is not a non-negative integer of milli-units or,
 * when `needsSku`, its SKU is not a non-empty string.
 */
export function checkLine(line: AllocationLineInput, lineIndex: number, needsSku: boolean): void {
  const quantity = line.quantityMilli;
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new ValidationError([
      { path: `lines.${lineIndex}.quantityMilli`, message: `must be a non-negative integer of milli-units, got ${String(quantity)}` },
    ], { subject: 'allocation input' });
  }
  if (needsSku && (typeof line.sku !== 'string' || line.sku === '')) {
    throw new ValidationError([{ path: `lines.${lineIndex}.sku`, message: 'must be a non-empty string' }], { subject: 'allocation input' });
  }
}

export function buildContext(input: AllocationInput, snapshot: StockSnapshot, companiesIn: readonly Company[]): AllocationContext {
  const lines = input.lines;
  const lineCount = lines.length;
  const companies = companiesIn.slice().sort(byPriority);
  const companyCount = companies.length;
  for (let c = 1; c < companyCount; c++) {
    for (let d = 0; d < c; d++) {
      // The same CNPJ twice would read its stock twice and oversell; the group schema forbids it, so this is a bug upstream.
      if (companies[c]!.cnpj === companies[d]!.cnpj) {
        throw new ValidationError([{ path: 'companies', message: `CNPJ ${companies[c]!.cnpj} is listed twice` }], { subject: 'allocation policy' });
      }
    }
  }

  const lineSku = (lineSkuBuf = atLeast(lineSkuBuf, lineCount, Int32Array));
  // Stryker disable next-line ArrayDeclaration: equivalent, a phantom first SKU that no line orders (demand 0) changes no plan
  const skus: string[] = [];
  // Stryker disable next-line all: equivalent, the Map and the linear scan find the same index (the switch is for speed)
  const index = lineCount > LINEAR_SKU_SCAN ? new Map<string, number>() : undefined;
  for (let i = 0; i < lineCount; i++) {
    const line = lines[i]!;
    checkLine(line, i, true);
    // checkLine refused a missing or empty SKU.
    const sku = line.sku as string;
    let s = -1;
    if (index === undefined) {
      for (let k = 0; k < skus.length; k++) {
        if (skus[k] === sku) {
          s = k;
          break;
        }
      }
    } else {
      s = index.get(sku) ?? -1;
    }
    if (s < 0) {
      s = skus.length;
      skus.push(sku);
      index?.set(sku, s);
    }
    lineSku[i] = s;
  }
  const skuCount = skus.length;

  const cells = companyCount * skuCount;
  const stock = (stockBuf = atLeast(stockBuf, cells, Float64Array));
  const listed = (listedBuf = atLeast(listedBuf, cells, Uint8Array));
  const demand = (demandBuf = atLeast(demandBuf, skuCount, Float64Array));
  const groupStock = (groupStockBuf = atLeast(groupStockBuf, skuCount, Float64Array));
  const listedAnywhere = (listedAnywhereBuf = atLeast(listedAnywhereBuf, skuCount, Uint8Array));
  demand.fill(0, 0, skuCount);
  groupStock.fill(0, 0, skuCount);
  listedAnywhere.fill(0, 0, skuCount);
  for (let i = 0; i < lineCount; i++) {
    const s = lineSku[i]!;
    demand[s] = demand[s]! + lines[i]!.quantityMilli;
  }

  for (let c = 0; c < companyCount; c++) {
    const company = companies[c]!;
    const row = snapshot[company.cnpj];
    const base = c * skuCount;
    for (let s = 0; s < skuCount; s++) {
      const raw = row === undefined ? undefined : row[skus[s]!];
      const isListed = typeof raw === 'number';
      // Negative, NaN or fractional stock must never let us promise more than exists, so it rounds down to an
      // integer and clamps at zero.
      const amount = isListed && raw > 0 && raw !== Infinity ? Math.floor(raw) : 0;
      stock[base + s] = amount;
      listed[base + s] = isListed ? 1 : 0;
      if (isListed) listedAnywhere[s] = 1;
      if (company.active) groupStock[s] = groupStock[s]! + amount;
    }
  }

  return { companies, companyCount, skus, skuCount, lineSku, stock, listed, listedAnywhere, demand, groupStock };
}
