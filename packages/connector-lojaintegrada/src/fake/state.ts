import { formatScaledDecimal, instantToLocalDateTime } from '@conecta/core';

/** The fake's own record of an order: integers only, rendered into LI's strings by shapes.ts. */
export interface FakeItem {
  id: number;
  /** What LI sends: text, or a JSON number as in real answers (`"sku": 345`); blank or null on a line without. */
  sku: string | number | null;
  nome: string;
  tipo: 'normal' | 'atributo_opcao';
  produtoId: number;
  quantityMilli: number;
  unitCents: number;
  /**
   * Set on a line LI sends with a blank `sku`: what `GET /v1/produto/{produtoId}` says of its product (its SKU, or
   * `null` for a product registered without one). The connector looks it up.
   */
  catalogSku?: string | null;
}

/** LI products that order lines name without their own SKU: one with a SKU, one registered without. */
export const SKULESS_LINE_PRODUCTS = [
  { produtoId: 88_600_001, catalogSku: 'LI-AVULSO-01', nome: 'Kit avulso' },
  { produtoId: 88_600_002, catalogSku: null, nome: 'Brinde sem sku' },
] as const;

export interface FakeOrder {
  numero: number;
  /** LI's internal id, which only webhook bodies show. */
  id: number;
  codigo: string;
  createdMicros: number;
  modifiedMicros: number;
  /** A person (CPF) or a company (CNPJ, some of them alphanumeric as issued since July 2026). */
  cliente: { id: number; nome: string; email: string; cpf: string | null; cnpj: string | null; razao_social: string | null; telefone_celular: string | null; telefone_principal: string | null };
  itens: FakeItem[];
  shippingCents: number;
  discountCents: number;
  /** Set by addMalformedOrder: a field rendered with a value the connector must refuse. */
  malformed?: { field: 'preco_venda'; value: string };
  /** Where the order goes when it is not the buyer's own address: a company receiving it for a person who bought. */
  entrega?: { nome: string; razao_social: string; cnpj: string };
  /** Set by addMalformedOrders: changes the rendered detail (`GET /v1/pedido/{numero}`) the way a schema drift would. */
  corrupt?: (detail: Record<string, unknown>) => void;
}

export interface FakeProduct {
  id: number;
  stockRowId: number;
  sku: string;
  nome: string;
  /** `normal` (simple), `atributo` (a parent with grades, no stock of its own), `atributo_opcao` (a variation child). */
  tipo: 'normal' | 'atributo' | 'atributo_opcao';
  /** The parent's id, for a variation child (`pai` is its URI). */
  paiId?: number;
  /** Whether LI manages the stock row (`gerenciado`); a quantity on an unmanaged row does not limit sales. */
  gerenciado: boolean;
  quantidade: number;
  situacao_em_estoque: number;
  situacao_sem_estoque: number;
}

/**
 * A variation the merchant registered with an external id: LI addresses it by that id (`/api/v1/produto/{id_externo}
 * ?id_externo=1`, as in the published detail), which is not an LI product id.
 */
export function addressedByExternalId(numero: number, item: FakeItem): boolean {
  return item.tipo === 'atributo_opcao' && numero % 5 === 2;
}

export function itemsCents(order: FakeOrder): number {
  return order.itens.reduce((sum, item) => sum + (item.quantityMilli * item.unitCents) / 1000, 0);
}

export function totalCents(order: FakeOrder): number {
  return itemsCents(order) + order.shippingCents - order.discountCents;
}

export const money = (cents: number): string => formatScaledDecimal(cents, 2);
/** Item prices with four decimals, as in the published detail example ("11.1000"). */
export const price = (cents: number): string => formatScaledDecimal(cents * 100, 4);
/** LI writes quantities with two decimals ("1.00"). */
export const quantity = (milli: number): string => formatScaledDecimal(milli, 3, 2);

