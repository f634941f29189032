import { NotFoundError, UpstreamError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import type { MercosCursor } from './cursor.js';
import { MERCOS_EPOCH } from './local-time.js';
import type { ProductRef } from './map-order.js';
import { listChanged } from './paginate.js';
import { MercosProductSchema, type MercosProduct } from './schemas.js';

export interface CatalogEntry extends ProductRef {
  id: string;
  /** A parent with grade variants: Mercos adjusts stock only on the variants (`produtos_grade[].id`). */
  hasVariants: boolean;
  /** For a grade variant, the product it belongs to. */
  parentId?: string;
}

function readProduct(raw: unknown): MercosProduct | undefined {
  const result = MercosProductSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

function entriesOf(product: MercosProduct): CatalogEntry[] {
  if (product.excluido === true) return [];
  const variants = (product.produtos_grade ?? []).filter((grade) => grade.excluido !== true);
  const parent: CatalogEntry = {
    id: String(product.id),
    codigo: product.codigo?.trim() ?? '',
    nome: product.nome ?? '',
    hasVariants: variants.length > 0,
  };
  const children = variants.map((grade) => ({
    id: String(grade.id),
    codigo: grade.codigo?.trim() ?? '',
    nome: product.nome ?? '',
    hasVariants: false,
    parentId: String(product.id),
  }));
  return [parent, ...children];
}

/**
 * A local mirror of `/v1/produtos`, kept up to date with `alterado_apos`: Mercos has no lookup by `codigo`, and
 * lookup by id is blocked in production unless support enables it.
 */
export class ProductCatalog {
  private readonly byId = new Map<string, CatalogEntry>();
  private cursor: MercosCursor = { after: MERCOS_EPOCH, seen: [] };
  private refreshing: Promise<void> | undefined;

  constructor(private readonly http: HttpClient) {}

  /** Reads what changed since the last refresh. Concurrent callers share one walk. */
  refresh(signal?: AbortSignal): Promise<void> {
    this.refreshing ??= this.walk(signal).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  /** Live entries with this `codigo`; more than one means the SKU is ambiguous in the account. */
  findBySku(sku: string): CatalogEntry[] {
    return [...this.byId.values()].filter((entry) => entry.codigo === sku);
  }

  private async walk(signal?: AbortSignal): Promise<void> {
    for await (const page of listChanged(this.http, 'v1/produtos', this.cursor, { signal })) {
      for (const raw of page.records) {
        const product = readProduct(raw);
        if (!product) continue;
        const id = String(product.id);
        for (const entry of [...this.byId.values()]) if (entry.id === id || entry.parentId === id) this.byId.delete(entry.id);
        for (const entry of entriesOf(product)) this.byId.set(entry.id, entry);
      }
      this.cursor = page.cursor;
    }
  }
}

/** Resolves the products order items refer to, each fetched once (in-flight lookups are shared too). */
export interface ProductDirectory {
  resolve(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, ProductRef>>;
}

export function byIdDirectory(http: HttpClient): ProductDirectory {
  const cache = new Map<string, Promise<ProductRef | undefined>>();
  const fetchOne = async (id: string, signal?: AbortSignal): Promise<ProductRef | undefined> => {
    try {
      const response = await http.get<unknown>(`v1/produtos/${encodeURIComponent(id)}`, undefined, { signal });
      // The docs say this route answers an array; the sandbox answers one object.
      const product = readProduct(Array.isArray(response.data) ? response.data[0] : response.data);
      if (!product) throw new UpstreamError(`mercos: GET v1/produtos/${id} answered an unreadable product`, { retryable: false });
      return { codigo: product.codigo?.trim() ?? '', nome: product.nome ?? '' };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
  return {
    async resolve(ids, signal) {
      const out = new Map<string, ProductRef>();
      for (const id of new Set(ids)) {
        let pending = cache.get(id);
        if (!pending) {
          pending = fetchOne(id, signal);
          cache.set(id, pending);
          // A failed or empty lookup is not remembered: the next listing tries again.
          pending.then(
            (found) => (found ? undefined : cache.delete(id)),
            () => cache.delete(id),
          );
        }
        const product = await pending;
        if (product) out.set(id, product);
      }
      return out;
    },
  };
}

export function catalogDirectory(catalog: ProductCatalog): ProductDirectory {
  return {
    async resolve(ids, signal) {
      if (ids.some((id) => !catalog.get(id))) await catalog.refresh(signal);
      const out = new Map<string, ProductRef>();
      for (const id of ids) {
        const entry = catalog.get(id);
        if (entry) out.set(id, entry);
      }
      return out;
    },
  };
}
