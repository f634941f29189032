import { ConectaError, UpstreamError } from '@conecta/core';
import type { HttpClient, QueryValue } from '@conecta/core/http';
import { TRAY_MAX_LIMIT } from './options.js';

type Record_ = Record<string, unknown>;

/** Thin typed access to the Tray endpoints the connector uses; envelopes are unwrapped here and nowhere else. */
export class TrayApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * Every record of a paginated list. Tray wraps each record in its own key (`Orders: [{ Order: {...} }]`) and
   * reports `paging.total`; the walk stops on the total or on a short page, whichever comes first.
   */
  async *paginate(path: string, listKey: string, itemKey: string, query: Record<string, QueryValue>, signal?: AbortSignal): AsyncGenerator<Record_[]> {
    for (let page = 1; ; page += 1) {
      const response = await this.http.get<Record_>(path, { ...query, limit: TRAY_MAX_LIMIT, page }, { signal });
      const body = response.data ?? {};
      const list = body[listKey];
      if (list !== undefined && !Array.isArray(list)) throw malformed(path, `${listKey} is not a list`);
      const records = (list ?? []).map((entry) => unwrap(entry, itemKey));
      yield records;
      const paging = (body['paging'] ?? {}) as Record_;
      const total = Number(paging['total']);
      const limit = Number(paging['limit'] ?? TRAY_MAX_LIMIT);
      if (records.length === 0 || records.length < limit || (Number.isFinite(total) && page * limit >= total)) return;
    }
  }

  /** `GET /orders/:id/complete`; null when Tray says the order does not exist. */
  async completeOrder(id: string, signal?: AbortSignal): Promise<unknown> {
    try {
      const response = await this.http.get<Record_>(`orders/${encodeURIComponent(id)}/complete`, undefined, { signal });
      const order = response.data?.['Order'];
      if (!order || typeof order !== 'object') throw malformed(`orders/${id}/complete`, 'no Order in the answer');
      return order;
    } catch (error) {
      if (ConectaError.isConectaError(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /** `GET /products/variants/:id` or `GET /products/:id`; null when Tray says the record does not exist. */
  async catalogueRecord(kind: 'variant' | 'product', id: string, signal?: AbortSignal): Promise<Record_ | null> {
    const path = kind === 'variant' ? `products/variants/${encodeURIComponent(id)}` : `products/${encodeURIComponent(id)}`;
    const key = kind === 'variant' ? 'Variant' : 'Product';
    try {
      const response = await this.http.get<Record_>(path, undefined, { signal });
      const record = response.data?.[key];
      if (!record || typeof record !== 'object') throw malformed(path, `no ${key} in the answer`);
      return record as Record_;
    } catch (error) {
      if (ConectaError.isConectaError(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async put(path: string, json: unknown, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'PUT', path, json, signal });
  }
}

function unwrap(entry: unknown, key: string): Record_ {
  const wrapper = (entry && typeof entry === 'object' ? entry : {}) as Record_;
  const inner = wrapper[key];
  return (inner && typeof inner === 'object' ? inner : wrapper) as Record_;
}

function malformed(path: string, reason: string): UpstreamError {
  return new UpstreamError(`tray: ${path}: unexpected answer (${reason})`, { retryable: false });
}
