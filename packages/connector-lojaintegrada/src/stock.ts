import { AuthError, ConectaError, RateLimitError, floorUnits, parseWith, type StockLevel, type StockPushResult } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { getList } from './api.js';
import type { ResolvedOptions } from './options.js';
import { ProdutoEstoqueSchema, ProdutoSchema } from './schemas.js';

/** What became of one SKU: written, not found, or why it failed. */
type Outcome = 'updated' | 'notFound' | { code: string; message: string };

/**
 * Stock is written per produto (per variation child; LI has no batch write) with `PUT /produto_estoque/{id}`. The SKU
 * lookup runs first since the path takes LI's product id. LI stock is whole units, so quantities are floored.
 */
export async function pushStock(
  http: HttpClient,
  options: ResolvedOptions,
  levels: readonly StockLevel[],
  control: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<StockPushResult> {
  const result: StockPushResult = { updated: [], notFound: [], failed: [] };
  for (const [index, level] of levels.entries()) {
    const outcome = await pushOne(http, options, level, control.signal);
    if (outcome === 'updated') result.updated.push(level.sku);
    else if (outcome === 'notFound') result.notFound.push(level.sku);
    else result.failed.push({ sku: level.sku, ...outcome });
    control.onProgress?.(index + 1, levels.length);
  }
  return result;
}

async function pushOne(http: HttpClient, options: ResolvedOptions, level: StockLevel, signal: AbortSignal | undefined): Promise<Outcome> {
  try {
    const found = await getList(http, 'produto/', ProdutoSchema, { sku: level.sku }, signal);
    // Whether `?sku=` matches exactly is unconfirmed: only an exact SKU counts.
    const matches = found.objects.filter((produto) => produto.sku === level.sku);
    if (matches.length === 0) return 'notFound';
    if (matches.length > 1) return { code: 'AMBIGUOUS_SKU', message: `${matches.length} products share SKU ${level.sku}` };
    const produto = matches[0]!;
    if (produto.tipo === 'atributo') {
      return { code: 'VARIATION_PARENT', message: `SKU ${level.sku} is a product with variations; LI holds stock on each variation's own SKU` };
    }
    const availability = options.stockAvailability ?? (await currentAvailability(http, produto.id, signal));
    await http.request({
      method: 'PUT',
      path: `produto_estoque/${produto.id}`,
      json: { gerenciado: true, quantidade: Math.max(0, floorUnits(level.quantityMilli)), ...availability },
      ...(signal ? { signal } : {}),
    });
    return 'updated';
  } catch (error) {
    // These concern every SKU alike: stop rather than report the same failure for each.
    if (error instanceof AuthError || error instanceof RateLimitError || signal?.aborted) throw error;
    if (ConectaError.isConectaError(error)) return { code: error.code, message: error.message };
    throw error;
  }
}

async function currentAvailability(http: HttpClient, produtoId: number, signal: AbortSignal | undefined) {
  const response = await http.get<unknown>(`produto_estoque/${produtoId}`, undefined, signal ? { signal } : {});
  const estoque = parseWith(ProdutoEstoqueSchema, response.data, `lojaintegrada produto_estoque ${produtoId}`);
  return { situacao_em_estoque: estoque.situacao_em_estoque ?? 0, situacao_sem_estoque: estoque.situacao_sem_estoque ?? -1 };
}
