import * as z from 'zod';

/**
 * The Mainô JSON shapes the client reads. Only the product field names are reported ([3P]); the order shape is
 * assumed like the create body. Schemas are loose (unknown fields pass) because the real responses carry far more.
 */

const Id = z.union([z.string(), z.number()]).transform(String);
const Decimal = z.union([z.string(), z.number()]);

export const MainoProductSchema = z.looseObject({
  id: Id,
  codigo: z.string(),
  descricao: z.string().nullish(),
  qtde: Decimal.nullish(),
  qtde_comprometida: Decimal.nullish(),
});
export type MainoProduct = z.output<typeof MainoProductSchema>;

export const MainoOrderItemSchema = z.looseObject({
  codigo: z.string(),
  descricao: z.string().nullish(),
  qtde: Decimal,
  valor_unitario: Decimal,
});

export const MainoOrderSchema = z.looseObject({
  id: Id,
  referencia_externa: z.string().nullish(),
  tags: z.union([z.array(z.string()), z.string()]).nullish(),
  status: z.string().nullish(),
  itens: z.array(MainoOrderItemSchema).default([]),
  valor_total: Decimal.nullish(),
});
export type MainoOrder = z.output<typeof MainoOrderSchema>;

export const PaginationSchema = z
  .looseObject({ next_page: z.union([z.number(), z.string()]).nullish() })
  .nullish();

/** Authentication answer: one entry per company, keyed by CNPJ (the notes disagree on a `value` envelope). */
export const MainoCompanyLoginSchema = z.looseObject({
  cnpj: z.string().nullish(),
  company_name: z.string().nullish(),
  user_name: z.string().nullish(),
  email: z.string().nullish(),
  access_token: z.string().min(1),
  refresh_token: z.string().nullish(),
});
export type MainoCompanyLogin = z.output<typeof MainoCompanyLoginSchema>;
