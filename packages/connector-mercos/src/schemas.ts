import * as z from 'zod';

/**
 * The parts of Mercos payloads the connector reads. Objects stay loose (Mercos adds fields) and amounts stay
 * `unknown` here: they are read by parseCents/parseQuantity, which name the field when a value is wrong.
 */

const id = z.union([z.number(), z.string().min(1)]);
const text = z.string().nullish();
/** Mercos sends `0` in id fields for "none". */
const optionalId = z.union([z.number(), z.string()]).nullish();

export const MercosItemSchema = z.looseObject({
  id: optionalId,
  produto_id: id,
  // Seen in a real (sandbox) answer of the v1 order route; absent from every v2 example: joined from the product then.
  produto_codigo: text,
  produto_nome: text,
  quantidade: z.unknown(),
  preco_tabela: z.unknown().optional(),
  preco_liquido: z.unknown(),
  subtotal: z.unknown().optional(),
  ipi: z.unknown().optional(),
  st: z.unknown().optional(),
  excluido: z.boolean().nullish(),
});
export type MercosItem = z.output<typeof MercosItemSchema>;

export const MercosOrderSchema = z.looseObject({
  id,
  numero: id,
  // A string in v2 ("2"); numbers accepted since `status_faturamento` shows Mercos is not consistent.
  status: z.union([z.string().min(1), z.number()]).transform(String),
  status_custom_id: optionalId,
  excluido: z.boolean().nullish(),
  // v2 answers name only `cliente_id` (the customer is read from /v1/clientes); v1 answers and some v2 accounts
  // inline `cliente_*`.
  cliente_id: optionalId,
  cliente_razao_social: text,
  cliente_nome_fantasia: text,
  nome_contato: text,
  contato_nome: text,
  cliente_cnpj: text,
  // Any other shape is kept in the raw payload, never a reason to refuse the order.
  cliente_email: text.catch(undefined),
  cliente_telefone: text.catch(undefined),
  data_emissao: text,
  data_criacao: text,
  ultima_alteracao: z.string(),
  valor_frete: z.unknown().optional(),
  total: z.unknown(),
  itens: z.array(MercosItemSchema).nullish(),
  /** The v1 route's name for `itens`. */
  items: z.array(MercosItemSchema).nullish(),
});
export type MercosOrder = z.output<typeof MercosOrderSchema>;

export const MercosGradeSchema = z.looseObject({
  id,
  codigo: text,
  excluido: z.boolean().nullish(),
});

export const MercosProductSchema = z.looseObject({
  id,
  codigo: text,
  nome: text,
  excluido: z.boolean().nullish(),
  ultima_alteracao: text,
  produtos_grade: z.array(MercosGradeSchema).nullish(),
});
export type MercosProduct = z.output<typeof MercosProductSchema>;

export const MercosCustomStatusSchema = z.looseObject({
  id,
  nome: z.string(),
  excluido: z.boolean().nullish(),
});

const contactList = <T extends z.ZodType>(entry: T) => z.array(entry).nullish().catch(undefined);

/** `GET /v1/clientes/{id}`: only what an order's customer needs. */
export const MercosClienteSchema = z.looseObject({
  id,
  razao_social: text,
  nome_fantasia: text,
  tipo: text,
  cnpj: text,
  cpf: text,
  excluido: z.boolean().nullish(),
  emails: contactList(z.looseObject({ email: text })),
  telefones: contactList(z.looseObject({ numero: text })),
  contatos: contactList(
    z.looseObject({
      nome: text,
      excluido: z.boolean().nullish(),
      emails: contactList(z.looseObject({ email: text })),
      telefones: contactList(z.looseObject({ numero: text })),
    }),
  ),
});
export type MercosCliente = z.output<typeof MercosClienteSchema>;
