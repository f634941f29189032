import type { HttpClient } from '@conecta/core/http';
import { MERCOS_EPOCH } from './local-time.js';
import { listChanged } from './paginate.js';
import { MercosCustomStatusSchema } from './schemas.js';

export interface CustomStatus {
  id: string;
  nome: string;
  excluido: boolean;
}

/** Reads the account's custom statuses (`GET /v1/pedidos/status`), every page. */
export async function fetchCustomStatuses(http: HttpClient, signal?: AbortSignal): Promise<CustomStatus[]> {
  const byId = new Map<string, CustomStatus>();
  for await (const page of listChanged(http, 'v1/pedidos/status', { after: MERCOS_EPOCH, seen: [] }, { signal })) {
    for (const raw of page.records) {
      const parsed = MercosCustomStatusSchema.safeParse(raw);
      if (parsed.success) byId.set(String(parsed.data.id), { id: String(parsed.data.id), nome: parsed.data.nome, excluido: parsed.data.excluido === true });
    }
  }
  return [...byId.values()];
}

/** Names of custom statuses for order labels; reloaded when an id never looked up before turns up. */
export class CustomStatusNames {
  private names: Map<string, string> | undefined;
  /** Ids still unknown after a reload (a status deleted since), so they do not trigger a reload on every page. */
  private readonly missing = new Set<string>();

  constructor(private readonly http: HttpClient) {}

  async load(ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    if (!this.names || ids.some((id) => !this.names!.has(id) && !this.missing.has(id))) {
      const statuses = await fetchCustomStatuses(this.http, signal);
      this.names = new Map(statuses.map((status) => [status.id, status.nome]));
      for (const id of ids) if (!this.names.has(id)) this.missing.add(id);
    }
    return this.names;
  }
}
