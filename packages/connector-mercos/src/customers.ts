import { NotFoundError, UpstreamError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { MercosClienteSchema, type MercosCliente } from './schemas.js';

/** What an order needs of a Mercos customer (`GET /v1/clientes/{id}`). */
export interface MercosCustomer {
  id: string;
  /** `razao_social`, or `nome_fantasia` when the legal name is blank. */
  name?: string;
  /** `cnpj` as Mercos sends it (a CPF for `tipo` "F"), normalised later by core. */
  document?: string;
  /** "J" (pessoa jurídica) or "F" (pessoa física). */
  tipo?: string;
  email?: string;
  phone?: string;
}

export interface CustomerDirectoryOptions {
  /** How long a customer (or its absence) is remembered. Default 15 minutes. */
  ttlMs?: number;
  /** Most customers kept; the oldest are forgotten first. Default 5000. */
  maxEntries?: number;
  now?: () => number;
}

/** Customers by id, each read once per `ttlMs` however many orders name it (in-flight reads are shared too). */
export interface CustomerDirectory {
  /** `undefined` when Mercos has no such customer (404). */
  get(id: string, signal?: AbortSignal): Promise<MercosCustomer | undefined>;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function firstOf<T>(list: readonly T[] | null | undefined, read: (entry: T) => string | undefined): string | undefined {
  for (const entry of list ?? []) {
    const value = read(entry);
    if (value) return value;
  }
  return undefined;
}

export function readMercosCustomer(cliente: MercosCliente): MercosCustomer {
  const contatos = (cliente.contatos ?? []).filter((contato) => contato.excluido !== true);
  const name = nonBlank(cliente.razao_social) ?? nonBlank(cliente.nome_fantasia);
  const document = nonBlank(cliente.cnpj) ?? nonBlank(cliente.cpf);
  const tipo = nonBlank(cliente.tipo);
  // The company's own address first, then its contacts' (the example has both).
  const email = firstOf(cliente.emails, (entry) => nonBlank(entry.email)) ?? firstOf(contatos, (contato) => firstOf(contato.emails, (entry) => nonBlank(entry.email)));
  const phone = firstOf(cliente.telefones, (entry) => nonBlank(entry.numero)) ?? firstOf(contatos, (contato) => firstOf(contato.telefones, (entry) => nonBlank(entry.numero)));
  return {
    id: String(cliente.id),
    ...(name ? { name } : {}),
    ...(document ? { document } : {}),
    ...(tipo ? { tipo } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
}

export function customerDirectory(http: HttpClient, options: CustomerDirectoryOptions = {}): CustomerDirectory {
  const ttlMs = options.ttlMs ?? 15 * 60_000;
  const maxEntries = options.maxEntries ?? 5000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; pending: Promise<MercosCustomer | undefined> }>();

  const fetchOne = async (id: string, signal?: AbortSignal): Promise<MercosCustomer | undefined> => {
    try {
      const response = await http.get<unknown>(`v1/clientes/${encodeURIComponent(id)}`, undefined, { signal });
      // Like `/v1/produtos/{id}`, documented as an array by some pages and answered as one object.
      const raw = Array.isArray(response.data) ? response.data[0] : response.data;
      const parsed = MercosClienteSchema.safeParse(raw);
      if (!parsed.success) throw new UpstreamError(`mercos: GET v1/clientes/${id} answered an unreadable customer`, { retryable: false });
      return readMercosCustomer(parsed.data);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };

  return {
    get(id, signal) {
      const cached = cache.get(id);
      if (cached && now() - cached.at < ttlMs) return cached.pending;
      const pending = fetchOne(id, signal);
      cache.delete(id);
      cache.set(id, { at: now(), pending });
      // A failed read is not remembered: the next order (or the retried page) asks again.
      pending.catch(() => {
        if (cache.get(id)?.pending === pending) cache.delete(id);
      });
      while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      return pending;
    },
  };
}
