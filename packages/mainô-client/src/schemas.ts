import * as z from 'zod';

/**
 * The Mainô JSON shapes read with zod: pagination and the login answer. Orders, products and invoices are read field
 * by field (read.ts) so one unreadable field never costs the whole answer.
 */

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
  /** Seconds, as an OAuth2 server (Doorkeeper) answers; not seen in any Mainô source, read when present. */
  expires_in: z.union([z.number(), z.string()]).nullish(),
});
export type MainoCompanyLogin = z.output<typeof MainoCompanyLoginSchema>;
