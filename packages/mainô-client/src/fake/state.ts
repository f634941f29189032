import { randomUUID } from 'node:crypto';
import { formatCnpj, normaliseCnpj } from '@conecta/core';

export interface FakeProduct {
  id: number;
  codigo: string;
  descricao: string;
  /** On hand, milli-units. */
  qtdeMilli: number;
  /** Held by open sales orders, milli-units. */
  committedMilli: number;
  /** Stored ("armazenada"): on hand but not available to sell, milli-units. */
  storedMilli: number;
  priceCents: number;
}

export interface FakeOrderItem {
  codigo: string;
  descricao: string;
  qtdeMilli: number;
  valorUnitarioCents: number;
}

/** The invoice Mainô keeps for an order (`GET /pedidos/{id}/nota_fiscal`). */
export interface FakeInvoice {
  id: string;
  status: 'NAO_TRANSMITIDA' | 'ACEITA' | 'REJEITADA';
  /** 44-digit NF-e access key, part of the DANFE URL. */
  accessKey: string;
}

export interface FakeOrder {
  /** A UUID, as in real answers (`idStyle: 'numeric'` gives numeric text, as the older notes assumed). */
  id: string;
  /** Mainô's own order number, per company, as text ("884"). */
  numero: string;
  referencia_externa: string | null;
  tags: string[];
  status: 'em_aberto' | 'cancelado';
  numero_pedido_ecommerce: string | null;
  /** dd/mm/aaaa, as sent. */
  data_emissao: string;
  cliente: Record<string, unknown>;
  itens: FakeOrderItem[];
  notaFiscal: FakeInvoice | null;
}

export interface FakeCompany {
  cnpj: string;
  name: string;
  products: Map<string, FakeProduct>;
  orders: FakeOrder[];
  nextNumero: number;
}

export interface FakeUser {
  email: string;
  password: string;
  name: string;
  cnpjs: string[];
}

export interface ProductSeed {
  sku: string;
  name?: string;
  /** On hand, milli-units. */
  qtdeMilli: number;
  committedMilli?: number;
  storedMilli?: number;
  priceCents?: number;
}

/** Mainô's data as the fake keeps it: ids are global (as in a real database), everything else per company. */
export class FakeStore {
  companies = new Map<string, FakeCompany>();
  users: FakeUser[] = [];
  apiKeys = new Map<string, string>();
  tokens = new Map<string, { cnpj: string; expiresAt: number }>();
  private nextId = 1000;

  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  orderId(style: 'uuid' | 'numeric'): string {
    return style === 'uuid' ? randomUUID() : String(this.id());
  }

  company(cnpjInput: string): FakeCompany {
    const cnpj = digits(cnpjInput);
    const company = this.companies.get(cnpj);
    if (!company) throw new Error(`fake maino: no company ${cnpjInput}`);
    return company;
  }

  addCompany(cnpjInput: string, name = `Empresa ${formatCnpj(digits(cnpjInput))}`): FakeCompany {
    const cnpj = digits(cnpjInput);
    let company = this.companies.get(cnpj);
    if (!company) {
      company = { cnpj, name, products: new Map(), orders: [], nextNumero: 1 };
      this.companies.set(cnpj, company);
    }
    return company;
  }

  addProducts(cnpj: string, seeds: ProductSeed[]): number[] {
    const company = this.company(cnpj);
    return seeds.map((seed) => {
      const existing = company.products.get(seed.sku);
      const product: FakeProduct = {
        id: existing?.id ?? this.id(),
        codigo: seed.sku,
        descricao: seed.name ?? `Produto ${seed.sku}`,
        qtdeMilli: seed.qtdeMilli,
        committedMilli: seed.committedMilli ?? 0,
        storedMilli: seed.storedMilli ?? 0,
        priceCents: seed.priceCents ?? 1000,
      };
      company.products.set(seed.sku, product);
      return product.id;
    });
  }

  /** The order and the company holding it, whatever company asks. */
  findOrder(id: string): { company: FakeCompany; order: FakeOrder } | undefined {
    for (const company of this.companies.values()) {
      const order = company.orders.find((candidate) => candidate.id === id);
      if (order) return { company, order };
    }
    return undefined;
  }
}

export function digits(cnpj: string): string {
  return normaliseCnpj(cnpj) ?? cnpj.replace(/\D/g, '');
}