/** "2024-05-01T10:00:07.004211": LI's naive local form with microseconds. */
export function localStamp(micros: number, timeZone: string): string {
  const ms = Math.floor(micros / 1000);
  return `${instantToLocalDateTime(new Date(ms), timeZone).replace(' ', 'T')}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Webhook bodies carry UTC instants with "Z" (secondary notes). */
export function utcStamp(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

const NAMES = ['Ana Souza', 'Bruno Lima', 'Carla Dias', 'Diego Reis', 'Elisa Prado'];
/** Valid documents, formatted as LI shows them: CPFs, a numeric CNPJ and an alphanumeric one. */
const CPFS = ['140.937.717-23', '529.982.247-25'];
const CNPJS = [
  { cnpj: '46.487.899/0001-10', razao_social: 'Loja do Zé LTDA' },
  { cnpj: '12.ABC.345/01DE-35', razao_social: 'Café & Cia Comércio LTDA' },
];

/** Deterministic order content: one to three lines, whole and fractional quantities, prices with exact halves. */
/** `varied`: the default seeds (no status asked) include lines without SKU; a flow seeded with a status sells SKUs only. */
export function buildOrder(numero: number, codigo: string, micros: number, nextItemId: () => number, varied = false): FakeOrder {
  const lineCount = (numero % 3) + 1;
  const itens: FakeItem[] = [];
  for (let line = 0; line < lineCount; line += 1) {
    const variant = (numero + line) % 4;
    // Fractional lines use even cents so the line total stays whole cents, as LI's would.
    const quantityMilli = variant === 0 ? 1500 : variant === 1 ? 1000 : variant === 2 ? 3000 : 2000;
    const unitCents = 1990 + ((numero * 7 + line * 13) % 50) * 100 + (variant === 0 ? 10 : 5 * (line % 2));
    itens.push({
      id: nextItemId(),
      // Every seventh product has a numeric SKU, which LI answers as a JSON number; some typed with a stray space.
      sku: (numero + line) % 7 === 0 ? 340 + ((numero + line) % 40) : `${(numero + line) % 11 === 5 ? ' ' : ''}LI-${String((numero + line) % 40).padStart(3, '0')}${variant === 3 ? '-M' : ''}`,
      nome: `Produto ${(numero + line) % 40}`,
      tipo: variant === 3 ? 'atributo_opcao' : 'normal',
      produtoId: 88_500_000 + ((numero + line) % 40),
      quantityMilli,
      unitCents,
    });
  }
  const skuless = varied && numero % 9 === 4 ? SKULESS_LINE_PRODUCTS[0] : varied && numero % 9 === 7 ? SKULESS_LINE_PRODUCTS[1] : undefined;
  if (skuless) {
    // Blank for one, null for the other ("blank or absent" in real answers).
    itens.push({ id: nextItemId(), sku: skuless.catalogSku === null ? null : '', nome: skuless.nome, tipo: 'normal', produtoId: skuless.produtoId, quantityMilli: 1000, unitCents: 990, catalogSku: skuless.catalogSku });
  }
  const personBuying = numero % 4 !== 3;
  return {
    ...(personBuying && numero % 7 === 5 ? { entrega: { nome: 'Recepção', razao_social: 'Café & Cia Comércio LTDA', cnpj: '12.ABC.345/01DE-35' } } : {}),
    numero,
    id: 40_000_000 + numero,
    codigo,
    createdMicros: micros,
    modifiedMicros: micros,
    cliente: {
      id: 34_220_000 + numero,
      nome: NAMES[numero % NAMES.length]!,
      email: `cliente${numero}@example.com`,
      ...(numero % 12 === 3
        ? // A company whose CNPJ was typed with a wrong check digit, its owner's CPF beside it: the CPF is the document.
          { cnpj: '46.487.899/0001-11', razao_social: 'Loja do Zé LTDA', cpf: CPFS[1]! }
        : numero % 4 === 3
          ? { cpf: null, ...CNPJS[(numero >> 2) % CNPJS.length]! }
          : { cpf: CPFS[numero % CPFS.length]!, cnpj: null, razao_social: null }),
      // Some customers left only a landline (`telefone_principal`).
      ...(numero % 6 === 4 ? { telefone_celular: null, telefone_principal: '(21) 3333-4444' } : { telefone_celular: '11987654321', telefone_principal: null }),
    },
    itens,
    shippingCents: numero % 2 === 0 ? 1550 : 0,
    discountCents: numero % 5 === 0 ? 500 : 0,
  };
}
