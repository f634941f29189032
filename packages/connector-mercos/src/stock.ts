import { AuthError, ConectaError, RateLimitError, type StockLevel, type StockPushResult } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import type { ProductCatalog } from './products.js';

/** Adjustments per `ajustar_estoque_em_lote` call (M-SDK, sandbox; not in the official text). */
export const MERCOS_STOCK_BATCH_SIZE = 300;
/** Largest `novo_saldo` Mercos accepts (`saldo_estoque` max 9999999.99), in milli-units. */
const MAX_BALANCE_MILLI = 9_999_999_990;

interface Adjustment {
  sku: string;
  produto_id: number | string;
  novo_saldo: number;
}

/**
 * `saldo_estoque` has two decimals: the balance is floored to hundredths, so Mercos never shows more than is held.
 * Division of an integer by 100 gives the shortest decimal, which JSON carries exactly.
 */
export function toMercosNovoSaldo(quantityMilli: number): number {
  return Math.floor(quantityMilli / 10) / 100;
}

function productIdValue(id: string): number | string {
  return /^\d+$/.test(id) ? Number(id) : id;
}

/**
 * The error that fails one batch or one item. Anything else ends the whole push: the credential or the rate limit is
 * the problem (every later call would fail the same way), or the error is not the SDK's own (a bug, an abort).
 */
function recoverable(error: unknown): ConectaError {
  if (!ConectaError.isConectaError(error) || error instanceof AuthError || error instanceof RateLimitError) throw error;
  return error;
}

/**
 * Sets absolute balances with `POST /v1/ajustar_estoque_em_lote`. Mercos refuses a whole batch when one item is bad,
 * so a refused batch is retried item by item (`PUT /v1/ajustar_estoque`) to apply the good ones and name the bad.
 */
export async function pushMercosStock(
  http: HttpClient,
  catalog: ProductCatalog,
  levels: readonly StockLevel[],
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<StockPushResult> {
  const result: StockPushResult = { updated: [], notFound: [], failed: [] };
  await catalog.refresh(options.signal);

  const adjustments: Adjustment[] = [];
  for (const level of levels) {
    const matches = catalog.findBySku(level.sku);
    const adjustable = matches.filter((entry) => !entry.hasVariants);
    if (matches.length === 0) result.notFound.push(level.sku);
    else if (adjustable.length === 0) {
      result.failed.push({ sku: level.sku, code: 'VALIDATION', message: 'the product has grade variants; Mercos adjusts stock only on each variant' });
    } else if (adjustable.length > 1) {
      result.failed.push({ sku: level.sku, code: 'CONFLICT', message: `${adjustable.length} Mercos products share this codigo` });
    } else if (level.quantityMilli < 0 || level.quantityMilli > MAX_BALANCE_MILLI) {
      result.failed.push({ sku: level.sku, code: 'VALIDATION', message: 'Mercos keeps balances from 0 to 9999999.99' });
    } else {
      adjustments.push({ sku: level.sku, produto_id: productIdValue(adjustable[0]!.id), novo_saldo: toMercosNovoSaldo(level.quantityMilli) });
    }
  }

  let done = levels.length - adjustments.length;
  options.onProgress?.(done, levels.length);
  for (let start = 0; start < adjustments.length; start += MERCOS_STOCK_BATCH_SIZE) {
    const batch = adjustments.slice(start, start + MERCOS_STOCK_BATCH_SIZE);
    try {
      await http.request({
        method: 'POST',
        path: 'v1/ajustar_estoque_em_lote',
        json: batch.map(({ produto_id, novo_saldo }) => ({ produto_id, novo_saldo })),
        // Setting an absolute balance twice leaves the same balance, so a lost answer may be retried.
        idempotent: true,
        signal: options.signal,
      });
      result.updated.push(...batch.map((item) => item.sku));
    } catch (error) {
      const failed = recoverable(error);
      // Mercos refused the content (412/422): item by item finds the bad ones. A server still failing after the
      // retries fails the batch as it is.
      if (!failed.retryable) await adjustOneByOne(http, batch, result, options.signal);
      else result.failed.push(...batch.map((item) => ({ sku: item.sku, code: failed.code, message: failed.message })));
    }
    done += batch.length;
    options.onProgress?.(done, levels.length);
  }
  return result;
}

async function adjustOneByOne(http: HttpClient, batch: Adjustment[], result: StockPushResult, signal?: AbortSignal): Promise<void> {
  for (const item of batch) {
    try {
      await http.request({ method: 'PUT', path: 'v1/ajustar_estoque', json: { produto_id: item.produto_id, novo_saldo: item.novo_saldo }, signal });
      result.updated.push(item.sku);
    } catch (error) {
      const failed = recoverable(error);
      result.failed.push({ sku: item.sku, code: failed.code, message: failed.message });
    }
  }
}
